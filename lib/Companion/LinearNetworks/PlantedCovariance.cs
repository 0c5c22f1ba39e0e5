using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.LinearNetworks;

/// <summary>
/// A covariance with a chosen spectrum, Σ = U diag(s) Uᵀ with U a seeded random orthogonal matrix (the Q of a Gaussian
/// matrix's QR decomposition, Haar-distributed up to signs), so that the eigenvalues are known exactly
/// (homework 000_1ccdba2d613922a2, Question 1 setup: E[x] = 0, Σ = E[xxᵀ] = U S Uᵀ).
/// </summary>
public static class PlantedCovariance
{
    /// <summary>Σ (d×d, exactly symmetric) and U (d×d orthogonal, column i belongs to s[i]).</summary>
    /// <param name="s">Eigenvalues, d of them, each ≥ 0 (in decreasing order to make U's columns the principal components in order).</param>
    /// <param name="seed">Seed of U.</param>
    public static (Matrix<double> Sigma, Matrix<double> U) WithSpectrum(double[] s, int seed)
    {
        if (s.Length == 0 || s.Any(v => !(v >= 0) || !double.IsFinite(v)))
        {
            throw new ArgumentException($"Need d ≥ 1 finite eigenvalues ≥ 0 but got [{string.Join(", ", s)}].", nameof(s));
        }

        var rng = new Random(seed);
        int d = s.Length;
        var u = Matrix<double>.Build.Dense(d, d, (_, _) => Normal.Sample(rng, 0, 1)).QR().Q;
        var sigma = u * Matrix<double>.Build.DenseOfDiagonalArray(s) * u.Transpose();
        return ((sigma + sigma.Transpose()) / 2, u);
    }

    /// <summary>n samples x ~ N(0, Σ) as the columns of a d×n matrix (x = U diag(√s) z, z ~ N(0, I)).</summary>
    public static Matrix<double> Sample(double[] s, Matrix<double> U, int n, int seed)
    {
        var rng = new Random(seed);
        var z = Matrix<double>.Build.Dense(s.Length, n, (_, _) => Normal.Sample(rng, 0, 1));
        return U * Matrix<double>.Build.DenseOfDiagonalArray(s.Select(Math.Sqrt).ToArray()) * z;
    }
}

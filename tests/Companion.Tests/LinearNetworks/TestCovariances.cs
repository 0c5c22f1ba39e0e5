using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

/// <summary>Covariances built with a known spectrum, so eigenvalues and eigenvectors are known independently of any solver.</summary>
internal static class TestCovariances
{
    /// <summary>A random orthogonal d×d matrix (Q of the QR decomposition of a Gaussian matrix).</summary>
    public static Matrix<double> RandomOrthogonal(int d, int seed)
    {
        var rng = new Random(seed);
        var g = Matrix<double>.Build.Dense(d, d, (_, _) => Normal.Sample(rng, 0, 1));
        return g.QR().Q;
    }

    /// <summary>Σ = Q diag(s) Qᵀ with Q random orthogonal; returns Σ and Q (column i belongs to s[i]).</summary>
    public static (Matrix<double> Sigma, Matrix<double> Q) WithSpectrum(double[] s, int seed)
    {
        var q = RandomOrthogonal(s.Length, seed);
        var sigma = q * Matrix<double>.Build.DenseOfDiagonalArray(s) * q.Transpose();
        return ((sigma + sigma.Transpose()) / 2, q);
    }

    public static Matrix<double> Gaussian(int rows, int cols, double scale, int seed)
    {
        var rng = new Random(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => Normal.Sample(rng, 0, scale));
    }

    /// <summary>Min over column signs of ‖X − Y D‖_F, D = diag(±1): distance up to a sign per column.</summary>
    public static double DistanceUpToColumnSigns(Matrix<double> x, Matrix<double> y)
    {
        double sum = 0;
        for (int j = 0; j < x.ColumnCount; j++)
        {
            double plus = (x.Column(j) - y.Column(j)).L2Norm();
            double minus = (x.Column(j) + y.Column(j)).L2Norm();
            sum += Math.Pow(Math.Min(plus, minus), 2);
        }

        return Math.Sqrt(sum);
    }
}

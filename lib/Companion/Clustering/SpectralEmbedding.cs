using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Clustering;

/// <summary>The top-k left singular vectors of a matrix and their singular values.</summary>
/// <param name="U">n×k, column i the left singular vector of σᵢ (sign arbitrary).</param>
/// <param name="SingularValues">σ₁ ≥ … ≥ σ_k.</param>
/// <param name="Iterations">Lanczos steps (products with M, or with M and Mᵀ).</param>
public sealed record TopSingularVectors(Matrix<double> U, double[] SingularValues, int Iterations);

/// <summary>
/// EECS 182 HW7 Q5(f)/(g), seed 003: "select the top 3 vectors (corresponding to the highest singular values) in the
/// matrix U" of M = UΣVᵀ, computed without a full SVD. For a symmetric M the SVD is the eigen-decomposition with
/// σᵢ = |λᵢ| and uᵢ the eigenvector (Lanczos on M, largest |λ|). For a general M the uᵢ are the eigenvectors of
/// M Mᵀ with eigenvalues σᵢ² (Lanczos on x ↦ M(Mᵀx), never forming M Mᵀ).
/// </summary>
public static class SpectralEmbedding
{
    /// <summary>Relative tolerance for deciding that M is symmetric.</summary>
    public const double SymmetryTolerance = 1e-12;

    /// <summary>Top-k left singular vectors of the square or rectangular dense <paramref name="m"/>.</summary>
    public static TopSingularVectors Top(Matrix<double> m, int k = 3, int seed = 0, double tolerance = LanczosEigen.DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.RowCount == m.ColumnCount && IsSymmetric(m))
        {
            var e = LanczosEigen.Compute(m, k, EigenEnd.LargestMagnitude, seed, tolerance);
            return new TopSingularVectors(e.Vectors, e.Values.Select(Math.Abs).ToArray(), e.Iterations);
        }
        var tmp = new double[m.ColumnCount];
        var g = LanczosEigen.Compute((x, y) =>
        {
            DenseKernels.TransposeMultiply(m, x, tmp);
            DenseKernels.Multiply(m, tmp, y);
        }, m.RowCount, k, EigenEnd.LargestAlgebraic, seed, tolerance);
        return new TopSingularVectors(g.Vectors, g.Values.Select(v => Math.Sqrt(Math.Max(v, 0))).ToArray(), g.Iterations);
    }

    /// <summary>True when |M_ij − M_ji| ≤ tol · max|M| for all i, j.</summary>
    public static bool IsSymmetric(Matrix<double> m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.RowCount != m.ColumnCount)
        {
            return false;
        }
        var a = DenseKernels.ColumnMajor(m);
        int n = m.RowCount;
        double max = a.Max(Math.Abs), tol = SymmetryTolerance * max;
        for (int j = 0; j < n; j++)
        {
            for (int i = j + 1; i < n; i++)
            {
                if (Math.Abs(a[j * n + i] - a[i * n + j]) > tol)
                {
                    return false;
                }
            }
        }
        return true;
    }
}

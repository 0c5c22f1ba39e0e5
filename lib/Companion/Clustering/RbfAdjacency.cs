using MathNet.Numerics.LinearAlgebra;

namespace Companion.Clustering;

/// <summary>
/// The RBF (Gaussian) adjacency matrix of a point set, EECS 182 HW7 Q5(c) eq. (4), seed 003:
/// A_ij = exp(−γ ‖x_i − x_j‖²), γ &gt; 0. It is symmetric (A_ij = A_ji: the graph is undirected), has A_ii = 1, and is
/// positive semi-definite (Gaussian kernel, Schoenberg 1938), so its eigenvalues are its singular values.
/// </summary>
public static class RbfAdjacency
{
    /// <summary>The homework's γ.</summary>
    public const double HomeworkGamma = 7.5;

    /// <summary>A (n×n) for the n points in the rows of <paramref name="x"/> (n×d); rows computed in parallel.</summary>
    /// <exception cref="ArgumentOutOfRangeException">γ ≤ 0 or not finite.</exception>
    public static Matrix<double> Compute(Matrix<double> x, double gamma = HomeworkGamma)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(gamma > 0) || double.IsInfinity(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "RBF adjacency: γ must be positive and finite");
        }
        int n = x.RowCount, d = x.ColumnCount;
        var pts = new double[n * d]; // row-major copy: point i at [i·d, (i+1)·d)
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < d; k++)
            {
                pts[i * d + k] = x[i, k];
            }
        }
        var a = new double[n * n]; // column-major, and symmetric, so column j = row j
        Parallel.For(0, n, j =>
        {
            var col = a.AsSpan(j * n, n);
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                {
                    double diff = pts[i * d + k] - pts[j * d + k];
                    s += diff * diff;
                }
                col[i] = Math.Exp(-gamma * s);
            }
        });
        return Matrix<double>.Build.Dense(n, n, a);
    }
}

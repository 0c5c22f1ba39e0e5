using MathNet.Numerics.LinearAlgebra;

namespace Companion.Clustering;

/// <summary>
/// The degree matrix, the symmetrically normalised adjacency and its column-stochastic version (EECS 182 HW7 Q5(d),
/// (e), (g), seed 003).
/// </summary>
public static class GraphMatrices
{
    /// <summary>Degrees deg(v_j) = Σ_i A_ij (column sums; equal to row sums for the symmetric A of an undirected graph).</summary>
    public static double[] Degrees(Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireSquare(a, "degrees");
        return a.ColumnSums().ToArray();
    }

    /// <summary>The degree matrix D = diag(deg(v_1), …, deg(v_n)), Q5(d).</summary>
    public static Matrix<double> Degree(Matrix<double> a) => Matrix<double>.Build.DiagonalOfDiagonalArray(Degrees(a));

    /// <summary>M = D^{−1/2} A D^{−1/2}, i.e. M_ij = A_ij / √(d_i d_j), Q5(e) eq. (5). Its eigenvalues lie in [−1, 1] and
    /// √d (the vector of √d_i) is an eigenvector with eigenvalue 1.</summary>
    /// <exception cref="ArgumentException">A vertex has degree ≤ 0 (isolated), so D^{−1/2} does not exist.</exception>
    public static Matrix<double> SymmetricNormalised(Matrix<double> a)
    {
        var d = Degrees(a);
        int bad = Array.FindIndex(d, v => !(v > 0));
        if (bad >= 0)
        {
            throw new ArgumentException($"D^(-1/2) A D^(-1/2): vertex {bad} has degree {d[bad]}, must be positive", nameof(a));
        }
        var s = d.Select(v => 1 / Math.Sqrt(v)).ToArray();
        return ScaleRowsColumns(a, s, s);
    }

    /// <summary>M_stoch: each column of M divided by its sum, so that every column sums to 1 (Q5(g): "the sum of the
    /// elements in each column must add up to 1"). M_stoch = M C^{−1}, C = diag(1ᵀM). Not symmetric in general.</summary>
    /// <exception cref="ArgumentException">A column sums to ≤ 0.</exception>
    public static Matrix<double> ColumnStochastic(Matrix<double> m)
    {
        ArgumentNullException.ThrowIfNull(m);
        RequireSquare(m, "column-stochastic");
        var c = m.ColumnSums().ToArray();
        int bad = Array.FindIndex(c, v => !(v > 0));
        if (bad >= 0)
        {
            throw new ArgumentException($"stochastic matrix: column {bad} sums to {c[bad]}, must be positive", nameof(m));
        }
        return ScaleRowsColumns(m, Enumerable.Repeat(1.0, c.Length).ToArray(), c.Select(v => 1 / v).ToArray());
    }

    /// <summary>diag(r) · A · diag(c).</summary>
    private static Matrix<double> ScaleRowsColumns(Matrix<double> a, double[] r, double[] c)
    {
        int n = a.RowCount;
        var src = Numerics.DenseKernels.ColumnMajor(a.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> ? a : Matrix<double>.Build.DenseOfMatrix(a));
        var dst = new double[src.Length];
        Parallel.For(0, a.ColumnCount, j =>
        {
            for (int i = 0; i < n; i++)
            {
                dst[j * n + i] = r[i] * src[j * n + i] * c[j];
            }
        });
        return Matrix<double>.Build.Dense(n, a.ColumnCount, dst);
    }

    private static void RequireSquare(Matrix<double> a, string what)
    {
        if (a.RowCount != a.ColumnCount)
        {
            throw new ArgumentException($"{what}: the adjacency matrix must be square but is {a.RowCount}×{a.ColumnCount}", nameof(a));
        }
    }
}

using SimdVector = System.Numerics.Vector;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace Companion.Numerics;

/// <summary>
/// Matrix–vector products on a dense matrix, SIMD and split over the cores, for the iterative eigen-solvers
/// (<see cref="LanczosEigen"/>) that touch an N×N matrix only through products (N up to a few thousand).
/// </summary>
public static class DenseKernels
{
    /// <summary>Minimum rows per parallel chunk (smaller matrices run on one thread).</summary>
    private const int ChunkRows = 128;

    /// <summary>The column-major storage of a dense MathNet matrix (no copy).</summary>
    /// <exception cref="ArgumentException">The matrix is not dense.</exception>
    public static double[] ColumnMajor(Matrix<double> a) =>
        a.Storage is DenseColumnMajorMatrixStorage<double> s
            ? s.Data
            : throw new ArgumentException($"expected a dense matrix but got {a.GetType().Name}", nameof(a));

    /// <summary>y = Aᵀx for the m×n matrix A (y has length n): y_j = ⟨column j, x⟩.</summary>
    public static void TransposeMultiply(Matrix<double> a, ReadOnlySpan<double> x, Span<double> y)
    {
        int m = a.RowCount, n = a.ColumnCount;
        if (x.Length != m || y.Length != n)
        {
            throw new ArgumentException($"Aᵀx: A is {m}×{n} but x has {x.Length} and y {y.Length} entries");
        }
        var data = ColumnMajor(a);
        var xs = x.ToArray();
        var ys = new double[n];
        Parallel.For(0, (n + ChunkRows - 1) / ChunkRows, c =>
        {
            int end = Math.Min(n, (c + 1) * ChunkRows);
            for (int j = c * ChunkRows; j < end; j++)
            {
                ys[j] = Dot(data.AsSpan(j * m, m), xs);
            }
        });
        ys.CopyTo(y);
    }

    /// <summary>y = A x for a symmetric n×n matrix A (y_i = ⟨column i, x⟩, which equals row i·x by symmetry).</summary>
    public static void SymmetricMultiply(Matrix<double> a, ReadOnlySpan<double> x, Span<double> y) =>
        TransposeMultiply(a, x, y);

    /// <summary>y = A x for the m×n matrix A (y has length m): a sum of columns scaled by x, rows split over cores.</summary>
    public static void Multiply(Matrix<double> a, ReadOnlySpan<double> x, Span<double> y)
    {
        int m = a.RowCount, n = a.ColumnCount;
        if (x.Length != n || y.Length != m)
        {
            throw new ArgumentException($"Ax: A is {m}×{n} but x has {x.Length} and y {y.Length} entries");
        }
        var data = ColumnMajor(a);
        var xs = x.ToArray();
        var ys = new double[m];
        int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount, m / ChunkRows));
        int size = (m + chunks - 1) / chunks;
        Parallel.For(0, chunks, c =>
        {
            int start = c * size, len = Math.Min(m, start + size) - start;
            if (len <= 0)
            {
                return;
            }
            var acc = ys.AsSpan(start, len);
            for (int j = 0; j < n; j++)
            {
                Axpy(xs[j], data.AsSpan(j * m + start, len), acc);
            }
        });
        ys.CopyTo(y);
    }

    /// <summary>⟨u, v⟩ with SIMD.</summary>
    public static double Dot(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        int n = u.Length, w = System.Numerics.Vector<double>.Count, i = 0;
        var acc = System.Numerics.Vector<double>.Zero;
        var uv = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(u);
        var vv = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(v[..n]);
        for (int k = 0; k < uv.Length; k++)
        {
            acc += uv[k] * vv[k];
        }
        i = uv.Length * w;
        double s = SimdVector.Sum(acc);
        for (; i < n; i++)
        {
            s += u[i] * v[i];
        }
        return s;
    }

    /// <summary>y ← y + a·x with SIMD.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, w = System.Numerics.Vector<double>.Count;
        var xv = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(x);
        var yv = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(y[..n]);
        var av = new System.Numerics.Vector<double>(a);
        for (int k = 0; k < xv.Length; k++)
        {
            yv[k] += av * xv[k];
        }
        for (int i = xv.Length * w; i < n; i++)
        {
            y[i] += a * x[i];
        }
    }
}

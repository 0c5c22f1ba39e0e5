using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Numerics;

/// <summary>The SIMD, multi-core products against MathNet's own.</summary>
public class DenseKernelsTests
{
    private const double Tolerance = 1e-12;

    [Theory]
    [InlineData(7, 5)]
    [InlineData(300, 257)]
    public void Products_match_mathnet(int m, int n)
    {
        var a = Matrix<double>.Build.Random(m, n, 1);
        var x = Vector<double>.Build.Random(n, 2);
        var z = Vector<double>.Build.Random(m, 3);
        var y = new double[m];
        DenseKernels.Multiply(a, x.ToArray(), y);
        Assert.True((Vector<double>.Build.Dense(y) - a * x).InfinityNorm() < Tolerance * n);
        var t = new double[n];
        DenseKernels.TransposeMultiply(a, z.ToArray(), t);
        Assert.True((Vector<double>.Build.Dense(t) - a.TransposeThisAndMultiply(z)).InfinityNorm() < Tolerance * m);
        Assert.Equal(x.DotProduct(x), DenseKernels.Dot(x.ToArray(), x.ToArray()), Tolerance * n);
    }

    [Fact]
    public void Shape_mismatch_is_named()
    {
        var a = Matrix<double>.Build.Dense(3, 2);
        var e = Assert.Throws<ArgumentException>(() => DenseKernels.Multiply(a, new double[3], new double[3]));
        Assert.Contains("3×2", e.Message);
    }
}

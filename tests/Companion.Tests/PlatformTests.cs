using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests;

/// <summary>Facts about the packages that the kernels rely on, pinned so an upgrade that changes them fails here.</summary>
public class PlatformTests
{
    [Fact]
    public void MathNet_singular_values_come_descending()
    {
        var a = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 0 }, { 0, 5, 0 }, { 0, 0, 3 } });
        var s = a.Svd().S;
        Assert.Equal(new[] { 5.0, 3.0, 1.0 }, s.ToArray());
    }
}

using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

/// <summary>Random regression data (X n×d, Y n×p) shared by the linear-network tests.</summary>
internal static class LinearNetworkData
{
    public static (Matrix<double> X, Matrix<double> Y) Sample(int n, int d, int p, int seed)
    {
        var normal = new Normal(0, 1, new Random(seed));
        var x = Matrix<double>.Build.Random(n, d, normal);
        var y = x * Matrix<double>.Build.Random(d, p, normal) + 0.3 * Matrix<double>.Build.Random(n, p, normal);
        return (x, y);
    }
}

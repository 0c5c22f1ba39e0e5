using Companion.LinearNetworks;
using Companion.Numerics;

namespace Companion.Tests.LinearNetworks;

public class AutoencoderPenaltyTests
{
    private const double Tolerance = 1e-12;
    private const double GradientRelativeTolerance = 1e-7;

    [Fact]
    public void Uniform_penalty_is_lambda_times_the_squared_Frobenius_norms()
    {
        var a = TestCovariances.Gaussian(5, 3, 1, seed: 1);
        var b = TestCovariances.Gaussian(3, 5, 1, seed: 2);
        double expected = 0.3 * (Math.Pow(a.FrobeniusNorm(), 2) + Math.Pow(b.FrobeniusNorm(), 2));
        Assert.Equal(expected, AutoencoderPenalty.Uniform(0.3).Value(a, b), Tolerance);
        Assert.Equal(0, AutoencoderPenalty.None.Value(a, b));
    }

    [Fact]
    public void Per_unit_penalty_gradient_matches_finite_differences()
    {
        var a = TestCovariances.Gaussian(4, 3, 1, seed: 3);
        var b = TestCovariances.Gaussian(3, 4, 1, seed: 4);
        var r = AutoencoderPenalty.PerUnit(0.1, 0.2, 0.4);
        var (gA, gB) = r.Gradient(a, b);
        Assert.True(FiniteDifference.RelativeError(gA, FiniteDifference.Gradient(x => r.Value(x, b), a)) < GradientRelativeTolerance);
        Assert.True(FiniteDifference.RelativeError(gB, FiniteDifference.Gradient(x => r.Value(a, x), b)) < GradientRelativeTolerance);
    }

    [Fact]
    public void Bad_weights_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => AutoencoderPenalty.Uniform(-1));
        Assert.Throws<ArgumentException>(() => AutoencoderPenalty.PerUnit());
        Assert.Throws<ArgumentException>(() => AutoencoderPenalty.PerUnit(0.1, double.NaN));
        var ex = Assert.Throws<ArgumentException>(() => AutoencoderPenalty.PerUnit(0.1, 0.2).Weights(3));
        Assert.Contains("k = 3", ex.Message);
    }
}

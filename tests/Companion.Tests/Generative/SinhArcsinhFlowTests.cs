using Companion.Generative;

namespace Companion.Tests.Generative;

public class SinhArcsinhFlowTests
{
    private const double RoundTrip = 1e-10;
    private const double FiniteDifferenceStep = 1e-6;
    private const double FiniteDifferenceTolerance = 1e-7;

    private static readonly SinhArcsinhFlow Flow = new(0.3, Math.Log(1.2), 0.5, Math.Log(0.7));
    private static readonly double[] Points = { -4, -1.3, -0.2, 0, 0.7, 2.5, 6 };

    [Fact]
    public void Inverse_undoes_forward_both_ways()
    {
        foreach (var p in Points)
        {
            Assert.Equal(p, Flow.Inverse(Flow.Forward(p)), RoundTrip);
            Assert.Equal(p, Flow.Forward(Flow.Inverse(p)), RoundTrip);
        }
    }

    [Fact]
    public void Log_Jacobians_match_finite_differences_and_are_opposite_at_matching_points()
    {
        foreach (var p in Points)
        {
            var fdForward = (Flow.Forward(p + FiniteDifferenceStep) - Flow.Forward(p - FiniteDifferenceStep)) / (2 * FiniteDifferenceStep);
            var fdInverse = (Flow.Inverse(p + FiniteDifferenceStep) - Flow.Inverse(p - FiniteDifferenceStep)) / (2 * FiniteDifferenceStep);
            Assert.Equal(Math.Log(fdForward), Flow.LogAbsDetForward(p), FiniteDifferenceTolerance);
            Assert.Equal(Math.Log(fdInverse), Flow.LogAbsDetInverse(p), FiniteDifferenceTolerance);
            Assert.Equal(-Flow.LogAbsDetForward(p), Flow.LogAbsDetInverse(Flow.Forward(p)), RoundTrip);
        }
    }

    [Fact]
    public void Model_density_integrates_to_one()
    {
        // ∫ p_F(U) dx by Simpson's rule: the change of variables must conserve mass.
        const int n = 40_000;
        double a = -40, b = 40, h = (b - a) / n, sum = 0;
        for (var i = 0; i <= n; i++)
            sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(NormalizingFlow.LogDensity(Flow, a + i * h));
        Assert.Equal(1, sum * h / 3, 1e-6);
    }

    [Fact]
    public void Zero_skew_and_unit_tail_weight_is_the_affine_flow()
    {
        var sas = new SinhArcsinhFlow(0.4, Math.Log(2), 0, 0);
        var affine = new AffineFlow(0.4, Math.Log(2));
        foreach (var p in Points)
        {
            Assert.Equal(affine.Forward(p), sas.Forward(p), RoundTrip);
            Assert.Equal(NormalizingFlow.LogDensity(affine, p), NormalizingFlow.LogDensity(sas, p), RoundTrip);
        }
    }

    [Fact]
    public void Samples_pushed_back_through_the_inverse_are_standard_normal()
    {
        var u = NormalizingFlow.Sample(Flow, 40_000, seed: 3).Select(Flow.Inverse).ToArray();
        var mean = u.Average();
        Assert.Equal(0, mean, 0.02);
        Assert.Equal(1, u.Sum(v => (v - mean) * (v - mean)) / u.Length, 0.03);
    }
}

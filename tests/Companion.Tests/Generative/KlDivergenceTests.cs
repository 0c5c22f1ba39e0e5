using Companion.Generative;
using MathNet.Numerics.Distributions;

namespace Companion.Tests.Generative;

public class KlDivergenceTests
{
    private const double SampleBySample = 1e-12;
    private const double StandardErrors = 4;
    private const double QuadratureTolerance = 1e-9;

    [Theory]
    [InlineData(0.0, 1.0, 0.0, 1.0)]
    [InlineData(1.0, 0.8, 0.5, 1.5)]
    [InlineData(-2.0, 3.0, 1.0, 0.5)]
    public void Gaussian_closed_form_matches_quadrature(double m1, double s1, double m2, double s2)
    {
        var quad = KlDivergence.Quadrature(x => Normal.PDFLn(m1, s1, x), x => Normal.PDFLn(m2, s2, x), m1 - 20 * s1, m1 + 20 * s1);
        Assert.Equal(quad, KlDivergence.Gaussian(m1, s1, m2, s2), QuadratureTolerance);
        Assert.True(KlDivergence.Gaussian(m1, s1, m2, s2) >= 0);
    }

    [Fact]
    public void Affine_flow_on_Gaussian_data_both_sides_agree_per_sample_and_with_the_closed_form()
    {
        // P_X = N(1, 0.8²), F(u) = 0.5 + 1.5u: P_F(U) = N(0.5, 1.5²) and P_F⁻¹(X) = N((1 − 0.5)/1.5, (0.8/1.5)²).
        var data = new GaussianMixture(new[] { 1.0 }, new[] { 1.0 }, new[] { 0.8 });
        var flow = new AffineFlow(0.5, Math.Log(1.5));
        var x = data.Sample(5000, seed: 1);
        var dataSide = KlDivergence.DataSpaceIntegrand(flow, data.LogDensity, x);
        var baseSide = KlDivergence.BaseSpaceIntegrand(flow, data.LogDensity, x);
        for (var i = 0; i < x.Length; i++)
            Assert.Equal(dataSide[i], baseSide[i], SampleBySample);
        var closedData = KlDivergence.Gaussian(1, 0.8, 0.5, 1.5);
        var closedBase = KlDivergence.Gaussian((1 - 0.5) / 1.5, 0.8 / 1.5, 0, 1);
        Assert.Equal(closedData, closedBase, 1e-14);
        var (estimate, se) = KlDivergence.MonteCarlo(dataSide);
        Assert.InRange(closedData, estimate - StandardErrors * se, estimate + StandardErrors * se);
    }

    [Fact]
    public void Sinh_arcsinh_flow_on_bimodal_data_both_sides_agree_per_sample_and_with_quadrature_in_both_spaces()
    {
        var data = new GaussianMixture(new[] { 0.4, 0.6 }, new[] { -2.0, 2.0 }, new[] { 0.5, 0.5 });
        var flow = new SinhArcsinhFlow(0.3, Math.Log(1.2), 0.5, Math.Log(0.7));
        var x = data.Sample(5000, seed: 2);
        var dataSide = KlDivergence.DataSpaceIntegrand(flow, data.LogDensity, x);
        var baseSide = KlDivergence.BaseSpaceIntegrand(flow, data.LogDensity, x);
        for (var i = 0; i < x.Length; i++)
            Assert.Equal(dataSide[i], baseSide[i], SampleBySample);
        // Independent references: D_KL[P_X ‖ P_F(U)] by quadrature over x, D_KL[P_F⁻¹(X) ‖ P_U] by quadrature over u.
        var quadData = KlDivergence.Quadrature(data.LogDensity, t => NormalizingFlow.LogDensity(flow, t), -12, 12);
        var quadBase = KlDivergence.Quadrature(u => NormalizingFlow.PulledBackLogDensity(flow, data.LogDensity, u),
            NormalizingFlow.BaseLogDensity, -12, 12, 40_000);
        Assert.Equal(quadData, quadBase, 1e-6);
        var (estimate, se) = KlDivergence.MonteCarlo(baseSide);
        Assert.InRange(quadData, estimate - StandardErrors * se, estimate + StandardErrors * se);
    }

    [Fact]
    public void Divergence_of_a_distribution_from_itself_is_zero()
    {
        var flow = new SinhArcsinhFlow(0, 0, 0.3, 0.2);
        Assert.Equal(0, KlDivergence.Quadrature(t => NormalizingFlow.LogDensity(flow, t), t => NormalizingFlow.LogDensity(flow, t), -20, 20), 1e-15);
        var x = NormalizingFlow.Sample(flow, 100, seed: 1);
        Assert.All(KlDivergence.DataSpaceIntegrand(flow, t => NormalizingFlow.LogDensity(flow, t), x), v => Assert.Equal(0, v, 1e-12));
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_a_message()
    {
        Assert.Throws<ArgumentException>(() => KlDivergence.Gaussian(0, 0, 0, 1));
        var ex = Assert.Throws<ArgumentException>(() => KlDivergence.Quadrature(x => 0, x => 0, 0, 1, 3));
        Assert.Contains("even", ex.Message);
        Assert.Throws<ArgumentException>(() => KlDivergence.MonteCarlo(new[] { 1.0 }));
    }
}

using Companion.SelfSupervised;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.SelfSupervised;

public class SimSiamDynamicsTests
{
    // The bound ‖W(t)‖ ≤ e^{−λ₀t}‖W(0)‖ is exact; allow for the integrator's error (rtol 1e-9) only.
    private const double RateMargin = 1e-6;
    private const double ConservationTolerance = 1e-7;
    private const double TEnd = 30;

    private static readonly AugmentationStatistics S = AugmentationStatistics.Sample(6, 100, 4, 0.5, seed: 1).Statistics;
    private static readonly (Matrix<double> W0, Matrix<double> Wp0) Init = SimSiamDynamics.InitialWeights(6, 3, 1.0, 0.5, seed: 7);

    [Theory]
    [InlineData(SimSiamVariant.NoStopGradient)]
    [InlineData(SimSiamVariant.NoStopGradientNoPredictor)]
    public void Without_stop_gradient_W_collapses_at_rate_at_least_lambda0(SimSiamVariant variant)
    {
        var tr = SimSiamDynamics.Integrate(variant, S, Init.W0, Init.Wp0, TEnd, samples: 60);
        double lambda0 = LinearSimSiam.Lambda0(variant, S);
        double minRate = SimSiamDynamics.AverageDecayRate(tr).Min();
        Assert.True(minRate >= lambda0 - RateMargin, $"average decay rate fell to {minRate} < λ₀ = {lambda0}");
        Assert.True(tr.WNorm[^1] < 1e-2 * tr.WNorm[0], $"‖W(T)‖ = {tr.WNorm[^1]} has not collapsed from {tr.WNorm[0]}");
        Assert.True(tr.LambdaMinH.Min() >= lambda0 - RateMargin, "λ_min(H(t)) ≥ λ₀ along the trajectory");
    }

    [Theory]
    [InlineData(SimSiamVariant.NoStopGradient)]
    [InlineData(SimSiamVariant.NoStopGradientNoPredictor)]
    public void Without_stop_gradient_the_flow_is_a_gradient_flow_so_J_never_increases(SimSiamVariant variant)
    {
        var tr = SimSiamDynamics.Integrate(variant, S, Init.W0, Init.Wp0, TEnd, samples: 60);
        for (int k = 1; k < tr.Loss.Length; k++)
        {
            Assert.True(tr.Loss[k] <= tr.Loss[k - 1] + 1e-12, $"J went up at t = {tr.T[k]}");
        }

        Assert.True(tr.Loss[^1] < 1e-4 * tr.Loss[0]);
    }

    [Fact]
    public void With_stop_gradient_W_stays_bounded_away_from_zero()
    {
        var tr = SimSiamDynamics.Integrate(SimSiamVariant.StopGradient, S, Init.W0, Init.Wp0, TEnd, samples: 60);
        double bound = SimSiamDynamics.StopGradientNormBound(Init.W0, Init.Wp0);
        Assert.True(bound > 0.5 * tr.WNorm[0], $"the initialisation should give a useful bound, got {bound}");
        Assert.All(tr.WNorm, n => Assert.True(n >= bound * (1 - RateMargin), $"‖W‖ = {n} below the conserved-quantity bound {bound}"));
        Assert.True(tr.WNorm[^1] > 0.5 * tr.WNorm[0], $"‖W(T)‖ = {tr.WNorm[^1]}");
        Assert.True(tr.Loss[^1] > 0.1, "no collapse: the loss keeps the augmentation variance");
    }

    [Fact]
    public void Stop_gradient_flow_conserves_Wp_transpose_Wp_minus_W_W_transpose()
    {
        var tr = SimSiamDynamics.Integrate(SimSiamVariant.StopGradient, S, Init.W0, Init.Wp0, TEnd, samples: 10);
        var gap0 = SimSiamDynamics.ConservedGap(Init.W0, Init.Wp0);
        for (int k = 0; k < tr.T.Length; k++)
        {
            double drift = (SimSiamDynamics.ConservedGap(tr.W[k], tr.Wp[k]) - gap0).FrobeniusNorm();
            Assert.True(drift < ConservationTolerance, $"drift {drift} at t = {tr.T[k]}");
        }

        // Without Stop-Grad it is not conserved (the check can fail).
        var noSg = SimSiamDynamics.Integrate(SimSiamVariant.NoStopGradient, S, Init.W0, Init.Wp0, TEnd, samples: 10);
        Assert.True((SimSiamDynamics.ConservedGap(noSg.W[^1], noSg.Wp[^1]) - gap0).FrobeniusNorm() > 0.1);
    }

    [Fact]
    public void Trajectories_start_at_the_initial_weights_and_sample_the_requested_times()
    {
        var tr = SimSiamDynamics.Integrate(SimSiamVariant.NoStopGradientNoPredictor, S, Init.W0, Init.Wp0, 10, samples: 5);
        Assert.Equal(new[] { 0.0, 2, 4, 6, 8, 10 }, tr.T);
        Assert.Equal(Init.W0, tr.W[0]);
        Assert.Equal(Matrix<double>.Build.DenseIdentity(3), tr.Wp[^1]);
        // Ẇ = −2WX′ has the closed form W(t) = W₀ exp(−2X′t).
        var evd = S.XPrime.Evd(Symmetricity.Symmetric);
        var exp = evd.EigenVectors * Matrix<double>.Build.DenseOfDiagonalVector(evd.EigenValues.Map(l => Math.Exp(-2 * l.Real * 10))) * evd.EigenVectors.Transpose();
        Assert.True((tr.W[^1] - (Init.W0 * exp)).FrobeniusNorm() < 1e-7);
    }
}

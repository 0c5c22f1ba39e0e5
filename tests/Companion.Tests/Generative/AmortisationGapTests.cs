using Companion.Generative;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Generative;

public class AmortisationGapTests
{
    private const double Identity = 1e-10;
    private const double RoundOff = 1e-12;

    private static readonly LinearGaussianModel Model = LinearGaussianModel.Random(8, 3, 1.0, seed: 1);
    private static readonly Matrix<double> X = Model.Sample(100, seed: 2);

    [Fact]
    public void Per_datapoint_amortised_KL_is_at_least_the_instance_KL_which_is_positive()
    {
        // Question 1.2: KL(q_φ* ‖ p(z|x_i)) ≥ KL(q_i* ‖ p(z|x_i)) ≥ 0, for every i, with a fitted rank-1 encoder.
        var encoder = AmortisedEncoder.Fit(Model, X, r: 1).Encoder;
        var gap = AmortisationGap.Measure(Model, X, encoder);
        for (var i = 0; i < X.ColumnCount; i++)
        {
            Assert.True(gap.KlAmortised[i] >= gap.KlInstance[i] - RoundOff, $"datapoint {i}");
            Assert.True(gap.KlInstance[i] > 0);
        }
        Assert.True(gap.Amortisation.Average() > 0.5, "a rank-1 encoder for K = 3 leaves a clear gap");
        Assert.True(gap.MaxIdentityResidual < Identity);
    }

    [Fact]
    public void Mean_amortisation_gap_shrinks_with_encoder_rank_and_vanishes_at_full_rank()
    {
        var means = Enumerable.Range(1, Model.K)
            .Select(r => AmortisationGap.Measure(Model, X, AmortisedEncoder.OptimalLowRank(Model, X, r)).Amortisation.Average())
            .ToArray();
        Assert.True(means[0] > means[1] && means[1] > means[2]);
        Assert.True(Math.Abs(means[2]) < 1e-10);
    }

    [Fact]
    public void Instance_KL_is_the_same_for_every_datapoint_in_the_linear_Gaussian_model()
    {
        // Σ_post and the optimal variances do not depend on x, and the mean is matched: KL(q_i* ‖ p) is a constant.
        var gap = AmortisationGap.Measure(Model, X, AmortisedEncoder.OptimalLowRank(Model, X, 1));
        Assert.True(gap.KlInstance.Max() - gap.KlInstance.Min() < Identity);
    }
}

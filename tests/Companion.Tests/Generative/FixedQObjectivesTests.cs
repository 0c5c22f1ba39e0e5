using Companion.Generative;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Generative;

public class FixedQObjectivesTests
{
    private const double Identity = 1e-10;

    private static readonly LinearGaussianModel Model = LinearGaussianModel.Random(8, 3, 1.0, seed: 1);
    private static readonly Matrix<double> X = Model.Sample(100, seed: 2);
    private static readonly double[] Sigmas = Enumerable.Range(0, 36).Select(j => 0.6 + j * 0.04).ToArray();

    [Fact]
    public void Ecll_plus_entropy_equals_log_evidence_minus_KL_at_every_theta()
    {
        var q = Enumerable.Range(0, X.ColumnCount).Select(i => MeanFieldGaussian.Optimal(Model, X.Column(i))).ToArray();
        var curves = FixedQObjectives.OverNoise(Model, X, q, Sigmas);
        Assert.True(curves.MaxIdentityResidual < Identity);
        Assert.Equal(curves.ArgMaxEcll, curves.ArgMaxLogEvidenceMinusKl);
        // log p − KL ≤ log p, with equality nowhere (the mean-field q is never the exact posterior here).
        Assert.All(curves.LogEvidenceMinusKl.Zip(curves.LogEvidence), pair => Assert.True(pair.First < pair.Second));
        // The evidence term is independent of q: compare with a direct average.
        var theta = new LinearGaussianModel(Model.W, Model.b, Sigmas[10]);
        Assert.Equal(Enumerable.Range(0, X.ColumnCount).Average(i => theta.LogMarginal(X.Column(i))), curves.LogEvidence[10], Identity);
    }

    [Fact]
    public void With_a_rank_one_encoder_q_the_Ecll_maximiser_is_a_noisier_decoder_than_maximum_likelihood()
    {
        const double Margin = 0.2;
        var encoder = AmortisedEncoder.OptimalLowRank(Model, X, 1);
        var q = Enumerable.Range(0, X.ColumnCount).Select(i => encoder.Encode(X.Column(i))).ToArray();
        var curves = FixedQObjectives.OverNoise(Model, X, q, Sigmas);
        Assert.True(curves.ArgMaxEcll > curves.ArgMaxLogEvidence + Margin,
            $"argmax ECLL σ = {curves.ArgMaxEcll}, argmax log p σ = {curves.ArgMaxLogEvidence}");
        Assert.InRange(curves.ArgMaxLogEvidence, 0.85, 1.15);   // data drawn with σ = 1
    }

    [Fact]
    public void One_q_per_datapoint_is_required()
    {
        var q = new[] { MeanFieldGaussian.Optimal(Model, X.Column(0)) };
        var ex = Assert.Throws<ArgumentException>(() => FixedQObjectives.OverNoise(Model, X, q, Sigmas));
        Assert.Contains("one distribution per datapoint", ex.Message);
    }
}

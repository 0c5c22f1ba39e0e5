using Companion.Generative;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Generative;

public class InferenceCostTests
{
    private static readonly LinearGaussianModel Model = LinearGaussianModel.Random(8, 3, 1.0, seed: 1);
    private static readonly Matrix<double> X = Model.Sample(100, seed: 2);
    private static readonly Matrix<double> XNew = Model.Sample(100, seed: 3);

    [Fact]
    public void Memory_counts_and_work_counts_are_consistent_and_a_new_datapoint_is_far_cheaper_amortised()
    {
        const int r = 2;
        var cost = InferenceCost.Measure(Model, X, XNew, r);
        Assert.Equal(r * (Model.K + Model.D) + 2 * Model.K, cost.AmortisedParameters);
        Assert.Equal(2 * Model.K * X.ColumnCount, cost.InstanceParameters);
        Assert.Equal(0, cost.AmortisedPerDatapointGradients % X.ColumnCount);
        Assert.True(cost.InstancePerDatapointGradients > 10 * X.ColumnCount, "each q_i takes many gradient steps");
        Assert.True(cost.StepsPerNewDatapoint > 10);
        // One encoder pass vs hundreds of gradient steps: a ratio of ~10³ measured; assert a generous 10×.
        Assert.True(cost.EncodeSecondsPerNewDatapoint * 10 < cost.OptimiseSecondsPerNewDatapoint,
            $"encode {cost.EncodeSecondsPerNewDatapoint:E2} s vs optimise {cost.OptimiseSecondsPerNewDatapoint:E2} s");
        Assert.True(cost.BreakEvenDatapoints > 0);
        // The encoder returned is the one whose fit was timed: it reaches the closed-form rank-r optimum.
        Assert.Equal(AmortisedEncoder.AverageElbo(Model, X, AmortisedEncoder.OptimalLowRank(Model, X, r)),
            AmortisedEncoder.AverageElbo(Model, X, cost.Encoder), 1e-6);
    }
}

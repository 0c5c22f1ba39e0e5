using Companion.LinearNetworks;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class FactorGradientDescentTests
{
    private const double ConvergedRelativeGap = 1e-6;
    private const double RankTolerance = 1e-3;

    private static readonly (Matrix<double> X, Matrix<double> Y) Data = LinearNetworkData.Sample(30, 4, 3, seed: 31);

    [Fact]
    public void Without_a_bottleneck_descent_reaches_the_least_squares_loss_and_the_normal_equations()
    {
        var (x, y) = Data;
        double qStar = ProductLoss.Q(ProductLoss.Minimiser(x, y), x, y);
        int[] widths = [4, 5, 3];                       // min dᵢ = 3 = min(p, d)
        var run = FactorGradientDescent.Train(LinearNetwork.RandomFactors(widths, 0.3, seed: 1), x, y, eta: 0.005, steps: 4000, recordEvery: 100);
        Assert.True(run.Loss[^1] < run.Loss[0]);
        Assert.True((run.Loss[^1] - qStar) / qStar < ConvergedRelativeGap, $"loss {run.Loss[^1]} vs Q* {qStar}");
        Assert.True(run.Residual[^1] < 1e-3 * run.Residual[0]);
    }

    [Fact]
    public void With_a_bottleneck_the_loss_stays_above_the_least_squares_loss()
    {
        var (x, y) = Data;
        double qStar = ProductLoss.Q(ProductLoss.Minimiser(x, y), x, y);
        var run = FactorGradientDescent.Train(LinearNetwork.RandomFactors([4, 1, 3], 0.3, seed: 2), x, y, eta: 0.005, steps: 4000, recordEvery: 100);
        // Rank-1 products cannot reach the rank-3 least-squares fit: the best rank-one W̄ (reduced-rank regression)
        // has a strictly larger loss, and the normal equations cannot hold.
        Assert.True(run.Loss[^1] > qStar * (1 + 0.01));
        Assert.True(RankFactorisation.Rank(ProductLoss.Minimiser(x, y)) > 1 + RankTolerance);
    }

    [Fact]
    public void Too_large_a_step_is_reported()
    {
        var (x, y) = Data;
        var ex = Assert.Throws<ArgumentException>(() =>
            FactorGradientDescent.Train(LinearNetwork.RandomFactors([4, 5, 3], 1, seed: 3), x, y, eta: 10, steps: 200));
        Assert.Contains("too large", ex.Message);
    }
}

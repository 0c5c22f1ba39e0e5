using Companion.LinearNetworks;

namespace Companion.Tests.LinearNetworks;

public class OrthogonalInitialisationTests
{
    private const double DiagonalTolerance = 1e-8;

    [Fact]
    public void Orthogonal_initialisation_stays_diagonal_along_the_flow_and_random_does_not()
    {
        // Part 2: D₀ = 4 → D₁ = 3 → D₂ = 5 → D_L = 3, whitened X, YXᵀ = U diag(3, 2, 1) Vᵀ.
        var (x, y, u, v) = DeepLinearNetwork.WhitenedData(4, 3, 12, [3, 2, 1], seed: 1);
        var r = OrthogonalInitialisation.Bases(v, u, [3, 5], seed: 2);
        var w0 = OrthogonalInitialisation.Build(r, [[0.3, 0.2, 0.1], [0.2, 0.3, 0.25], [0.1, 0.3, 0.2]]);
        Assert.True(OrthogonalInitialisation.MaxOffDiagonal(w0, r) < 1e-12);
        var run = DeepLinearNetwork.GradientFlow(x, y, w0, 6, [0.5, 1, 2, 4, 8]);
        foreach (var ws in run.W)
        {
            Assert.True(OrthogonalInitialisation.MaxOffDiagonal(ws, r) < DiagonalTolerance);
        }

        var random = Enumerable.Range(0, 3).Select(l => TestCovariances.Gaussian(w0[l].RowCount, w0[l].ColumnCount, 0.2, 10 + l)).ToArray();
        var runRandom = DeepLinearNetwork.GradientFlow(x, y, random, 6, [0.5, 1, 2, 4, 8]);
        Assert.True(runRandom.W.All(ws => OrthogonalInitialisation.MaxOffDiagonal(ws, r) > 1e-2));
    }

    [Fact]
    public void Too_many_diagonal_values_are_rejected()
    {
        var r = OrthogonalInitialisation.Bases(TestCovariances.RandomOrthogonal(3, 1), TestCovariances.RandomOrthogonal(2, 2), [], seed: 3);
        var ex = Assert.Throws<ArgumentException>(() => OrthogonalInitialisation.Build(r, [[1, 2, 3]]));
        Assert.Contains("at most 2", ex.Message);
    }
}

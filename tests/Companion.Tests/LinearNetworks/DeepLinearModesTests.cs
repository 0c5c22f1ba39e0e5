using Companion.LinearNetworks;

namespace Companion.Tests.LinearNetworks;

public class DeepLinearModesTests
{
    private const double ClosedFormTolerance = 1e-7;
    private const double ModeMatchTolerance = 1e-6;
    private const double HalfTimeRelativeTolerance = 1e-4;

    [Fact]
    public void Full_matrix_flow_from_orthogonal_initialisation_follows_the_mode_equation_mode_by_mode()
    {
        // Part 3: the diagonal of R_{l+1}ᵀ W_l(t) R_l equals the solution of (5) at τ = 2ηt/N, for every mode and layer.
        double[] s = [3, 1.5, 0.5];
        const int N = 12;
        var (x, y, u, v) = DeepLinearNetwork.WhitenedData(3, 3, N, s, seed: 1);
        var r = OrthogonalInitialisation.Bases(v, u, [3, 3], seed: 2);
        double[][] d0 = [[0.3, 0.2, 0.1], [0.25, 0.15, 0.3], [0.2, 0.3, 0.2]];
        var w0 = OrthogonalInitialisation.Build(r, d0);
        const double eta = 1.0;
        double[] times = [1, 2, 4, 8, 16];
        var full = DeepLinearNetwork.GradientFlow(x, y, w0, eta, times);
        for (int j = 0; j < 3; j++)
        {
            var mode = DeepLinearModes.Integrate(s[j], [d0[0][j], d0[1][j], d0[2][j]], times.Select(t => 2 * eta * t / N).ToArray());
            for (int t = 0; t < full.T.Length; t++)
            {
                var inBases = OrthogonalInitialisation.InBases(full.W[t], r);
                for (int l = 0; l < 3; l++)
                {
                    Assert.Equal(mode.D[t][l], inBases[l][j, j], ModeMatchTolerance);
                }
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Closed_forms_for_depth_1_and_2_match_the_integration(int depth)
    {
        const double s = 2, u0 = 0.1;
        double[] times = [0.5, 1, 2, 4, 8];
        var mode = DeepLinearModes.Integrate(s, Enumerable.Repeat(u0, depth).ToArray(), times);
        for (int t = 1; t < mode.T.Length; t++)
        {
            Assert.Equal(DeepLinearModes.EqualLayersProduct(depth, s, Math.Pow(u0, depth), mode.T[t]), mode.Product[t], ClosedFormTolerance);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Half_time_from_the_quadrature_matches_the_integrated_trajectory(int depth)
    {
        const double s = 1.5, u0 = 0.3;
        double tHalf = DeepLinearModes.HalfTime(depth, s, u0);
        var times = Enumerable.Range(1, 4000).Select(i => 3 * tHalf * i / 4000).ToArray();
        var mode = DeepLinearModes.Integrate(s, Enumerable.Repeat(u0, depth).ToArray(), times);
        double measured = DeepLinearModes.FirstCrossing(mode.T, mode.Product, s / 2);
        Assert.Equal(tHalf, measured, HalfTimeRelativeTolerance * tHalf);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Leading_order_half_time_becomes_exact_as_the_initialisation_shrinks(int depth)
    {
        const double s = 2;
        double prev = double.PositiveInfinity;
        foreach (double u0 in new[] { 1e-1, 1e-2, 1e-3 })
        {
            double ratio = Math.Abs((DeepLinearModes.HalfTimeLeadingOrder(depth, s, u0) / DeepLinearModes.HalfTime(depth, s, u0)) - 1);
            Assert.True(ratio < prev, $"relative error {ratio} did not shrink at u₀ = {u0}");
            prev = ratio;
        }

        Assert.True(prev < 0.05);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => DeepLinearModes.EqualLayersProduct(3, 1, 0.1, 1));
        Assert.Throws<ArgumentException>(() => DeepLinearModes.EqualLayersTime(2, 1, 0.6, 0.5));
    }
}

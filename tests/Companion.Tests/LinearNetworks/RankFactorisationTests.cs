using Companion.LinearNetworks;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class RankFactorisationTests
{
    private const double ReconstructionTolerance = 1e-11;

    private static Matrix<double> RandomOfRank(int p, int d, int r, int seed)
    {
        var normal = new Normal(0, 1, new Random(seed));
        return Matrix<double>.Build.Random(p, r, normal) * Matrix<double>.Build.Random(r, d, normal);
    }

    [Theory]
    [InlineData(new[] { 6, 3, 4, 5 }, 3)]
    [InlineData(new[] { 6, 3, 4, 5 }, 1)]
    [InlineData(new[] { 6, 5 }, 5)]
    [InlineData(new[] { 6, 2, 2, 2, 5 }, 2)]
    public void Every_matrix_of_rank_at_most_min_width_is_a_product(int[] widths, int rank)
    {
        var w0 = RandomOfRank(widths[^1], widths[0], rank, seed: rank);
        var factors = RankFactorisation.Factorise(w0, widths);
        Assert.Equal(widths, LinearNetwork.Widths(factors));
        Assert.True((LinearNetwork.Product(factors) - w0).FrobeniusNorm() < ReconstructionTolerance * w0.FrobeniusNorm());
    }

    [Fact]
    public void A_matrix_of_higher_rank_is_refused_with_both_numbers()
    {
        var w0 = RandomOfRank(5, 6, 4, seed: 9);
        var ex = Assert.Throws<ArgumentException>(() => RankFactorisation.Factorise(w0, [6, 3, 5]));
        Assert.Contains("rank W₀ = 4", ex.Message);
        Assert.Contains("min dᵢ = 3", ex.Message);
    }

    [Fact]
    public void Products_of_random_factors_have_rank_min_width()
    {
        // rank(AB) ≤ min(rank A, rank B), with equality for generic (Gaussian) factors.
        foreach (var widths in new[] { new[] { 6, 3, 4, 5 }, new[] { 6, 8, 2, 5 }, new[] { 4, 7, 6 } })
        {
            var w = LinearNetwork.RandomFactors(widths, 1, seed: widths.Sum());
            Assert.Equal(widths.Min(), RankFactorisation.Rank(LinearNetwork.Product(w)));
        }
    }
}

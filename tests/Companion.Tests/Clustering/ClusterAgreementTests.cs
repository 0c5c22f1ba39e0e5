using Companion.Clustering;

namespace Companion.Tests.Clustering;

/// <summary>ARI and matched accuracy against values printed by sklearn 1.2 (adjusted_rand_score) and by hand.</summary>
public class ClusterAgreementTests
{
    private const double Tolerance = 1e-12;

    [Theory]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 1 }, 1.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 1, 1, 0, 0 }, 1.0)]
    [InlineData(new[] { 0, 0, 1, 2 }, new[] { 0, 0, 1, 1 }, 0.5714285714285715)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 2 }, 0.5714285714285715)]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 3 }, 0.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }, -0.5)]
    [InlineData(new[] { 0, 0, 0, 1, 1, 1, 2, 2, 2 }, new[] { 0, 0, 1, 1, 1, 2, 2, 2, 0 }, 0.11111111111111112)]
    public void Adjusted_rand_index_matches_sklearn(int[] truth, int[] predicted, double expected) =>
        Assert.Equal(expected, ClusterAgreement.AdjustedRandIndex(truth, predicted), Tolerance);

    [Fact]
    public void Accuracy_uses_the_best_renaming()
    {
        // Clusters renamed 0→2, 1→0, 2→1, one point wrong out of 6.
        Assert.Equal(5 / 6.0, ClusterAgreement.Accuracy([0, 0, 1, 1, 2, 2], [2, 2, 0, 0, 1, 0]), Tolerance);
        Assert.Equal(1.0, ClusterAgreement.Accuracy([0, 1, 2], [1, 2, 0]), Tolerance);
        // Everything in one cluster: the largest class is right.
        Assert.Equal(0.5, ClusterAgreement.Accuracy([0, 0, 1, 2], [0, 0, 0, 0]), Tolerance);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected() =>
        Assert.Throws<ArgumentException>(() => ClusterAgreement.AdjustedRandIndex([0, 1], [0, 1, 1]));
}

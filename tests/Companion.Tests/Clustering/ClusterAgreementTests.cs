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

    [Fact]
    public void Matching_renames_a_permuted_labelling_back_to_the_truth()
    {
        int[] truth = [0, 0, 1, 1, 2, 2, 2];
        Assert.Equal(truth, ClusterAgreement.MatchToClasses(truth, [2, 2, 0, 0, 1, 1, 1]));
        // One point wrong: the map still sends each cluster to its majority class, and accuracy counts the agreement.
        int[] predicted = [2, 2, 0, 0, 1, 1, 0];
        var renamed = ClusterAgreement.MatchToClasses(truth, predicted);
        Assert.Equal([0, 0, 1, 1, 2, 2, 1], renamed);
        Assert.Equal(renamed.Where((c, i) => c == truth[i]).Count() / 7.0, ClusterAgreement.Accuracy(truth, predicted), Tolerance);
    }

    [Fact]
    public void A_cluster_beyond_the_classes_gets_a_new_id()
    {
        var renamed = ClusterAgreement.MatchToClasses([0, 0, 1, 1], [1, 1, 0, 2]);
        Assert.Equal(0, renamed[0]);
        Assert.Equal(1, renamed[2]);
        Assert.True(renamed[3] >= 2);
    }
}

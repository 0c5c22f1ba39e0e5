using Companion.Clustering;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Clustering;

/// <summary>k-means: recovers well-separated blobs exactly, ends at a Lloyd fixed point, beats the true partition's
/// objective, is reproducible from its seed.</summary>
public class KMeansTests
{
    private const double Tolerance = 1e-9;

    private static (Matrix<double> X, int[] Y) Blobs(int n, int seed)
    {
        var rng = new Random(seed);
        double[][] centres = [[0, 0], [5, 0], [0, 5]];
        var y = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        var x = Matrix<double>.Build.Dense(n, 2, (i, j) => centres[y[i]][j] + Normal.Sample(rng, 0, 0.5));
        return (x, y);
    }

    [Fact]
    public void Separated_blobs_are_recovered()
    {
        var (x, y) = Blobs(300, 1);
        var r = KMeans.Fit(x, 3, seed: 2);
        Assert.Equal(1.0, ClusterAgreement.AdjustedRandIndex(y, r.Labels), Tolerance);
        // The minimiser's objective is at most that of the true partition.
        Assert.True(r.Inertia <= KMeans.Inertia(x, y) + Tolerance);
    }

    [Fact]
    public void Result_is_a_fixed_point_of_both_lloyd_steps()
    {
        var x = Matrix<double>.Build.Random(200, 3, 4);
        var r = KMeans.Fit(x, 4, seed: 5, restarts: 3);
        var means = KMeans.Means(x, r.Labels, 4);
        Assert.True((means - r.Centroids).FrobeniusNorm() < Tolerance, "centroids are the means of their clusters");
        for (int i = 0; i < x.RowCount; i++)
        {
            var d = Enumerable.Range(0, 4).Select(c => (x.Row(i) - r.Centroids.Row(c)).L2Norm()).ToArray();
            Assert.Equal(d.Min(), d[r.Labels[i]], Tolerance);
        }
        Assert.Equal(KMeans.Inertia(x, r.Labels), r.Inertia, 1e-8);
    }

    [Fact]
    public void Same_seed_same_result()
    {
        var x = Matrix<double>.Build.Random(100, 2, 6);
        Assert.Equal(KMeans.Fit(x, 3, seed: 9).Labels, KMeans.Fit(x, 3, seed: 9).Labels);
    }

    [Fact]
    public void Bad_k_is_named() =>
        Assert.Contains("k = 5", Assert.Throws<ArgumentException>(() => KMeans.Fit(Matrix<double>.Build.Dense(4, 2), 5)).Message);
}

using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Clustering;

/// <summary>Points with their true cluster labels.</summary>
/// <param name="X">n×2, one point per row.</param>
/// <param name="Labels">n labels in 0..2.</param>
public sealed record LabelledPoints(Matrix<double> X, int[] Labels);

/// <summary>
/// A 2-D set of three clusters that no linear boundary separates (EECS 182 HW7 Q5, seed 003: "the provided dataset is
/// not linearly separable"): point i belongs to cluster i mod 3, and
/// <list type="bullet">
/// <item>cluster 0, a blob: x ~ N(0, 0.25² I);</item>
/// <item>cluster 1, a ring around it: r = 1.6, angle ~ U(0, 2π), plus N(0, noise² I);</item>
/// <item>cluster 2, an outer arc over the top: r = 2.6, angle ~ U(0, π), plus N(0, noise² I).</item>
/// </list>
/// The gaps (≈ 1 between blob edge and ring, 1 between ring and arc) are several RBF length scales 1/√(2γ) ≈ 0.26 at
/// γ = 7.5, so the graph is nearly three disconnected components, while the cluster means nearly coincide (all near
/// the origin or above it), so k-means on raw coordinates cannot find them. The homework's own data set is not given
/// in the seed text; this one is made here from a seed.
/// </summary>
public static class ThreeClusterSet
{
    public const double BlobSd = 0.25, RingRadius = 1.6, ArcRadius = 2.6, DefaultNoise = 0.07;

    /// <summary>n points (n ≥ 3) from <paramref name="seed"/>.</summary>
    public static LabelledPoints Make(int n, int seed, double noise = DefaultNoise)
    {
        if (n < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "ThreeClusterSet: need at least 3 points (one per cluster)");
        }
        if (!(noise >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "ThreeClusterSet: noise must be ≥ 0");
        }
        var rng = new Random(seed);
        var x = Matrix<double>.Build.Dense(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % 3;
            labels[i] = c;
            double px, py;
            if (c == 0)
            {
                px = Normal.Sample(rng, 0, BlobSd);
                py = Normal.Sample(rng, 0, BlobSd);
            }
            else
            {
                double r = c == 1 ? RingRadius : ArcRadius;
                double t = rng.NextDouble() * (c == 1 ? 2 * Math.PI : Math.PI);
                px = r * Math.Cos(t) + Normal.Sample(rng, 0, noise);
                py = r * Math.Sin(t) + Normal.Sample(rng, 0, noise);
            }
            x[i, 0] = px;
            x[i, 1] = py;
        }
        return new LabelledPoints(x, labels);
    }
}

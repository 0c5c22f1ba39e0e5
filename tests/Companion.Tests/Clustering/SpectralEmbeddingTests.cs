using Companion.Clustering;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Clustering;

/// <summary>Top singular vectors by Lanczos against MathNet's full SVD (on small matrices), for M and M_stoch, and the
/// Q5 pipeline's behaviour on the project's three-cluster set.</summary>
public class SpectralEmbeddingTests
{
    private const double ValueTolerance = 1e-8;
    private const double SubspaceTolerance = 1e-6;

    /// <summary>‖P_U − P_V‖_F for the orthogonal projectors on two k-dimensional column spaces (0 when equal).</summary>
    private static double SubspaceDistance(Matrix<double> u, Matrix<double> v) =>
        (u * u.Transpose() - v * v.Transpose()).FrobeniusNorm();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Top3_match_the_full_svd(bool stochastic)
    {
        var pts = ThreeClusterSet.Make(240, 1);
        var m = GraphMatrices.SymmetricNormalised(RbfAdjacency.Compute(pts.X));
        if (stochastic)
        {
            m = GraphMatrices.ColumnStochastic(m);
        }
        Assert.Equal(!stochastic, SpectralEmbedding.IsSymmetric(m));
        var top = SpectralEmbedding.Top(m, 3, seed: 2, tolerance: 1e-12);
        var svd = m.Svd(computeVectors: true);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(svd.S[i], top.SingularValues[i], ValueTolerance);
        }
        // The gap below σ₃ is what makes the 3-dimensional subspace well defined; compare subspaces, not columns.
        Assert.True(svd.S[2] - svd.S[3] > 1e-4);
        Assert.True(SubspaceDistance(svd.U.SubMatrix(0, 240, 0, 3), top.U) < SubspaceTolerance);
    }

    [Fact]
    public void Raw_kmeans_fails_and_spectral_clustering_succeeds_on_the_three_cluster_set()
    {
        // Behaviour claimed in Q5(a) and (g); margins wide enough for any seed tried (0–4 at n = 600).
        const double RawAriAtMost = 0.6, SpectralAriAtLeast = 0.95;
        var pts = ThreeClusterSet.Make(600, 0);
        double raw = ClusterAgreement.AdjustedRandIndex(pts.Labels, KMeans.Fit(pts.X, 3).Labels);
        var m = GraphMatrices.SymmetricNormalised(RbfAdjacency.Compute(pts.X));
        var stoch = SpectralEmbedding.Top(GraphMatrices.ColumnStochastic(m), 3).U;
        double spectral = ClusterAgreement.AdjustedRandIndex(pts.Labels, KMeans.Fit(stoch, 3).Labels);
        Assert.True(raw <= RawAriAtMost, $"raw k-means ARI {raw}");
        Assert.True(spectral >= SpectralAriAtLeast, $"spectral (stochastic) ARI {spectral}");
    }
}

using Companion.Data;
using static TorchSharp.torch;

namespace Companion.Networks.ImageClassification;

/// <summary>A 2-D embedding of images with what it explains.</summary>
/// <param name="X">First coordinate per image.</param>
/// <param name="Y">Second coordinate per image.</param>
/// <param name="Scores">PCA: the fractions of variance of the two components; CCA: the two canonical correlations.</param>
public sealed record Embedding2D(double[] X, double[] Y, double[] Scores);

/// <summary>
/// The linear methods of CS189 HW7 Question 4(a)(b) on flattened images (n × 3072), in float64 TorchSharp (the matrices
/// are too large for the managed MathNet provider, see PLATFORM.md). PCA: the top right singular vectors of the centred
/// data, by randomised subspace iteration (Halko, Martinsson and Tropp 2011). CCA between the images and their one-hot
/// labels (Hotelling 1936), after projecting the images on their top r principal components: the canonical directions
/// maximise corr(Za, Yb); with whitening Lₓ⁻¹ Cₓᵧ L_y⁻ᵀ = UΣVᵀ (Cholesky factors of the ridge-regularised covariances),
/// a = Lₓ⁻ᵀU and the canonical correlations are Σ. One-hot least squares: W = argmin ‖[X 1]W − Y‖² + λ‖W‖², predict argmax.
/// </summary>
public static class LinearMethods
{
    /// <summary>Flattened images as an (n, 3072) float64 tensor.</summary>
    public static Tensor Flatten(ColourImageSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        using var f = tensor(set.Pixels, [set.Count, ColourImageSet.Dimension]);
        return f.to_type(float64);
    }

    /// <summary>One-hot labels (n, 10) float64.</summary>
    public static Tensor OneHot(IReadOnlyList<int> labels, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var v = new double[labels.Count * classes];
        for (int i = 0; i < labels.Count; i++)
        {
            v[i * classes + labels[i]] = 1;
        }
        return tensor(v, [labels.Count, classes], float64);
    }

    /// <summary>Top-r principal directions (columns, D×r) of the centred rows of x and the variance fractions, by subspace iteration.</summary>
    public static (Tensor Components, double[] VarianceFraction, Tensor Mean) Pca(Tensor x, int r, int iterations = 6, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        var mean = x.mean([0], keepdim: true);
        using var scope = NewDisposeScope();
        var xc = x - mean;
        var gen = new Generator((ulong)seed);
        int k = Math.Min(r + 10, (int)Math.Min(x.shape[0], x.shape[1]));
        var q = linalg.qr(matmul(xc, randn([x.shape[1], k], dtype: float64, generator: gen))).Q;     // (n, k)
        for (int it = 0; it < iterations; it++)
        {
            q = linalg.qr(matmul(xc.t(), q)).Q;                     // (D, k)
            q = linalg.qr(matmul(xc, q)).Q;                         // (n, k)
        }
        var b = matmul(q.t(), xc);                                  // (k, D)
        var (_, s, vh) = linalg.svd(b, fullMatrices: false);
        double total = xc.pow(2).sum().item<double>();
        var fractions = s[..r].pow(2).data<double>().Select(v => v / total).ToArray();
        var components = vh[..r].t().contiguous();                  // (D, r)
        return (components.MoveToOuterDisposeScope(), fractions, mean);
    }

    /// <summary>PCA embedding: the centred rows of x projected on the top two principal directions.</summary>
    public static Embedding2D PcaEmbedding(Tensor x, int seed = 0)
    {
        var (c, fractions, mean) = Pca(x, 2, seed: seed);
        using var z = matmul(x - mean, c);
        var v = z.data<double>().ToArray();
        c.Dispose();
        mean.Dispose();
        return new Embedding2D(v.Where((_, i) => i % 2 == 0).ToArray(), v.Where((_, i) => i % 2 == 1).ToArray(), fractions);
    }

    /// <summary>
    /// CCA between z (n, r) and one-hot labels y (n, c): the top-2 canonical directions a (r×2) and correlations, with
    /// ridge λ added to both covariance matrices (the centred one-hot covariance has rank c − 1).
    /// </summary>
    public static (Tensor A, double[] Correlations) Cca(Tensor z, Tensor y, double lambda = 1e-6, int components = 2)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(y);
        using var scope = NewDisposeScope();
        double n = z.shape[0];
        var zc = z - z.mean([0], keepdim: true);
        var yc = y - y.mean([0], keepdim: true);
        var cxx = matmul(zc.t(), zc) / n + lambda * eye(z.shape[1], dtype: float64);
        var cyy = matmul(yc.t(), yc) / n + lambda * eye(y.shape[1], dtype: float64);
        var cxy = matmul(zc.t(), yc) / n;
        var lx = linalg.cholesky(cxx);
        var ly = linalg.cholesky(cyy);
        var m = linalg.solve_triangular(lx, linalg.solve_triangular(ly, cxy.t(), upper: false).t(), upper: false);   // Lx⁻¹ Cxy Ly⁻ᵀ
        var (u, s, _) = linalg.svd(m, fullMatrices: false);
        var a = linalg.solve_triangular(lx.t(), u[.., ..components], upper: true);                                 // Lx⁻ᵀ U
        return (a.MoveToOuterDisposeScope(), s[..components].data<double>().ToArray());
    }

    /// <summary>CCA embedding of images and labels: PCA to r dimensions, then the two canonical variates Z a.</summary>
    public static Embedding2D CcaEmbedding(Tensor x, IReadOnlyList<int> labels, int pcaDimensions = 64, int seed = 0)
    {
        var (c, _, mean) = Pca(x, pcaDimensions, seed: seed);
        using var z = matmul(x - mean, c);
        using var y = OneHot(labels);
        var (a, corr) = Cca(z, y);
        using var e = matmul(z - z.mean([0], keepdim: true), a);
        var v = e.data<double>().ToArray();
        a.Dispose();
        c.Dispose();
        mean.Dispose();
        return new Embedding2D(v.Where((_, i) => i % 2 == 0).ToArray(), v.Where((_, i) => i % 2 == 1).ToArray(), corr);
    }

    /// <summary>Ridge one-hot least squares: W ((D+1)×c) solving ([X 1]ᵀ[X 1] + λI) W = [X 1]ᵀ Y.</summary>
    public static Tensor LeastSquares(Tensor x, Tensor yOneHot, double lambda)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(yOneHot);
        using var scope = NewDisposeScope();
        var xb = cat([x, ones([x.shape[0], 1], dtype: float64)], 1);
        var g = matmul(xb.t(), xb) + lambda * eye(xb.shape[1], dtype: float64);
        return linalg.solve(g, matmul(xb.t(), yOneHot)).MoveToOuterDisposeScope();
    }

    /// <summary>Fraction of rows whose argmax of [X 1]W equals the label.</summary>
    public static double LeastSquaresAccuracy(Tensor w, Tensor x, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var xb = cat([x, ones([x.shape[0], 1], dtype: float64)], 1);
        var pred = matmul(xb, w).argmax(1).data<long>().ToArray();
        return pred.Zip(labels, (p, l) => p == l ? 1.0 : 0.0).Average();
    }
}

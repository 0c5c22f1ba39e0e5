using Companion.Data;
using Companion.Networks.Autoencoders;
using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Autoencoders;

/// <summary>Autoencoders and linear probes of EECS 182 HW7 Q3(a) against independent values: the PCA (Eckart–Young)
/// bound on a linear autoencoder's error, corruption statistics, and a probe on data whose labels are a known linear
/// rule.</summary>
public class AutoencoderTests
{
    /// <summary>A trained linear AE gets within this factor of the best possible (PCA) error.</summary>
    private const double PcaErrorFactor = 1.15;

    private const double StatisticTolerance = 0.02;

    [Fact]
    public void Trained_vanilla_autoencoder_reaches_the_pca_error_and_cannot_beat_it()
    {
        const int m = 30, k = 5, n = 1000;
        var (x, _) = InformativeDimensionsSet.Make(n, 1, dims: m, informative: 8, noiseSd: 0.3);
        var mat = Matrix<double>.Build.Dense(n, m, (i, j) => x[i * m + j]);
        var centred = mat - Matrix<double>.Build.Dense(n, m, (i, j) => mat.Column(j).Average());
        var s = centred.Svd(false).S.ToArray();
        double pca = s.Skip(k).Sum(v => v * v) / (n * m); // best mean squared error per coordinate with k components
        var model = AutoencoderTraining.Train(x, m, k, new AutoencoderSettings(Epochs: 60, LearningRate: 1e-2), seed: 2);
        double err = AutoencoderTraining.ReconstructionError(model, x, m);
        Assert.True(err >= pca * (1 - 1e-4), $"error {err} below the Eckart–Young bound {pca}");
        Assert.True(err <= pca * PcaErrorFactor, $"error {err} vs PCA {pca}");
        var random = AutoencoderTraining.Train(x, m, k, new AutoencoderSettings(Epochs: 0), seed: 2);
        Assert.True(AutoencoderTraining.ReconstructionError(random, x, m) > 2 * pca);
    }

    [Fact]
    public void Corruptions_have_the_stated_statistics()
    {
        using var clean = ones([200, 100]);
        var gen = new Generator(3);
        using var masked = AutoencoderTraining.Corrupt(clean, new AutoencoderSettings(AutoencoderKind.Masked, MaskRatio: 0.3), gen);
        Assert.Equal(0.3, masked.eq(0).to(float64).mean().item<double>(), StatisticTolerance);
        using var noisy = AutoencoderTraining.Corrupt(clean, new AutoencoderSettings(AutoencoderKind.Denoising, NoiseSd: 0.5), gen);
        Assert.Equal(0.5, (noisy - clean).std().item<float>(), StatisticTolerance);
        Assert.Same(clean, AutoencoderTraining.Corrupt(clean, new AutoencoderSettings(AutoencoderKind.Vanilla)));
    }

    [Fact]
    public void Probe_converges_and_finds_a_linear_rule_but_not_random_labels()
    {
        const int m = 100;
        var (x, y) = InformativeDimensionsSet.Make(2000, 4);
        var (xt, yt) = InformativeDimensionsSet.Make(1000, 5);
        var p = LinearProbe.Fit(x, y, xt, yt, m, 4);
        Assert.True(p.GradientNorm < LinearProbe.GradientTolerance, $"gradient norm {p.GradientNorm}");
        Assert.True(p.TestAccuracy > 0.9, $"test accuracy {p.TestAccuracy} on a linearly separable rule");
        var rng = new Random(6);
        var yr = y.Select(_ => rng.Next(4)).ToArray();
        var ytr = yt.Select(_ => rng.Next(4)).ToArray();
        var r = LinearProbe.Fit(x, yr, xt, ytr, m, 4);
        Assert.InRange(r.TestAccuracy, 0.15, 0.35); // chance is 0.25
    }
}

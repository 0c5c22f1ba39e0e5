using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Autoencoders;

/// <summary>Settings of one autoencoder training run.</summary>
/// <param name="Kind">Vanilla, denoising or masked.</param>
/// <param name="Epochs">Passes over the data (0 = the random initialisation).</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="LearningRate">Adam step.</param>
/// <param name="NoiseSd">σ of the denoising corruption.</param>
/// <param name="MaskRatio">Fraction of coordinates zeroed by the masked corruption.</param>
public sealed record AutoencoderSettings(AutoencoderKind Kind = AutoencoderKind.Vanilla, int Epochs = 20, int BatchSize = 64,
    double LearningRate = 1e-2, double NoiseSd = 0.5, double MaskRatio = 0.5);

/// <summary>
/// Training and evaluation of <see cref="ShallowAutoencoder"/> on row-major float data (n×m): minimise the mean of
/// ‖x̂ − x‖² / m (PyTorch's MSELoss) over mini-batches, where x̂ is the reconstruction of the corrupted input and x the
/// clean one (EECS 182 HW7 Q3(a), seed 003). One dispose scope per step; the seed fixes initialisation, batches and
/// corruption.
/// </summary>
public static class AutoencoderTraining
{
    /// <summary>Trains a new m → k → m autoencoder.</summary>
    public static ShallowAutoencoder Train(float[] data, int m, int k, AutoencoderSettings settings, int seed, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        int n = Rows(data, m);
        device ??= CPU;
        torch.random.manual_seed(seed);
        var model = new ShallowAutoencoder(m, k);
        model.to(device);
        if (settings.Epochs == 0)
        {
            return model;
        }
        using var x = tensor(data, [n, m]).to(device);
        using var opt = optim.Adam(model.parameters(), settings.LearningRate);
        var gen = new Generator((ulong)seed, device);
        for (int e = 0; e < settings.Epochs; e++)
        {
            using var perm = randperm(n, generator: gen, device: device);
            for (int start = 0; start < n; start += settings.BatchSize)
            {
                Companion.Interruption.Check(); // stops here when the notebook cell is interrupted
                using var scope = NewDisposeScope();
                var idx = perm.narrow(0, start, Math.Min(settings.BatchSize, n - start));
                var clean = x.index_select(0, idx);
                var input = Corrupt(clean, settings, gen);
                opt.zero_grad();
                var loss = nn.functional.mse_loss(model.forward(input), clean);
                loss.backward();
                opt.step();
            }
        }
        return model;
    }

    /// <summary>The corrupted input: x, x + σε, or x with a Bernoulli(MaskRatio) mask of zeros.</summary>
    public static Tensor Corrupt(Tensor clean, AutoencoderSettings settings, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            AutoencoderKind.Vanilla => clean,
            AutoencoderKind.Denoising => clean + settings.NoiseSd * randn(clean.shape, generator: generator, device: clean.device),
            AutoencoderKind.Masked => clean * (rand(clean.shape, generator: generator, device: clean.device) >= settings.MaskRatio).to(clean.dtype),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "unknown autoencoder kind"),
        };
    }

    /// <summary>Mean squared reconstruction error per coordinate, mean over samples of ‖x̂ − x‖²/m, on clean inputs.</summary>
    public static double ReconstructionError(ShallowAutoencoder model, float[] data, int m)
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = Rows(data, m);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(data, [n, m]).to(model.parameters().First().device);
        return nn.functional.mse_loss(model.forward(x), x).item<float>();
    }

    /// <summary>Reconstructions x̂ of clean inputs, row-major n×m.</summary>
    public static float[] Reconstruct(ShallowAutoencoder model, float[] data, int m)
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = Rows(data, m);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(data, [n, m]).to(model.parameters().First().device);
        return model.forward(x).cpu().data<float>().ToArray();
    }

    /// <summary>Codes z = encoder(x), row-major n×k.</summary>
    public static float[] Encode(ShallowAutoencoder model, float[] data, int m)
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = Rows(data, m);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(data, [n, m]).to(model.parameters().First().device);
        return model.Encode(x).cpu().data<float>().ToArray();
    }

    internal static int Rows(float[] data, int m)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (m < 1 || data.Length == 0 || data.Length % m != 0)
        {
            throw new ArgumentException($"data has {data.Length} values, not a positive multiple of m = {m}", nameof(data));
        }
        return data.Length / m;
    }
}

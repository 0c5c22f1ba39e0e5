using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Autoencoders;

/// <summary>Which corruption the autoencoder is trained to undo (EECS 182 HW7 Q3(a), seed 003).</summary>
public enum AutoencoderKind
{
    /// <summary>Reconstruct x from x.</summary>
    Vanilla,
    /// <summary>Reconstruct x from x + ε, ε ~ N(0, σ² I) (Vincent et al. 2008).</summary>
    Denoising,
    /// <summary>Reconstruct x from x with a random fraction of coordinates set to 0 (He et al. 2022, on pixels).</summary>
    Masked,
}

/// <summary>
/// Encoder z = W₁x + b₁ (m → k) and decoder x̂ = W₂z + b₂ (k → m), both linear, as in the homework's latent-size study:
/// with k ≥ m even a random encoder is injective, with k &lt; m the encoder must choose what to keep.
/// </summary>
public sealed class ShallowAutoencoder : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear encoder;
    private readonly TorchSharp.Modules.Linear decoder;

    /// <summary>An autoencoder m → k → m with PyTorch's default (Kaiming-uniform) initialisation.</summary>
    public ShallowAutoencoder(int m, int k) : base(nameof(ShallowAutoencoder))
    {
        encoder = nn.Linear(m, k);
        decoder = nn.Linear(k, m);
        RegisterComponents();
    }

    /// <summary>z = encoder(x), (B, m) → (B, k).</summary>
    public Tensor Encode(Tensor x) => encoder.forward(x);

    /// <summary>x̂ = decoder(encoder(x)), (B, m) → (B, m).</summary>
    public override Tensor forward(Tensor x) => decoder.forward(encoder.forward(x));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoder.Dispose();
            decoder.Dispose();
        }
        base.Dispose(disposing);
    }
}

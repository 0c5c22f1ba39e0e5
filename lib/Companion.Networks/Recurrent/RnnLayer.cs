using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Companion.Networks.Recurrent;

/// <summary>The nonlinearity σ of an <see cref="RnnLayer"/>.</summary>
public enum Nonlinearity
{
    /// <summary>σ(z) = z: a linear RNN (EECS 182 HW7 Q1(e)).</summary>
    None,
    /// <summary>σ = tanh, as <c>nn.RNN</c> uses by default.</summary>
    Tanh,
    /// <summary>σ = ReLU.</summary>
    Relu,
}

/// <summary>
/// A vanilla RNN layer unrolled step by step, EECS 182 HW7 Q1(a) (seed 003):
/// h_t = σ(Wʰ h_{t−1} + Wˣ x_t + b), t = 1..T, h_0 = 0 unless given. Initialised like PyTorch's <c>nn.RNN</c>
/// (every entry U(−1/√H, 1/√H)); <c>nn.RNN</c>'s two biases are one b here.
/// </summary>
public sealed class RnnLayer : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, IDE0044 // field names are TorchSharp's parameter names (Wh, Wx, b), registered by reflection
    private Parameter Wh;
    private Parameter Wx;
    private Parameter b;
#pragma warning restore IDE1006, IDE0044

    /// <param name="inputSize">D, the size of x_t.</param>
    /// <param name="hiddenSize">H, the size of h_t.</param>
    /// <param name="nonlinearity">σ.</param>
    public RnnLayer(int inputSize, int hiddenSize, Nonlinearity nonlinearity = Nonlinearity.Tanh) : base(nameof(RnnLayer))
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Activation = nonlinearity;
        double bound = 1 / Math.Sqrt(hiddenSize);
        Wh = new Parameter(empty(hiddenSize, hiddenSize).uniform_(-bound, bound));
        Wx = new Parameter(empty(hiddenSize, inputSize).uniform_(-bound, bound));
        b = new Parameter(empty(hiddenSize).uniform_(-bound, bound));
        RegisterComponents();
    }

    public int InputSize { get; }
    public int HiddenSize { get; }
    public Nonlinearity Activation { get; }

    /// <summary>Wʰ, H×H.</summary>
    public Parameter HiddenWeight => Wh;
    /// <summary>Wˣ, H×D.</summary>
    public Parameter InputWeight => Wx;
    /// <summary>b, length H.</summary>
    public Parameter Bias => b;

    /// <summary>All hidden states: x of shape (B, T, D) → (B, T, H).</summary>
    public override Tensor forward(Tensor x) => stack(Steps(x), 1);

    /// <summary>The hidden states h_1..h_T, each (B, H), as separate tensors (so ∂L/∂h_t can be read with retain_grad).</summary>
    /// <param name="x">Inputs, (B, T, D).</param>
    /// <param name="h0">Initial state (B, H); zeros if null.</param>
    public IReadOnlyList<Tensor> Steps(Tensor x, Tensor? h0 = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        long batch = x.shape[0], steps = x.shape[1];
        var h = h0 ?? zeros([batch, HiddenSize], dtype: x.dtype, device: x.device);
        var states = new List<Tensor>((int)steps);
        // The input term x_t Wxᵀ + b of every step in one product, and Whᵀ once: the loop then costs one matmul, one
        // add and the nonlinearity per step (same values as computing each term inside the loop).
        var inputTerms = x.matmul(Wx.t()) + b;  // (B, T, H)
        var whT = Wh.t();
        for (long t = 0; t < steps; t++)
        {
            var z = h.matmul(whT) + inputTerms[.., (int)t, ..];  // (B, H)
            h = Activation switch
            {
                Nonlinearity.Tanh => z.tanh(),
                Nonlinearity.Relu => nn.functional.relu(z),
                _ => z,
            };
            states.Add(h);
        }
        return states;
    }

    /// <summary>Copies the weights of layer 0 of a PyTorch <c>nn.RNN</c> (b = b_ih + b_hh), to check this layer against it.</summary>
    public void CopyFrom(RNN rnn)
    {
        ArgumentNullException.ThrowIfNull(rnn);
        using var _ = no_grad();
        var p = rnn.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        Wh.copy_(p["weight_hh_l0"]);
        Wx.copy_(p["weight_ih_l0"]);
        b.copy_(p["bias_ih_l0"] + p["bias_hh_l0"]);
    }
}

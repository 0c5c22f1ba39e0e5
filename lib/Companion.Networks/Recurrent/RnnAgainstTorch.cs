using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Recurrent;

/// <summary>
/// Checks a hand-written RNN layer against TorchSharp's <c>nn.RNN</c>, EECS 182 HW7 Q1(a) (seed 003: each max error
/// below 1e-4): the same weights (b = b_ih + b_hh), the same input, outputs and autograd gradients compared.
/// </summary>
public static class RnnAgainstTorch
{
    /// <summary>A layer as the homework writes it: (x (B,T,D), h0 (B,H), Wʰ (H,H), Wˣ (H,D), b (H)) → states (B,T,H).</summary>
    public delegate Tensor Layer(Tensor x, Tensor h0, Tensor wh, Tensor wx, Tensor b);

    /// <summary>Max absolute errors of the states and of ∂L/∂Wʰ, ∂L/∂Wˣ, ∂L/∂b for L = Σ h², on a batch of 4 sequences of
    /// length 6 with D = 3, H = 5 (weights and input from <paramref name="seed"/>).</summary>
    /// <param name="layer">The layer under test.</param>
    /// <param name="sigma">tanh or ReLU (what <c>nn.RNN</c> offers).</param>
    /// <param name="seed">Seeds the weights and the input.</param>
    public static IReadOnlyList<(string What, double Error)> Errors(Layer layer, Nonlinearity sigma, long seed)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (sigma == Nonlinearity.None) throw new ArgumentException("nn.RNN has no identity nonlinearity", nameof(sigma));
        using var scope = NewDisposeScope();
        random.manual_seed(seed);
        using var rnn = nn.RNN(3, 5, numLayers: 1, batchFirst: true,
            nonLinearity: sigma == Nonlinearity.Tanh ? nn.NonLinearities.Tanh : nn.NonLinearities.ReLU);
        var p = rnn.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        var wh = p["weight_hh_l0"].detach().clone().requires_grad_();
        var wx = p["weight_ih_l0"].detach().clone().requires_grad_();
        var b = (p["bias_ih_l0"] + p["bias_hh_l0"]).detach().clone().requires_grad_();
        var x = randn(4, 6, 3);
        var mine = layer(x, zeros(4, 5), wh, wx, b);
        var (theirs, _) = rnn.forward(x, null);
        mine.square().sum().backward();
        theirs.square().sum().backward();
        double Gap(Tensor? a, Tensor? c) => a is null || c is null ? double.PositiveInfinity : (a - c).abs().max().ToDouble();
        return [("hidden states", Gap(mine, theirs)), ("dL/dWh", Gap(wh.grad, p["weight_hh_l0"].grad)),
            ("dL/dWx", Gap(wx.grad, p["weight_ih_l0"].grad)), ("dL/db", Gap(b.grad, p["bias_ih_l0"].grad))];
    }
}

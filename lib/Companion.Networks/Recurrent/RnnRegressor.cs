using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Companion.Networks.Recurrent;

/// <summary>
/// Stacked <see cref="RnnLayer"/>s with a linear head at every step, EECS 182 HW7 Q1(b) and Q1(h) (seed 003):
/// ŷ_t = Wᶠ h_t^{(L)} + bᶠ, where layer ℓ reads the hidden states of layer ℓ − 1 (layer 1 reads x).
/// x: (B, T, D) → ŷ: (B, T, 1).
/// </summary>
public sealed class RnnRegressor : Module<Tensor, Tensor>
{
#pragma warning disable IDE0044 // registered by reflection
    private ModuleList<RnnLayer> layers;
    private Linear head;
#pragma warning restore IDE0044

    /// <param name="inputSize">D.</param>
    /// <param name="hiddenSize">H (every layer).</param>
    /// <param name="numLayers">L ≥ 1.</param>
    /// <param name="nonlinearity">σ of every layer.</param>
    public RnnRegressor(int inputSize, int hiddenSize, int numLayers = 1, Nonlinearity nonlinearity = Nonlinearity.Tanh)
        : base(nameof(RnnRegressor))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numLayers, 1);
        layers = new ModuleList<RnnLayer>([.. Enumerable.Range(0, numLayers)
            .Select(l => new RnnLayer(l == 0 ? inputSize : hiddenSize, hiddenSize, nonlinearity))]);
        head = nn.Linear(hiddenSize, 1);
        RegisterComponents();
    }

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<RnnLayer> Layers => [.. layers];

    /// <summary>The head: Wᶠ (1×H) and bᶠ.</summary>
    public Linear Head => head;

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => ForwardWithStates(x).Prediction;

    /// <summary>Predictions (B, T, 1) and the top layer's hidden states h_1..h_T (each (B, H)).</summary>
    public (Tensor Prediction, IReadOnlyList<Tensor> TopStates) ForwardWithStates(Tensor x)
    {
        var input = x;
        IReadOnlyList<Tensor> states = [];
        for (int l = 0; l < layers.Count; l++)
        {
            states = layers[l].Steps(input);
            input = stack(states, 1);  // (B, T, H)
        }
        return (head.forward(input), states);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Autoencoders;

/// <summary>
/// SGD "involving the training points one at a time" on a TorchSharp autoencoder, EECS 182 HW7 Q8(a) (seed 003): each
/// epoch visits the n rows of X in a fresh random order and takes one optimiser step on <c>loss(model(xᵢ), xᵢ)</c> for
/// each row xᵢ (a batch of one, target = input). The order is the one <see cref="LinearNetworks.LinearAutoencoderSgd"/>
/// uses (<c>new Random(seed)</c>, one <c>Shuffle</c> of 0..n−1 per epoch), so a model and optimiser that optimise
/// objective (7) reproduce that reference run step by step. One dispose scope per step.
/// </summary>
public static class SinglePointSgd
{
    /// <summary>Runs <paramref name="epochs"/> epochs of single-point steps of <paramref name="optimizer"/> on
    /// <paramref name="model"/>.</summary>
    /// <param name="model">The autoencoder x ↦ x̂, mapping (1, m) to (1, m).</param>
    /// <param name="loss">The per-point loss (prediction, target).</param>
    /// <param name="optimizer">An optimiser over <paramref name="model"/>'s parameters (it decides the step and any
    /// weight decay).</param>
    /// <param name="X">Training points, n×m, one per row.</param>
    /// <param name="epochs">Passes over the data, ≥ 0.</param>
    /// <param name="seed">Seed of the visiting order.</param>
    /// <exception cref="ArgumentException">X is not a matrix or epochs is negative.</exception>
    public static void Train(nn.Module<Tensor, Tensor> model, Loss<Tensor, Tensor, Tensor> loss,
        optim.Optimizer optimizer, Tensor X, int epochs, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(X);
        if (X.dim() != 2)
        {
            throw new ArgumentException($"SinglePointSgd: X must be n×m (one point per row), but it has shape " +
                $"[{string.Join(", ", X.shape)}]", nameof(X));
        }
        if (epochs < 0)
        {
            throw new ArgumentException($"SinglePointSgd: epochs must be ≥ 0, got {epochs}", nameof(epochs));
        }
        var rng = new Random(seed);
        var order = Enumerable.Range(0, (int)X.shape[0]).ToArray();
        for (int e = 0; e < epochs; e++)
        {
            rng.Shuffle(order);
            foreach (int i in order)
            {
                using var scope = torch.NewDisposeScope();
                var xi = X[i].unsqueeze(0);   // (1, m)
                optimizer.zero_grad();
                loss.forward(model.forward(xi), xi).backward();
                optimizer.step();
            }
        }
    }
}

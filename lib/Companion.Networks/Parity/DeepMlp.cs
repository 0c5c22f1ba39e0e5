using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Companion.Networks.Parity;

/// <summary>Hidden activation of <see cref="DeepMlp"/>.</summary>
public enum HiddenActivation
{
    /// <summary>max{0, z}.</summary>
    Relu,

    /// <summary>σ(z) = 1/(1 + e^{−z}); σ′ ≤ ¼.</summary>
    Sigmoid,
}

/// <summary>
/// A fully connected network with <c>depth</c> hidden layers of equal width and one linear output (CS189 HW7 Question
/// 3(d): "make the network deeper and switch to sigmoid activations"). Each layer's weight gradient norm shows how the
/// back-propagated signal shrinks: through a sigmoid layer it is multiplied by diag(σ′(z)) Wᵀ with σ′ ≤ ¼.
/// </summary>
public sealed class DeepMlp : Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly HiddenActivation activation;

    public DeepMlp(int d, int width, int depth, HiddenActivation activation) : base(nameof(DeepMlp))
    {
        if (d < 1 || width < 1 || depth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), $"DeepMlp: need d, width, depth ≥ 1; got {d}, {width}, {depth}");
        }
        this.activation = activation;
        layers = new ModuleList<Linear>();
        for (int l = 0; l < depth; l++)
        {
            layers.Add(Linear(l == 0 ? d : width, width, dtype: float64));
        }
        layers.Add(Linear(width, 1, dtype: float64));
        RegisterComponents();
    }

    /// <summary>Number of weight layers (hidden layers + the output layer).</summary>
    public int LayerCount => layers.Count;

    public override Tensor forward(Tensor x)
    {
        var h = x.alias();
        for (int l = 0; l < layers.Count - 1; l++)
        {
            using var z = layers[l].forward(h);
            h.Dispose();
            h = activation == HiddenActivation.Sigmoid ? sigmoid(z) : functional.relu(z);
        }
        using var f = layers[^1].forward(h);
        h.Dispose();
        return f.squeeze(-1);
    }

    /// <summary>‖∂loss/∂W_l‖_F for every weight layer l = 1..L+1 (after a backward pass).</summary>
    public double[] WeightGradientNorms() =>
        layers.Select(l => l.weight!.grad is null ? 0.0 : l.weight.grad.norm().item<double>()).ToArray();
}

/// <summary>Per-layer gradient norms of deep ReLU and sigmoid networks on the parity task (Question 3(d)).</summary>
public static class LayerGradientNorms
{
    /// <summary>
    /// ‖∂R̂/∂W_l‖_F for each layer of a freshly initialised <see cref="DeepMlp"/>, for the hinge loss on
    /// <paramref name="x"/>, <paramref name="y"/>, averaged over <paramref name="repeats"/> initialisations.
    /// </summary>
    public static double[] AtInitialisation(Tensor x, Tensor y, int width, int depth, HiddenActivation activation, int repeats, int seed)
    {
        ArgumentNullException.ThrowIfNull(x);
        var sum = new double[depth + 1];
        for (int r = 0; r < repeats; r++)
        {
            using var scope = NewDisposeScope();
            random.manual_seed(seed + r);
            using var model = new DeepMlp((int)x.shape[1], width, depth, activation);
            HingeLoss.Mean(model.forward(x), y).backward();
            var norms = model.WeightGradientNorms();
            for (int l = 0; l < norms.Length; l++)
            {
                sum[l] += norms[l] / repeats;
            }
        }
        return sum;
    }

    /// <summary>Trains a <see cref="DeepMlp"/> full-batch with SGD and returns the training hinge loss every <paramref name="recordEvery"/> steps.</summary>
    public static (double[] Step, double[] Loss, double HeldOutAccuracy) Train(ParitySplit split, int width, int depth,
        HiddenActivation activation, int iterations, double learningRate, int recordEvery, int seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        random.manual_seed(seed);
        using var model = new DeepMlp(split.D, width, depth, activation);
        using var x = ParitySplit.Inputs(split.Train, split.D);
        using var y = ParitySplit.Labels(split.Train, split.VStar);
        using var optimizer = optim.SGD(model.parameters(), learningRate, 0.9);
        var steps = new List<double>();
        var losses = new List<double>();
        for (int t = 0; t <= iterations; t++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var l = HingeLoss.Mean(model.forward(x), y);
            if (t % recordEvery == 0 || t == iterations)
            {
                steps.Add(t);
                losses.Add(l.item<double>());
            }
            if (t < iterations)
            {
                l.backward();
                optimizer.step();
            }
        }
        using var xh = ParitySplit.Inputs(split.HeldOut, split.D);
        using var yh = ParitySplit.Labels(split.HeldOut, split.VStar);
        double acc;
        using (no_grad())
        {
            using var f = model.forward(xh);
            acc = ParityTraining.Accuracy(f, yh);
        }
        return (steps.ToArray(), losses.ToArray(), acc);
    }
}

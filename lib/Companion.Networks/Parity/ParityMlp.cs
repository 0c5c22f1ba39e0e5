using Companion.Parity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Companion.Networks.Parity;

/// <summary>
/// The two-layer ReLU network of CS189 HW7 (seed <c>004_88812e8faecb25b2.txt</c>, Question 3) as a TorchSharp module:
/// f_p(x) = Σᵢ αᵢ max{0, wᵢᵀx + bᵢ} + β, i.e. <c>Linear(d, k)</c> → ReLU → <c>Linear(k, 1)</c>, with PyTorch's default
/// initialisation. <see cref="FlatGradient"/> returns the gradient in the homework's order of p = [w₁ … w_k b α β].
/// </summary>
public sealed class ParityMlp : Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear output;

    /// <param name="d">Input dimension.</param>
    /// <param name="k">Hidden width.</param>
    public ParityMlp(int d, int k) : base(nameof(ParityMlp))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        hidden = Linear(d, k, dtype: float64);
        output = Linear(k, 1, dtype: float64);
        RegisterComponents();
    }

    /// <summary>f_p for a batch: x (n, d) of 0/1 values → (n,).</summary>
    public override Tensor forward(Tensor x)
    {
        using var z = hidden.forward(x);            // (n, k)
        using var h = functional.relu(z);
        using var f = output.forward(h);            // (n, 1)
        return f.squeeze(-1);
    }

    /// <summary>A module holding the weights of <paramref name="net"/> (copied, float64).</summary>
    public static ParityMlp FromNetwork(ParityNetwork net)
    {
        ArgumentNullException.ThrowIfNull(net);
        var m = new ParityMlp(net.D, net.K);
        using (no_grad())
        {
            var w = new double[net.K * net.D];
            for (int i = 0; i < net.K; i++)
            {
                for (int j = 0; j < net.D; j++)
                {
                    w[i * net.D + j] = net.W[i, j];
                }
            }
            using var wt = tensor(w, [net.K, net.D], float64);
            using var bt = tensor(net.B, [net.K], float64);
            using var at = tensor(net.Alpha, [1, net.K], float64);
            using var betat = tensor(new[] { net.Beta }, [1], float64);
            m.hidden.weight!.copy_(wt);
            m.hidden.bias!.copy_(bt);
            m.output.weight!.copy_(at);
            m.output.bias!.copy_(betat);
        }
        return m;
    }

    /// <summary>The current weights as a <see cref="ParityNetwork"/> record.</summary>
    public ParityNetwork ToNetwork()
    {
        int k = (int)hidden.weight!.shape[0], d = (int)hidden.weight.shape[1];
        var wFlat = hidden.weight.detach().cpu().to_type(float64).data<double>().ToArray();
        var w = new double[k, d];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < d; j++)
            {
                w[i, j] = wFlat[i * d + j];
            }
        }
        return new ParityNetwork(w,
            hidden.bias!.detach().cpu().to_type(float64).data<double>().ToArray(),
            output.weight!.detach().cpu().to_type(float64).data<double>().ToArray(),
            output.bias!.detach().cpu().to_type(float64).item<double>());
    }

    /// <summary>The accumulated gradients in the order of p: w₁ … w_k (rows of the first weight), b, α, β.</summary>
    public double[] FlatGradient()
    {
        var parts = new[] { hidden.weight!, hidden.bias!, output.weight!, output.bias! };
        return parts.SelectMany(p => p.grad is null
                ? new double[p.numel()]
                : p.grad.detach().cpu().to_type(float64).data<double>().ToArray())
            .ToArray();
    }
}

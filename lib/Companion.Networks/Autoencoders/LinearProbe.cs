using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Autoencoders;

/// <summary>A fitted linear probe.</summary>
/// <param name="TrainAccuracy">Accuracy on the features it was fitted on.</param>
/// <param name="TestAccuracy">Accuracy on held-out features.</param>
/// <param name="GradientNorm">‖∇ objective‖ at the end (≈ 0 when converged).</param>
/// <param name="Steps">L-BFGS iterations taken.</param>
public sealed record ProbeResult(double TrainAccuracy, double TestAccuracy, double GradientNorm, int Steps);

/// <summary>
/// Linear probing (EECS 182 HW7 Q3(a), seed 003): multinomial logistic regression p(y|z) = softmax(Wz + b) on frozen
/// features z, fitted to convergence by full-batch L-BFGS on the mean cross-entropy + (l2/2)‖W‖²_F (the small ridge
/// term makes the optimum finite on separable data). Features are standardised with the training mean and sd first.
/// </summary>
public static class LinearProbe
{
    /// <summary>Gradient norm below which the probe counts as converged.</summary>
    public const double GradientTolerance = 1e-4;

    /// <summary>Fits on (zTrain, yTrain) (row-major n×k floats) and scores on (zTest, yTest).</summary>
    public static ProbeResult Fit(float[] zTrain, int[] yTrain, float[] zTest, int[] yTest, int k, int classes,
        double l2 = 1e-3, int maxSteps = 500, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(yTrain);
        ArgumentNullException.ThrowIfNull(yTest);
        int n = AutoencoderTraining.Rows(zTrain, k), nt = AutoencoderTraining.Rows(zTest, k);
        if (n != yTrain.Length || nt != yTest.Length)
        {
            throw new ArgumentException($"probe: {n} training and {nt} test feature rows but {yTrain.Length} and {yTest.Length} labels");
        }
        using var scope = NewDisposeScope();
        torch.random.manual_seed(seed);
        var z = tensor(zTrain, [n, k]).to(float64);
        var mean = z.mean([0], keepdim: true);
        var sd = z.std(0, keepdim: true).clamp_min(1e-8);
        z = (z - mean) / sd;
        var zt = (tensor(zTest, [nt, k]).to(float64) - mean) / sd;
        var y = tensor(yTrain.Select(v => (long)v).ToArray());
        var yt = tensor(yTest.Select(v => (long)v).ToArray());
        var w = nn.Parameter(zeros([k, classes], float64));
        var b = nn.Parameter(zeros([classes], float64));
        var opt = optim.LBFGS([w, b], lr: 1, max_iter: maxSteps, tolerange_grad: GradientTolerance / 10, history_size: 20);
        int evals = 0;
        Tensor Objective()
        {
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(z.matmul(w) + b, y) + 0.5 * l2 * w.square().sum();
            loss.backward();
            evals++;
            return loss;
        }
        opt.step(Objective);
        Objective();
        double g = Math.Sqrt(w.grad!.square().sum().item<double>() + b.grad!.square().sum().item<double>());
        double Acc(Tensor f, Tensor labels)
        {
            using var _ = no_grad();
            return (f.matmul(w) + b).argmax(1).eq(labels).to(float64).mean().item<double>();
        }
        return new ProbeResult(Acc(z, y), Acc(zt, yt), g, evals);
    }
}

using Companion.LinearNetworks;
using Companion.Networks.Autoencoders;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Autoencoders;

/// <summary><see cref="SinglePointSgd"/> against the independent MathNet implementation of per-sample SGD on objective
/// (7), <see cref="LinearAutoencoderSgd.Train"/> (its own hand-written gradients, no autograd).</summary>
public class SinglePointSgdTests
{
    /// <summary>Two float64 runs of the same steps agree to rounding.</summary>
    private const double SameStepsTolerance = 1e-10;

    private static (Matrix<double> X, Tensor Xt) Data(int m, int n, int seed)
    {
        var X = Matrix<double>.Build.Random(m, n, seed);
        return (X, tensor(X.Transpose().ToRowMajorArray(), [n, m], ScalarType.Float64));
    }

    private static Matrix<double> ToMatrix(Tensor t) =>
        Matrix<double>.Build.DenseOfRowMajor((int)t.shape[0], (int)t.shape[1], t.detach().data<double>().ToArray());

    /// <summary>Runs SinglePointSgd on two bias-free linear layers with MSELoss(sum) and SGD(weight_decay), returns the
    /// largest weight gap to the reference run with penalty λ.</summary>
    private static double GapToReference(double weightDecay, double lambda, int epochs)
    {
        const int m = 5, k = 2, n = 20, seed = 3;
        const double lr = 0.01;
        var (X, Xt) = Data(m, n, seed);
        random.manual_seed(seed);
        var encoder = nn.Linear(m, k, hasBias: false, dtype: ScalarType.Float64);
        var decoder = nn.Linear(k, m, hasBias: false, dtype: ScalarType.Float64);
        var model = nn.Sequential(encoder, decoder);
        var A0 = ToMatrix(decoder.weight!);
        var B0 = ToMatrix(encoder.weight!);
        var optimizer = optim.SGD(model.parameters(), lr, weight_decay: weightDecay);
        SinglePointSgd.Train(model, nn.MSELoss(nn.Reduction.Sum), optimizer, Xt, epochs, seed);
        var reference = LinearAutoencoderSgd.Train(X, A0, B0, lambda, lr, epochs, seed);
        return Math.Max((ToMatrix(decoder.weight!) - reference.A).Enumerate().Max(Math.Abs),
            (ToMatrix(encoder.weight!) - reference.B).Enumerate().Max(Math.Abs));
    }

    [Fact]
    public void Weight_decay_two_lambda_reproduces_the_reference_sgd_on_objective_7()
    {
        double gap = GapToReference(weightDecay: 2 * 0.1, lambda: 0.1, epochs: 3);
        Assert.True(gap < SameStepsTolerance, $"gap {gap}");
    }

    [Fact]
    public void Weight_decay_lambda_instead_of_two_lambda_does_not()
    {
        double gap = GapToReference(weightDecay: 0.1, lambda: 0.1, epochs: 3);
        Assert.True(gap > 1e-6, $"gap {gap}: the check cannot tell weight decay λ from 2λ");
    }

    [Fact]
    public void Zero_epochs_leave_the_weights_and_bad_shapes_are_named()
    {
        Assert.True(GapToReference(weightDecay: 0.2, lambda: 0.1, epochs: 0) == 0);
        var model = nn.Sequential(nn.Linear(3, 3, hasBias: false, dtype: ScalarType.Float64));
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var ex = Assert.Throws<ArgumentException>(() =>
            SinglePointSgd.Train(model, nn.MSELoss(), optimizer, zeros(3, dtype: ScalarType.Float64), 1, 0));
        Assert.Contains("one point per row", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() =>
            SinglePointSgd.Train(model, nn.MSELoss(), optimizer, zeros(4, 3, dtype: ScalarType.Float64), -1, 0));
    }
}

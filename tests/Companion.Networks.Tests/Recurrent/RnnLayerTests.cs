using Companion.Networks.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Recurrent;

/// <summary>The step-by-step layer against TorchSharp's own nn.RNN (outputs and autograd gradients) and finite differences.</summary>
public class RnnLayerTests
{
    /// <summary>The homework's bound on each max error (seed 003, Q1(a)).</summary>
    const double HomeworkTolerance = 1e-4;
    const double FiniteDifferenceTolerance = 1e-6;

    [Theory]
    [InlineData(Nonlinearity.Tanh)]
    [InlineData(Nonlinearity.Relu)]
    public void Matches_nn_RNN_in_outputs_and_gradients(Nonlinearity sigma)
    {
        random.manual_seed(3);
        using var reference = nn.RNN(4, 8, numLayers: 1,
            nonLinearity: sigma == Nonlinearity.Tanh ? nn.NonLinearities.Tanh : nn.NonLinearities.ReLU, batchFirst: true);
        using var layer = new RnnLayer(4, 8, sigma);
        layer.CopyFrom(reference);
        using var x = randn(5, 7, 4);
        var (expected, _) = reference.forward(x, null);
        var actual = layer.forward(x);
        Assert.True((expected - actual).abs().max().item<float>() < HomeworkTolerance);

        expected.square().sum().backward();
        actual.square().sum().backward();
        var p = reference.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.grad!);
        Assert.True((p["weight_hh_l0"] - layer.HiddenWeight.grad!).abs().max().item<float>() < HomeworkTolerance);
        Assert.True((p["weight_ih_l0"] - layer.InputWeight.grad!).abs().max().item<float>() < HomeworkTolerance);
        // b = b_ih + b_hh, so ∂/∂b equals ∂/∂b_ih (and ∂/∂b_hh)
        Assert.True((p["bias_ih_l0"] - layer.Bias.grad!).abs().max().item<float>() < HomeworkTolerance);
    }

    [Fact]
    public void Gradient_of_Wh_matches_central_differences()
    {
        random.manual_seed(5);
        using var layer = new RnnLayer(2, 3, Nonlinearity.Tanh);
        layer.to(ScalarType.Float64);
        using var x = randn(2, 6, 2, dtype: ScalarType.Float64);
        double Loss() { using var _ = no_grad(); return layer.forward(x).pow(3).sum().item<double>(); }
        layer.forward(x).pow(3).sum().backward();
        var grad = layer.HiddenWeight.grad!.clone();
        const double h = 1e-6;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                using (no_grad()) layer.HiddenWeight[i, j] += h;
                double up = Loss();
                using (no_grad()) layer.HiddenWeight[i, j] -= 2 * h;
                double down = Loss();
                using (no_grad()) layer.HiddenWeight[i, j] += h;
                Assert.Equal(grad[i, j].item<double>(), (up - down) / (2 * h), FiniteDifferenceTolerance);
            }
    }

    [Fact]
    public void Regressor_head_is_Wf_h_plus_bf_at_every_step()
    {
        random.manual_seed(9);
        using var model = new RnnRegressor(1, 4, 2);
        using var x = randn(3, 5, 1);
        var (yHat, top) = model.ForwardWithStates(x);
        Assert.Equal(new long[] { 3, 5, 1 }, yHat.shape);
        var byHand = stack(top, 1).matmul(model.Head.weight!.t()) + model.Head.bias!;
        Assert.True((yHat - byHand).abs().max().item<float>() < HomeworkTolerance);
        Assert.Equal(2, model.Layers.Count);
    }
}

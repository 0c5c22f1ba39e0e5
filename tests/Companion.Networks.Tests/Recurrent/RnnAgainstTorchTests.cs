using Companion.Networks.Recurrent;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Recurrent;

/// <summary>The Q1(a) check: a correct layer passes it, a layer that drops the bias or the recurrence fails it.</summary>
public class RnnAgainstTorchTests
{
    private static RnnAgainstTorch.Layer Unrolled(Nonlinearity sigma, bool bias = true, bool recurrent = true) =>
        (x, h0, wh, wx, b) =>
        {
            var h = h0;
            var states = new List<Tensor>();
            for (int t = 0; t < x.shape[1]; t++)
            {
                var z = x[.., t, ..].matmul(wx.t()) + (recurrent ? h.matmul(wh.t()) : zeros_like(h)) + (bias ? b : zeros_like(b));
                h = sigma == Nonlinearity.Tanh ? z.tanh() : nn.functional.relu(z);
                states.Add(h);
            }
            return stack(states, 1);
        };

    [Theory]
    [InlineData(Nonlinearity.Tanh)]
    [InlineData(Nonlinearity.Relu)]
    public void A_correct_layer_matches_nn_rnn_in_states_and_gradients(Nonlinearity sigma)
    {
        foreach (var (what, err) in RnnAgainstTorch.Errors(Unrolled(sigma), sigma, seed: 3))
            Assert.True(err < 1e-5, $"{what}: {err}");
    }

    [Fact]
    public void Dropping_the_bias_or_the_recurrence_is_caught()
    {
        Assert.Contains(RnnAgainstTorch.Errors(Unrolled(Nonlinearity.Tanh, bias: false), Nonlinearity.Tanh, 3), e => e.Error > 1e-2);
        Assert.Contains(RnnAgainstTorch.Errors(Unrolled(Nonlinearity.Tanh, recurrent: false), Nonlinearity.Tanh, 3),
            e => e.Error > 1e-2);
    }
}

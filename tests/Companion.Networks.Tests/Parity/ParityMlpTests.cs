using Companion.Networks.Parity;
using Companion.Parity;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Parity;

public class ParityMlpTests
{
    private const double Identity = 1e-12;
    private const double GradientTolerance = 1e-12;

    [Fact]
    public void Module_with_copied_weights_computes_the_record_network()
    {
        var net = ParityNetwork.RandomInit(5, 7, seed: 1);
        using var m = ParityMlp.FromNetwork(net);
        using var x = ParitySplit.Inputs(ParityData.Cube(5), 5);
        using var f = m.forward(x);
        var values = f.data<double>().ToArray();
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(net.Evaluate(i), values[i], Identity);
        }
        var back = m.ToNetwork();
        Assert.Equal(net.B, back.B);
        Assert.Equal(net.Alpha, back.Alpha);
    }

    [Fact]
    public void Autograd_of_the_mean_hinge_loss_over_the_cube_is_the_closed_form_risk_gradient()
    {
        var net = ParityNetwork.RandomInit(6, 12, seed: 2).WithOutputScaled(10);
        const int vStar = 0b101101;
        using var m = ParityMlp.FromNetwork(net);
        using var x = ParitySplit.Inputs(ParityData.Cube(6), 6);
        using var y = ParitySplit.Labels(ParityData.Cube(6), vStar);
        HingeLoss.Mean(m.forward(x), y).backward();
        var auto = m.FlatGradient();
        var closed = HingeRisk.Gradient(net, vStar);
        Assert.Equal(closed.Length, auto.Length);
        for (int j = 0; j < closed.Length; j++)
        {
            Assert.Equal(closed[j], auto[j], GradientTolerance);
        }
    }

    [Fact]
    public void Hinge_loss_matches_the_hand_value()
    {
        using var f = tensor(new[] { 2.0, 0.5, -0.3, -2.0 });
        using var y = tensor(new[] { 1.0, 1.0, 1.0, -1.0 });
        using var l = HingeLoss.Mean(f, y);
        Assert.Equal((0 + 0.5 + 1.3 + 0) / 4, l.item<double>(), Identity);
    }

    [Fact]
    public void Splits_are_disjoint_and_labels_are_parities()
    {
        var s = ParityData.Sample(5, 30, 30, seed: 3);
        Assert.Equal(32, s.Train.Length + s.HeldOut.Length);
        Assert.Empty(s.Train.Intersect(s.HeldOut));
        var big = ParityData.Sample(30, 200, 100, seed: 4);
        Assert.Equal(300, big.Train.Concat(big.HeldOut).Distinct().Count());
        using var y = ParitySplit.Labels(big.Train, big.VStar);
        var labels = y.data<double>().ToArray();
        for (int i = 0; i < 20; i++)
        {
            int overlap = System.Numerics.BitOperations.PopCount((ulong)(big.Train[i] & big.VStar));
            Assert.Equal(overlap % 2 == 0 ? 1.0 : -1.0, labels[i]);
        }
    }
}

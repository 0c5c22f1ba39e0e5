using Companion.Networks.Parity;

namespace Companion.Networks.Tests.Parity;

/// <summary>Behaviour of hinge-loss training (CS189 HW7 Q3(b)): small d is learned, d = 30 is only memorised.</summary>
public class ParityTrainingTests
{
    private const double Learned = 0.95;
    private const double Chance = 0.5;
    private const double ChanceMargin = 0.1;

    [Fact]
    public void Small_d_is_learned_and_generalises()
    {
        var run = ParityTraining.Train(new ParityTrainingOptions(8, 80, 600, 192, 64, 0.05, Seed: 8));
        Assert.True(run.TrainLoss[^1] < run.TrainLoss[0] / 10, $"loss {run.TrainLoss[0]} → {run.TrainLoss[^1]}");
        Assert.True(run.HeldOutAccuracy[^1] >= Learned, $"held-out accuracy {run.HeldOutAccuracy[^1]}");
    }

    [Fact]
    public void Large_d_is_memorised_but_not_learned()
    {
        var run = ParityTraining.Train(new ParityTrainingOptions(30, 300, 600, 300, 300, 0.05, Seed: 30));
        Assert.True(run.TrainAccuracy[^1] >= Learned, $"training accuracy {run.TrainAccuracy[^1]}");
        Assert.True(Math.Abs(run.HeldOutAccuracy[^1] - Chance) < ChanceMargin, $"held-out accuracy {run.HeldOutAccuracy[^1]}");
    }

    [Fact]
    public void Deep_sigmoid_gradients_vanish_towards_the_first_layer()
    {
        var split = ParityData.Sample(5, 32, 1, seed: 5);
        using var x = ParitySplit.Inputs(split.Train, 5);
        using var y = ParitySplit.Labels(split.Train, split.VStar);
        var sigmoid = LayerGradientNorms.AtInitialisation(x, y, 32, 6, HiddenActivation.Sigmoid, 3, seed: 1);
        // Each sigmoid layer multiplies the back-propagated signal by diag(σ′) Wᵀ with σ′ ≤ ¼: at least a factor 2 per layer here.
        for (int l = 0; l < 5; l++)
        {
            Assert.True(sigmoid[l] < sigmoid[l + 1] / 2, $"layer {l + 1}: {sigmoid[l]} vs layer {l + 2}: {sigmoid[l + 1]}");
        }
    }
}

using Companion.Networks.Parity;

namespace Companion.Networks.Tests.Parity;

/// <summary>
/// Behaviour of hinge-loss training (CS189 HW7 Q3(b)): with fresh batches d = 10 is learned and d = 30 is not; on a
/// fixed small training set d = 30 is memorised. Sizes and margins from runs of the same loop in PyTorch (3 seeds each).
/// </summary>
public class ParityTrainingTests
{
    private const double Learned = 0.95;
    private const double Chance = 0.5;
    private const double ChanceMargin = 0.12;
    private const double NoProgressLoss = 0.9;

    [Fact]
    public void Ten_bits_are_learned_from_fresh_batches()
    {
        var run = ParityTraining.Train(new ParityTrainingOptions(10, 100, 300, 256, 256, 0.1, Seed: 10, FreshBatches: true));
        Assert.True(run.HeldOutAccuracy[^1] >= Learned, $"held-out accuracy {run.HeldOutAccuracy[^1]}");
    }

    [Fact]
    public void Thirty_bits_make_no_progress_from_fresh_batches_and_are_only_memorised_from_a_fixed_set()
    {
        var fresh = ParityTraining.Train(new ParityTrainingOptions(30, 300, 300, 256, 256, 0.1, Seed: 30, FreshBatches: true));
        Assert.True(fresh.TrainLoss[^1] > NoProgressLoss, $"loss {fresh.TrainLoss[^1]}");
        Assert.True(Math.Abs(fresh.HeldOutAccuracy[^1] - Chance) < ChanceMargin, $"held-out accuracy {fresh.HeldOutAccuracy[^1]}");
        var fixedSet = ParityTraining.Train(new ParityTrainingOptions(30, 300, 300, 256, 256, 0.1, Seed: 30));
        Assert.True(fixedSet.TrainAccuracy[^1] >= Learned, $"training accuracy {fixedSet.TrainAccuracy[^1]}");
        Assert.True(Math.Abs(fixedSet.HeldOutAccuracy[^1] - Chance) < ChanceMargin, $"held-out accuracy {fixedSet.HeldOutAccuracy[^1]}");
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

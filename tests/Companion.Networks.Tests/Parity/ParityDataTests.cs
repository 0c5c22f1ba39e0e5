using Companion.Networks.Parity;

namespace Companion.Networks.Tests.Parity;

/// <summary>Sampling of the parity task (CS189 HW7 Q3(b)): masks of a fixed weight, and fresh batches that never
/// contain a held-out input.</summary>
public class ParityDataTests
{
    [Theory]
    [InlineData(5, 5)]
    [InlineData(10, 5)]
    [InlineData(30, 5)]
    [InlineData(30, 1)]
    public void A_fixed_mask_weight_gives_masks_of_that_weight_on_every_position(int d, int weight)
    {
        var positionsSeen = 0L;
        for (int seed = 0; seed < 200; seed++)
        {
            var split = ParityData.Sample(d, 16, 16, seed, maskWeight: weight);
            Assert.Equal(weight, ParityData.Weight(split.VStar));
            Assert.True(split.VStar >> d == 0, $"mask {split.VStar} has bits beyond d = {d}");
            positionsSeen |= split.VStar;
        }
        // 200 uniform draws of `weight` positions out of d ≤ 30 miss a given position with probability ≤ (1 − 1/30)^200 ≈ 1e-3.
        Assert.Equal((1L << d) - 1, positionsSeen);
    }

    [Fact]
    public void The_uniform_mask_is_kept_when_no_weight_is_asked_for()
    {
        // Uniform v* on {0,1}^10 has mean weight 5; the mean over 400 draws lies within ±0.4 of it (sd 1.58/√400 ≈ 0.08).
        double mean = Enumerable.Range(0, 400).Average(s => ParityData.Weight(ParityData.Sample(10, 16, 16, s).VStar));
        Assert.InRange(mean, 4.6, 5.4);
    }

    [Fact]
    public void Fresh_batches_draw_every_input_except_the_held_out_ones()
    {
        var split = ParityData.Sample(5, 16, 16, seed: 3);
        var heldOut = split.HeldOut.ToHashSet();
        var rng = new Random(1);
        var drawn = Enumerable.Range(0, 50).SelectMany(_ => ParityData.FreshBatch(rng, 5, 64, heldOut)).ToHashSet();
        Assert.Empty(drawn.Intersect(heldOut));
        Assert.Equal(split.Train.ToHashSet(), drawn);          // the 16 training inputs, all of them, and nothing else
    }

    [Fact]
    public void Fresh_batches_need_inputs_outside_the_exclusion()
    {
        var all = Enumerable.Range(0, 8).Select(x => (long)x).ToHashSet();
        Assert.Throws<ArgumentException>(() => ParityData.FreshBatch(new Random(0), 3, 4, all));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParityData.Sample(5, 16, 16, 0, maskWeight: 6));
    }
}

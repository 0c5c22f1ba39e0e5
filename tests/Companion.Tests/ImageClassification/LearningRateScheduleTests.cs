using Companion.ImageClassification;

namespace Companion.Tests.ImageClassification;

public class LearningRateScheduleTests
{
    private const double Identity = 1e-12;

    [Fact]
    public void Annealed_is_eta0_times_decay_to_the_t()
    {
        var eta = LearningRateSchedule.Annealed(0.1, 0.9, 20);
        for (int t = 0; t < 20; t++)
        {
            Assert.Equal(0.1 * Math.Pow(0.9, t), eta[t], Identity);
        }
        Assert.All(LearningRateSchedule.Constant(0.05, 7), v => Assert.Equal(0.05, v));
    }

    [Fact]
    public void Special_rises_linearly_to_the_peak_and_falls_to_zero()
    {
        var eta = LearningRateSchedule.Special(0.4, 24, warmup: 5.0 / 24);
        Assert.Equal(0.4 / 5, eta[0], Identity);
        Assert.Equal(0.4, eta[4], Identity);          // u = 5/24
        Assert.Equal(0, eta[^1], Identity);
        Assert.Equal(0.4 * (1 - 14.0 / 24) / (19.0 / 24), eta[13], Identity);
        Assert.Equal(eta.Max(), eta[4]);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Contains("decay", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Annealed(0.1, 1.5, 3)).Message);
        Assert.Contains("steps", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(0.1, 0)).Message);
    }
}

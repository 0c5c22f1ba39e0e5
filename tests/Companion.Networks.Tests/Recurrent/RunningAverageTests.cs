using Companion.Networks.Recurrent;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Recurrent;

/// <summary>The dataset's labels and the two task losses against values computed by hand.</summary>
public class RunningAverageTests
{
    const double Tolerance = 1e-6;

    [Fact]
    public void Labels_are_running_means_of_the_inputs()
    {
        var (x, y) = RunningAverage.Generate(2, 4, seed: 1, ScalarType.Float64);
        for (int n = 0; n < 2; n++)
        {
            double sum = 0;
            for (int t = 0; t < 4; t++)
            {
                sum += x[n, t, 0].item<double>();
                Assert.Equal(sum / (t + 1), y[n, t, 0].item<double>(), Tolerance);
            }
        }
        var (x2, _) = RunningAverage.Generate(2, 4, seed: 1, ScalarType.Float64);
        Assert.True(x.equal(x2).all().item<bool>(), "same seed, same inputs");
    }

    [Fact]
    public void Losses_match_hand_values()
    {
        // ŷ − y = [[1, 2], [3, 4]] for 2 sequences of 2 steps
        using var yHat = tensor(new double[] { 1, 2, 3, 4 }, [2, 2, 1]);
        using var y = zeros(2, 2, 1, dtype: ScalarType.Float64);
        Assert.Equal((1 + 4 + 9 + 16) / 4.0, RunningAverage.LossAllSteps(yHat, y).item<double>(), Tolerance);
        Assert.Equal((4 + 16) / 2.0, RunningAverage.LossLastStep(yHat, y).item<double>(), Tolerance);
    }
}

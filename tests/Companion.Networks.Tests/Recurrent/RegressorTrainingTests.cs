using Companion.Networks.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.Recurrent;

/// <summary>Q1(h): with a fixed seed, training reaches the homework's losses (one layer &lt; 0.01, two layers &lt; 0.001).</summary>
public class RegressorTrainingTests
{
    const double OneLayerTarget = 0.01;
    const double TwoLayerTarget = 0.001;

    [Theory]
    [InlineData(1, OneLayerTarget, 300)]
    [InlineData(2, TwoLayerTarget, 400)]
    public void Training_loss_falls_below_the_homework_target(int layers, double target, int steps)
    {
        random.manual_seed(0);
        var (x, y) = RunningAverage.Generate(512, 20, seed: 1);
        using var model = new RnnRegressor(1, 16, layers);
        double before = RunningAverage.LossAllSteps(model.forward(x), y).ToDouble();
        var curve = RegressorTraining.Train(model, x, y, lastTargetOnly: false, steps, seed: 0, evalEvery: 20, thresholds: [target]);
        Assert.NotNull(curve.StepsToThreshold[target]);
        Assert.True(curve.Loss.Min() < target && curve.Loss.Min() < before, $"{layers} layer(s): best {curve.Loss.Min()}, start {before}");
    }
}

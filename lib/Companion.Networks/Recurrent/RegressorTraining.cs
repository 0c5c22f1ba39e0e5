using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Recurrent;

/// <summary>A training run: loss on the whole training set after each evaluation, and the first step below each threshold.</summary>
/// <param name="Steps">Steps at which the training loss was evaluated.</param>
/// <param name="Loss">Training loss (whole training set) at those steps.</param>
/// <param name="StepsToThreshold">For each requested threshold, the first evaluated step with loss below it, or null.</param>
/// <param name="Seconds">Wall time of the run.</param>
public sealed record TrainingCurve(int[] Steps, double[] Loss, IReadOnlyDictionary<double, int?> StepsToThreshold, double Seconds);

/// <summary>
/// Trains an <see cref="RnnRegressor"/> on the running-average task with Adam and mini-batches, EECS 182 HW7 Q1(h)
/// (seed 003: training loss &lt; 0.01 with one layer, &lt; 0.001 with two). One dispose scope per step; the batch
/// order comes from a seed.
/// </summary>
public static class RegressorTraining
{
    /// <param name="model">Trained in place.</param>
    /// <param name="x">Training inputs (n, T, 1).</param>
    /// <param name="y">Training labels (n, T, 1).</param>
    /// <param name="lastTargetOnly">Task 2 (last step) instead of task 1 (every step).</param>
    /// <param name="steps">Optimiser steps.</param>
    /// <param name="learningRate">Adam's step size.</param>
    /// <param name="batchSize">Sequences per step.</param>
    /// <param name="seed">Seeds the batch order.</param>
    /// <param name="evalEvery">Evaluate the whole-training-set loss every this many steps (and at the end).</param>
    /// <param name="thresholds">Losses whose first crossing is reported.</param>
    /// <param name="progress">Receives the mini-batch loss after every step.</param>
    public static TrainingCurve Train(RnnRegressor model, Tensor x, Tensor y, bool lastTargetOnly, int steps,
        double learningRate = 1e-2, int batchSize = 64, long seed = 0, int evalEvery = 10,
        IReadOnlyList<double>? thresholds = null, TrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        thresholds ??= [];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        using var gen = new Generator((ulong)seed);
        long n = x.shape[0];
        var evalSteps = new List<int>();
        var losses = new List<double>();
        var crossed = thresholds.ToDictionary(t => t, _ => (int?)null);
        Tensor? order = null;
        int cursor = (int)n;
        for (int step = 1; step <= steps; step++)
        {
            Companion.Interruption.Check(); // stops here when the notebook cell is interrupted
            using var scope = NewDisposeScope();
            if (cursor + batchSize > n)
            {
                order?.Dispose();
                order = randperm(n, generator: gen).MoveToOuterDisposeScope();
                cursor = 0;
            }
            var idx = order![cursor..(cursor + batchSize)].to(x.device);
            cursor += batchSize;
            optimizer.zero_grad();
            var loss = RunningAverage.Loss(model.forward(x[idx]), y[idx], lastTargetOnly);
            loss.backward();
            optimizer.step();
            progress?.Report(step, loss.ToDouble());
            if (step % evalEvery == 0 || step == steps)
            {
                using var _ = no_grad();
                double full = RunningAverage.Loss(model.forward(x), y, lastTargetOnly).ToDouble();
                evalSteps.Add(step);
                losses.Add(full);
                foreach (var t in thresholds)
                    if (crossed[t] is null && full < t) crossed[t] = step;
            }
        }
        order?.Dispose();
        return new TrainingCurve([.. evalSteps], [.. losses], crossed, clock.Elapsed.TotalSeconds);
    }
}

using static TorchSharp.torch;

namespace Companion.Networks.Recurrent;

/// <summary>
/// The running-average task of EECS 182 HW7 Q1(c) (seed 003): inputs x_1..x_T drawn i.i.d. from U(0, 1), labels
/// y_t = (x_1 + … + x_t) / t. Task 1 predicts y_t at every step; task 2 only y_T at the last step.
/// </summary>
public static class RunningAverage
{
    /// <summary>n sequences of length T: X (n, T, 1), Y (n, T, 1), from a seeded generator.</summary>
    public static (Tensor X, Tensor Y) Generate(int n, int steps, long seed, ScalarType dtype = ScalarType.Float32)
    {
        using var gen = new Generator((ulong)seed);
        var x = rand([n, steps, 1], generator: gen, dtype: dtype);
        var counts = arange(1, steps + 1, dtype: dtype).reshape(1, steps, 1);
        return (x, x.cumsum(1) / counts);
    }

    /// <summary>Task 1 loss: mean over sequences and steps of (ŷ_t − y_t)².</summary>
    public static Tensor LossAllSteps(Tensor yHat, Tensor y) => (yHat - y).square().mean();

    /// <summary>Task 2 loss: mean over sequences of (ŷ_T − y_T)² at the last step only.</summary>
    public static Tensor LossLastStep(Tensor yHat, Tensor y) => (yHat[.., -1, ..] - y[.., -1, ..]).square().mean();

    /// <summary>The loss of the chosen task.</summary>
    public static Tensor Loss(Tensor yHat, Tensor y, bool lastTargetOnly) =>
        lastTargetOnly ? LossLastStep(yHat, y) : LossAllSteps(yHat, y);
}

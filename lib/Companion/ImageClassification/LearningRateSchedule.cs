namespace Companion.ImageClassification;

/// <summary>
/// Learning-rate schedules of CS189 HW7 (seed <c>004_88812e8faecb25b2.txt</c>), Question 4(e), as the rate for each
/// step t = 0 … T−1 of a run. Constant: η_t = η₀. Annealed: η_t = γ·η_{t−1}, i.e. η₀γᵗ. Special: the homework's
/// starter code (not part of the seed) defines it; we use the piecewise-linear warm-up and decay of Page, "How to train
/// your ResNet" (2018), which the homework's reading question points to: linear from 0 up to η_peak over the first
/// <c>warmup</c> fraction of the run, then linear down to 0 at the end (Page: epochs 0 → 5 → 24 of 24).
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>η_t = η₀ for all t.</summary>
    public static double[] Constant(double eta0, int steps) => Check(steps, eta0) is var n ? Enumerable.Repeat(eta0, n).ToArray() : [];

    /// <summary>η_t = γ·η_{t−1}, η_0 = η₀ (so η_t = η₀γᵗ).</summary>
    public static double[] Annealed(double eta0, double decay, int steps)
    {
        int n = Check(steps, eta0);
        if (!(decay > 0) || decay > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(decay), $"LearningRateSchedule.Annealed: decay γ must be in (0, 1], got {decay}");
        }
        var eta = new double[n];
        for (int t = 0; t < n; t++)
        {
            eta[t] = t == 0 ? eta0 : eta[t - 1] * decay;
        }
        return eta;
    }

    /// <summary>
    /// Piecewise-linear warm-up and decay: η(u) for u = (t + 1)/T interpolates (0, 0), (warmup, η_peak), (1, 0), so the
    /// first step is already positive and the last is 0. Page's schedule has warmup = 5/24.
    /// </summary>
    public static double[] Special(double etaPeak, int steps, double warmup = 5.0 / 24)
    {
        int n = Check(steps, etaPeak);
        if (!(warmup > 0) || !(warmup < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(warmup), $"LearningRateSchedule.Special: warmup must be in (0, 1), got {warmup}");
        }
        var eta = new double[n];
        for (int t = 0; t < n; t++)
        {
            double u = (t + 1.0) / n;
            eta[t] = u <= warmup ? etaPeak * u / warmup : etaPeak * (1 - u) / (1 - warmup);
        }
        return eta;
    }

    private static int Check(int steps, double eta)
    {
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), $"LearningRateSchedule: steps must be ≥ 1, got {steps}");
        }
        if (!(eta > 0) || !double.IsFinite(eta))
        {
            throw new ArgumentOutOfRangeException(nameof(eta), $"LearningRateSchedule: the learning rate must be positive and finite, got {eta}");
        }
        return steps;
    }
}

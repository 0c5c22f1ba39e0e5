using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Recurrent;

/// <summary>‖h_t‖ and ‖∂L/∂h_t‖ per step t = 1..T, and (for the linear RNN with the last-step loss) the closed form.</summary>
/// <param name="HiddenNorms">‖h_t‖₂.</param>
/// <param name="GradientNorms">‖∂L/∂h_t‖₂ by autograd.</param>
/// <param name="ClosedFormNorms">‖2(ŷ_T − y_T) Wᶠ (Wʰ)^{T−t}‖₂ when σ is the identity and only the last step is scored; else null.</param>
/// <param name="MaxRelativeError">max_t ‖autograd − closed form‖ / ‖closed form‖ (vectors, not just norms); NaN when no closed form.</param>
public sealed record GradientProfile(double[] HiddenNorms, double[] GradientNorms, double[]? ClosedFormNorms, double MaxRelativeError);

/// <summary>
/// Backpropagation through time for one sequence, EECS 182 HW7 Q1(d)–(g) (seed 003). A one-layer
/// <see cref="RnnRegressor"/> in float64 whose Wʰ is ρ·Q with Q a random orthogonal matrix, so its spectral radius is
/// exactly ρ and ‖(Wʰ)^k v‖ = ρ^k ‖v‖. With σ = identity and the loss L = (ŷ_T − y_T)² (Q1(e)):
/// ∂L/∂h_T = 2(ŷ_T − y_T) Wᶠ and ∂L/∂h_t = ∂L/∂h_{t+1} Wʰ, so ∂L/∂h_t = 2(ŷ_T − y_T) Wᶠ (Wʰ)^{T−t}.
/// </summary>
public static class GradientsThroughTime
{
    /// <summary>Measures the profile for one sequence of the running-average task.</summary>
    /// <param name="nonlinearity">σ.</param>
    /// <param name="spectralRadius">ρ(Wʰ) &gt; 0.</param>
    /// <param name="lastTargetOnly">Score only the last step (task 2) or every step (task 1).</param>
    /// <param name="steps">T.</param>
    /// <param name="hidden">H.</param>
    /// <param name="seed">Seeds the weights and the sequence.</param>
    public static GradientProfile Measure(Nonlinearity nonlinearity, double spectralRadius, bool lastTargetOnly,
        int steps = 30, int hidden = 16, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spectralRadius);
        using var scope = NewDisposeScope();
        random.manual_seed(seed);
        using var model = new RnnRegressor(1, hidden, 1, nonlinearity);
        model.to(ScalarType.Float64);
        var layer = model.Layers[0];
        using (no_grad())
        {
            var q = linalg.qr(randn(hidden, hidden, dtype: ScalarType.Float64)).Q;
            layer.HiddenWeight.copy_(spectralRadius * q);
        }
        var (x, y) = RunningAverage.Generate(1, steps, seed + 1, ScalarType.Float64);
        var (yHat, states) = model.ForwardWithStates(x);
        foreach (var h in states) h.retain_grad();
        var loss = RunningAverage.Loss(yHat, y, lastTargetOnly);
        loss.backward();
        var hiddenNorms = states.Select(h => h.norm().ToDouble()).ToArray();
        var gradNorms = states.Select(h => h.grad is { } g ? g.norm().ToDouble() : 0.0).ToArray();
        if (nonlinearity != Nonlinearity.None || !lastTargetOnly)
            return new GradientProfile(hiddenNorms, gradNorms, null, double.NaN);

        using var _ = no_grad();
        var wf = model.Head.weight!;                                     // (1, H)
        var wh = layer.HiddenWeight;
        var g = 2 * (yHat[0, -1, 0] - y[0, -1, 0]) * wf;                // ∂L/∂h_T, (1, H)
        var closed = new double[steps];
        double maxRel = 0;
        for (int t = steps - 1; t >= 0; t--)
        {
            closed[t] = g.norm().ToDouble();
            var rel = (states[t].grad! - g).norm().ToDouble() / Math.Max(closed[t], double.Epsilon);
            maxRel = Math.Max(maxRel, rel);
            g = g.matmul(wh);                                            // one more factor Wʰ
        }
        return new GradientProfile(hiddenNorms, gradNorms, closed, maxRel);
    }
}

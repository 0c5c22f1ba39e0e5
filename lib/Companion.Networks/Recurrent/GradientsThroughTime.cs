using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace Companion.Networks.Recurrent;

/// <summary>‖h_t‖ and ‖∂L/∂h_t‖ per step t = 1..T, two independent checks of the gradients, and (for the linear RNN with
/// the last-step loss) the closed form.</summary>
/// <param name="HiddenNorms">‖h_t‖₂.</param>
/// <param name="GradientNorms">‖∂L/∂h_t‖₂ by autograd.</param>
/// <param name="ClosedFormNorms">2|ŷ_T − y_T| ‖Wᶠ‖ ρ^{T−t} when σ is the identity and only the last step is scored (the
/// norm of 2(ŷ_T − y_T) Wᶠ (Wʰ)^{T−t} for Wʰ = ρQ, Q orthogonal: computed from forward values and ρ alone); else null.</param>
/// <param name="MaxRelativeError">max_t ‖autograd − 2(ŷ_T − y_T) Wᶠ (Wʰ)^{T−t}‖ / ‖…‖ with the matrix power taken by
/// MathNet's <c>Matrix.Power</c> (vectors, not just norms); NaN when no closed form.</param>
/// <param name="FiniteDifferenceError">max over t ∈ {1, ⌈T/2⌉, T} of |(L(h_t + εd) − L(h_t − εd))/2ε − ⟨∂L/∂h_t, d⟩| /
/// max(‖∂L/∂h_t‖, 10⁻⁶ max_s ‖∂L/∂h_s‖) for a random unit direction d, the best of ε = (10⁻⁴, 10⁻⁶, 10⁻⁸)·max(1, ‖h_t‖),
/// where L(h_t') reruns the steps after t from h_t' (every σ, both losses).</param>
public sealed record GradientProfile(double[] HiddenNorms, double[] GradientNorms, double[]? ClosedFormNorms,
    double MaxRelativeError, double FiniteDifferenceError);

/// <summary>
/// Backpropagation through time for one sequence, EECS 182 HW7 Q1(d)–(g) (seed 003). A one-layer
/// <see cref="RnnRegressor"/> in float64 whose Wʰ is ρ·Q with Q a random orthogonal matrix, so its spectral radius is
/// exactly ρ and ‖(Wʰ)^k v‖ = ρ^k ‖v‖. With σ = identity and the loss L = (ŷ_T − y_T)² (Q1(e)):
/// ∂L/∂h_T = 2(ŷ_T − y_T) Wᶠ and ∂L/∂h_t = ∂L/∂h_{t+1} Wʰ, so ∂L/∂h_t = 2(ŷ_T − y_T) Wᶠ (Wʰ)^{T−t}.
/// </summary>
public static class GradientsThroughTime
{
    /// <summary>Steps of the central differences in <see cref="GradientProfile.FiniteDifferenceError"/>, relative to
    /// max(1, ‖h_t‖) (float64); the best of them counts (a large step can cross a ReLU kink, a small one loses digits
    /// to rounding; a wrong gradient is wrong at every step).</summary>
    public static readonly double[] FiniteDifferenceSteps = [1e-4, 1e-6, 1e-8];

    /// <summary>A gradient below this fraction of the largest ‖∂L/∂h_s‖ has vanished: its finite-difference error is
    /// measured relative to that fraction of the largest instead (rounding in L swamps a difference that small).</summary>
    public const double VanishedFraction = 1e-6;

    /// <summary>The model of the study (float64, Wʰ = ρQ) and one sequence of the running-average task.</summary>
    /// <param name="nonlinearity">σ.</param>
    /// <param name="spectralRadius">ρ(Wʰ) &gt; 0.</param>
    /// <param name="steps">T.</param>
    /// <param name="hidden">H.</param>
    /// <param name="seed">Seeds the weights and the sequence.</param>
    public static (RnnRegressor Model, Tensor X, Tensor Y) Setup(Nonlinearity nonlinearity, double spectralRadius,
        int steps = 30, int hidden = 16, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spectralRadius);
        random.manual_seed(seed);
        var model = new RnnRegressor(1, hidden, 1, nonlinearity);
        model.to(ScalarType.Float64);
        using (no_grad())
        {
            var q = linalg.qr(randn(hidden, hidden, dtype: ScalarType.Float64)).Q;
            model.Layers[0].HiddenWeight.copy_(spectralRadius * q);
        }
        var (x, y) = RunningAverage.Generate(1, steps, seed + 1, ScalarType.Float64);
        return (model, x, y);
    }

    /// <summary>Measures the profile for one sequence of the running-average task (see <see cref="Setup"/>).</summary>
    /// <param name="nonlinearity">σ.</param>
    /// <param name="spectralRadius">ρ(Wʰ) &gt; 0.</param>
    /// <param name="lastTargetOnly">Score only the last step (task 2) or every step (task 1).</param>
    /// <param name="steps">T.</param>
    /// <param name="hidden">H.</param>
    /// <param name="seed">Seeds the weights, the sequence and the finite-difference directions.</param>
    public static GradientProfile Measure(Nonlinearity nonlinearity, double spectralRadius, bool lastTargetOnly,
        int steps = 30, int hidden = 16, long seed = 0)
    {
        using var scope = NewDisposeScope();
        var (model, x, y) = Setup(nonlinearity, spectralRadius, steps, hidden, seed);
        using var _ = model;
        var (yHat, states) = model.ForwardWithStates(x);
        foreach (var h in states) h.retain_grad();
        RunningAverage.Loss(yHat, y, lastTargetOnly).backward();
        var hiddenNorms = states.Select(h => h.norm().ToDouble()).ToArray();
        var grads = states.Select(h => h.grad is { } g ? g.detach() : zeros_like(h)).ToArray();
        var gradNorms = grads.Select(g => g.norm().ToDouble()).ToArray();
        using var noGrad = no_grad();
        double fd = FiniteDifferenceCheck(model, x, y, states, grads, lastTargetOnly, seed);
        if (nonlinearity != Nonlinearity.None || !lastTargetOnly)
            return new GradientProfile(hiddenNorms, gradNorms, null, double.NaN, fd);

        double scale = 2 * Math.Abs((yHat[0, -1, 0] - y[0, -1, 0]).ToDouble()) * model.Head.weight!.norm().ToDouble();
        var closed = Enumerable.Range(0, steps).Select(t => scale * Math.Pow(spectralRadius, steps - 1 - t)).ToArray();
        // 2(ŷ−y) Wᶠ (Wʰ)^{T−t} in MathNet (Matrix.Power by squaring), outside libtorch and its backward recursion
        var g = Vector<double>.Build.DenseOfEnumerable(
            (2 * (yHat[0, -1, 0] - y[0, -1, 0]) * model.Head.weight!).reshape(-1).data<double>());
        var wh = Matrix<double>.Build.DenseOfRowArrays(Enumerable.Range(0, hidden)
            .Select(i => model.Layers[0].HiddenWeight[i].detach().data<double>().ToArray()));
        double maxRel = Enumerable.Range(0, steps).Max(t =>
        {
            var want = wh.Power(steps - 1 - t).LeftMultiply(g);
            var got = Vector<double>.Build.DenseOfEnumerable(grads[t].reshape(-1).data<double>());
            return (got - want).L2Norm() / Math.Max(want.L2Norm(), double.Epsilon);
        });
        return new GradientProfile(hiddenNorms, gradNorms, closed, maxRel, fd);
    }

    /// <summary>Central differences of L along a random unit direction at t = 1, ⌈T/2⌉, T against autograd.</summary>
    private static double FiniteDifferenceCheck(RnnRegressor model, Tensor x, Tensor y, IReadOnlyList<Tensor> states,
        Tensor[] grads, bool lastTargetOnly, long seed)
    {
        int steps = states.Count;
        using var gen = new Generator((ulong)seed + 7);
        double floor = VanishedFraction * grads.Max(g => g.norm().ToDouble()) + double.Epsilon;
        double worst = 0;
        foreach (int t in new[] { 0, (steps - 1) / 2, steps - 1 }.Distinct())
        {
            var d = randn(states[t].shape, dtype: ScalarType.Float64, generator: gen);
            d /= d.norm();
            double exact = (grads[t] * d).sum().ToDouble(), scale = Math.Max(1, states[t].norm().ToDouble());
            double best = FiniteDifferenceSteps.Min(step =>
            {
                double eps = step * scale;
                double plus = LossFrom(model, x, y, states, t, states[t] + eps * d, lastTargetOnly);
                double minus = LossFrom(model, x, y, states, t, states[t] - eps * d, lastTargetOnly);
                return Math.Abs((plus - minus) / (2 * eps) - exact);
            });
            worst = Math.Max(worst, best / Math.Max(grads[t].norm().ToDouble(), floor));
        }
        return worst;
    }

    /// <summary>The loss with h_t replaced by <paramref name="ht"/>: states before t kept, the steps after t rerun.</summary>
    private static double LossFrom(RnnRegressor model, Tensor x, Tensor y, IReadOnlyList<Tensor> states, int t, Tensor ht,
        bool lastTargetOnly)
    {
        var later = model.Layers[0].Steps(x[.., (t + 1).., ..], ht);
        var all = states.Take(t).Select(h => h.detach()).Append(ht).Concat(later).ToList();
        var yHat = model.Head.forward(stack(all, 1));
        return RunningAverage.Loss(yHat, y, lastTargetOnly).ToDouble();
    }
}

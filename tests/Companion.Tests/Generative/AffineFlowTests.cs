using Companion.Generative;

namespace Companion.Tests.Generative;

public class AffineFlowTests
{
    private const double FiniteDifferenceStep = 1e-6;
    private const double FiniteDifferenceTolerance = 1e-6;
    private const double ModeDistance = 0.05;     // |μ_rev − μ_mode|
    private const double ModeStdRatio = 0.05;     // |σ_rev/σ_mode − 1|

    // Question 3.2's target: two well-separated modes at ±d.
    private const double d = 2.5;
    private const double ModeStd = 0.5;
    private static readonly GaussianMixture Target = new(new[] { 0.5, 0.5 }, new[] { -d, d }, new[] { ModeStd, ModeStd });
    private static readonly double[] X = Target.Sample(2000, seed: 1);
    private static readonly double[] U = NormalizingFlow.BaseSamples(1000, seed: 2);

    [Fact]
    public void Forward_and_reverse_KL_gradients_match_central_finite_differences()
    {
        var flow = new AffineFlow(0.7, Math.Log(1.3));
        double Fd(Func<AffineFlow, double> f, bool mu)
        {
            var h = FiniteDifferenceStep;
            var plus = mu ? flow with { Mu = flow.Mu + h } : flow with { LogSigma = flow.LogSigma + h };
            var minus = mu ? flow with { Mu = flow.Mu - h } : flow with { LogSigma = flow.LogSigma - h };
            return (f(plus) - f(minus)) / (2 * h);
        }
        var (fMu, fSigma) = flow.ForwardKlGradient(X);
        Assert.Equal(Fd(f => f.ForwardKlObjective(X), true), fMu, FiniteDifferenceTolerance);
        Assert.Equal(Fd(f => f.ForwardKlObjective(X), false), fSigma, FiniteDifferenceTolerance);
        var (rMu, rSigma) = flow.ReverseKlGradient(Target.Score, U);
        Assert.Equal(Fd(f => f.ReverseKlObjective(Target.LogDensity, U), true), rMu, FiniteDifferenceTolerance);
        Assert.Equal(Fd(f => f.ReverseKlObjective(Target.LogDensity, U), false), rSigma, FiniteDifferenceTolerance);
    }

    [Fact]
    public void Forward_KL_fit_is_the_maximum_likelihood_Gaussian_and_covers_both_modes()
    {
        var (fit, trace) = AffineFlow.FitForwardKl(X, new AffineFlow(0, 0), steps: 500, eta: 0.5);
        var mean = X.Average();
        var std = Math.Sqrt(X.Sum(v => (v - mean) * (v - mean)) / X.Length);
        Assert.Equal(mean, fit.Mu, 1e-8);
        Assert.Equal(std, fit.Sigma, 1e-8);
        Assert.True(trace[^1] < trace[0]);
        // Mode-covering: centre between the modes, spread wider than half their separation.
        Assert.InRange(fit.Mu, -d + 1, d - 1);
        Assert.True(fit.Sigma > d, $"σ_fwd = {fit.Sigma} should exceed the half-separation {d}");
    }

    [Theory]
    [InlineData(1.0, 0.0, d)]
    [InlineData(-1.0, -0.7, -d)]
    public void Reverse_KL_fit_sits_on_the_mode_it_starts_near(double initMu, double initLogSigma, double mode)
    {
        var (fit, trace) = AffineFlow.FitReverseKl(Target.LogDensity, Target.Score, U, new AffineFlow(initMu, initLogSigma), steps: 1000, eta: 0.02);
        Assert.True(Math.Abs(fit.Mu - mode) < ModeDistance, $"μ_rev = {fit.Mu}, mode at {mode}");
        Assert.True(Math.Abs(fit.Sigma / ModeStd - 1) < ModeStdRatio, $"σ_rev = {fit.Sigma}, mode std {ModeStd}");
        Assert.True(trace[^1] < trace[0]);
        // On one of two equal modes the reverse KL is ≈ log 2 (the other half of p's mass is ignored).
        Assert.Equal(Math.Log(2), KlDivergence.Quadrature(x => NormalizingFlow.LogDensity(fit, x), Target.LogDensity, -15, 15), 0.01);
    }

    [Fact]
    public void Each_fit_wins_on_its_own_objective_and_loses_on_the_other()
    {
        var fwd = AffineFlow.FitForwardKl(X, new AffineFlow(0, 0), 500, 0.5).Flow;
        var rev = AffineFlow.FitReverseKl(Target.LogDensity, Target.Score, U, new AffineFlow(1, 0), 1000, 0.02).Flow;
        double Forward(AffineFlow f) => KlDivergence.Quadrature(Target.LogDensity, x => NormalizingFlow.LogDensity(f, x), -15, 15);
        double Reverse(AffineFlow f) => KlDivergence.Quadrature(x => NormalizingFlow.LogDensity(f, x), Target.LogDensity, -15, 15);
        Assert.True(Forward(fwd) < Forward(rev) - 1, "the reverse fit misses a mode: large forward KL");
        Assert.True(Reverse(rev) < Reverse(fwd) - 1, "the forward fit puts mass between the modes: large reverse KL");
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_a_message()
    {
        var ex = Assert.Throws<ArgumentException>(() => AffineFlow.FitForwardKl(Array.Empty<double>(), new AffineFlow(0, 0), 10, 0.1));
        Assert.Contains("at least one sample", ex.Message);
        Assert.Throws<ArgumentException>(() => AffineFlow.FitForwardKl(X, new AffineFlow(0, 0), 10, 0));
    }
}

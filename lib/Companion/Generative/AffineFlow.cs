using MathNet.Numerics.Distributions;

namespace Companion.Generative;

/// <summary>
/// Affine flow F(u) = μ + σu, σ = e^ℓ, on a standard-normal base, so P_F(U) = N(μ, σ²): a flow family that can only be
/// unimodal. Holds the two training objectives of seed 002_6d1f8bd69ec35d2c, Question 3.2 with analytic gradients in
/// θ = (μ, ℓ):
/// <list type="bullet">
/// <item>forward KL from samples x_i of P_X (scenario 2): D_KL[P_X ‖ P_F(U)] = const − (1/n)Σ log p_F(U)(x_i), i.e.
/// J_fwd(θ) = (1/n)Σ (x_i − μ)²/(2σ²) + ℓ + ½log 2π, ∂_μ = −(1/n)Σ(x_i − μ)/σ², ∂_ℓ = 1 − (1/n)Σ(x_i − μ)²/σ²;</item>
/// <item>reverse KL from the density p_X (scenario 1), reparameterised with fixed base draws u_j:
/// J_rev(θ) = (1/m)Σ [log p_U(u_j) − ℓ − log p_X(μ + σu_j)], ∂_μ = −(1/m)Σ s(x_j), ∂_ℓ = −1 − (1/m)Σ s(x_j)σu_j,
/// x_j = μ + σu_j, s = d/dx log p_X.</item>
/// </list>
/// Forward KL is mode-covering (the fit moment-matches P_X), reverse KL is mode-seeking (Bishop 2006, §10.1.2;
/// Papamakarios et al. 2021, §2.3).
/// </summary>
/// <param name="Mu">Location μ.</param>
/// <param name="LogSigma">ℓ = log σ.</param>
public sealed record AffineFlow(double Mu, double LogSigma) : IFlow1D
{
    /// <summary>Scale σ = e^ℓ.</summary>
    public double Sigma => Math.Exp(LogSigma);

    /// <inheritdoc/>
    public double Forward(double u) => Mu + Sigma * u;

    /// <inheritdoc/>
    public double Inverse(double x) => (x - Mu) / Sigma;

    /// <inheritdoc/>
    public double LogAbsDetForward(double u) => LogSigma;

    /// <inheritdoc/>
    public double LogAbsDetInverse(double x) => -LogSigma;

    /// <summary>Forward-KL objective J_fwd(θ) = −(1/n)Σ log p_F(U)(x_i) (the negative log-likelihood).</summary>
    /// <param name="x">Samples of P_X, length n.</param>
    public double ForwardKlObjective(double[] x)
    {
        CheckSamples(x, nameof(x));
        return -x.Average(xi => Normal.PDFLn(Mu, Sigma, xi));
    }

    /// <summary>Gradient of <see cref="ForwardKlObjective"/> in (μ, ℓ).</summary>
    /// <param name="x">Samples of P_X, length n.</param>
    public (double dMu, double dLogSigma) ForwardKlGradient(double[] x)
    {
        CheckSamples(x, nameof(x));
        var s2 = Sigma * Sigma;
        return (-x.Average(xi => xi - Mu) / s2, 1 - x.Average(xi => (xi - Mu) * (xi - Mu)) / s2);
    }

    /// <summary>Reparameterised reverse-KL objective J_rev(θ) = (1/m)Σ [log p_F(U)(F(u_j)) − log p_X(F(u_j))].</summary>
    /// <param name="logPX">Target log-density log p_X.</param>
    /// <param name="u">Fixed base draws u_j ~ N(0, 1), length m.</param>
    public double ReverseKlObjective(Func<double, double> logPX, double[] u)
    {
        ArgumentNullException.ThrowIfNull(logPX);
        CheckSamples(u, nameof(u));
        return u.Average(uj => NormalizingFlow.BaseLogDensity(uj) - LogSigma - logPX(Forward(uj)));
    }

    /// <summary>Gradient of <see cref="ReverseKlObjective"/> in (μ, ℓ), through the target's score s = d/dx log p_X.</summary>
    /// <param name="score">Target score d/dx log p_X.</param>
    /// <param name="u">Fixed base draws u_j ~ N(0, 1), length m.</param>
    public (double dMu, double dLogSigma) ReverseKlGradient(Func<double, double> score, double[] u)
    {
        ArgumentNullException.ThrowIfNull(score);
        CheckSamples(u, nameof(u));
        var dMu = 0.0;
        var dLogSigma = 0.0;
        foreach (var uj in u)
        {
            var s = score(Forward(uj));
            dMu -= s;
            dLogSigma -= s * Sigma * uj;
        }
        return (dMu / u.Length, -1 + dLogSigma / u.Length);
    }

    /// <summary>Fits θ by gradient descent on the forward KL (maximum likelihood on the samples).</summary>
    /// <param name="x">Samples of P_X, length n.</param>
    /// <param name="init">Starting flow.</param>
    /// <param name="steps">Number of gradient steps.</param>
    /// <param name="eta">Step size.</param>
    /// <returns>The fitted flow and the objective before each step and after the last (length steps + 1).</returns>
    public static (AffineFlow Flow, double[] Trace) FitForwardKl(double[] x, AffineFlow init, int steps, double eta)
    {
        CheckSamples(x, nameof(x));
        return Descend(init, steps, eta, f => f.ForwardKlObjective(x), f => f.ForwardKlGradient(x));
    }

    /// <summary>Fits θ by gradient descent on the reparameterised reverse KL, using only the target's density and score.</summary>
    /// <param name="logPX">Target log-density.</param>
    /// <param name="score">Target score d/dx log p_X.</param>
    /// <param name="u">Fixed base draws u_j ~ N(0, 1) (common random numbers: the objective is deterministic).</param>
    /// <param name="init">Starting flow.</param>
    /// <param name="steps">Number of gradient steps.</param>
    /// <param name="eta">Step size.</param>
    /// <returns>The fitted flow and the objective before each step and after the last (length steps + 1).</returns>
    public static (AffineFlow Flow, double[] Trace) FitReverseKl(Func<double, double> logPX, Func<double, double> score,
        double[] u, AffineFlow init, int steps, double eta)
    {
        ArgumentNullException.ThrowIfNull(logPX);
        ArgumentNullException.ThrowIfNull(score);
        CheckSamples(u, nameof(u));
        return Descend(init, steps, eta, f => f.ReverseKlObjective(logPX, u), f => f.ReverseKlGradient(score, u));
    }

    private static (AffineFlow, double[]) Descend(AffineFlow init, int steps, double eta,
        Func<AffineFlow, double> objective, Func<AffineFlow, (double dMu, double dLogSigma)> gradient)
    {
        ArgumentNullException.ThrowIfNull(init);
        if (steps < 0)
            throw new ArgumentException($"steps must be ≥ 0 but is {steps}", nameof(steps));
        if (!(eta > 0))
            throw new ArgumentException($"eta must be > 0 but is {eta}", nameof(eta));
        var flow = init;
        var trace = new double[steps + 1];
        for (var t = 0; t < steps; t++)
        {
            trace[t] = objective(flow);
            var (dMu, dLogSigma) = gradient(flow);
            flow = new AffineFlow(flow.Mu - eta * dMu, flow.LogSigma - eta * dLogSigma);
        }
        trace[steps] = objective(flow);
        return (flow, trace);
    }

    private static void CheckSamples(double[] samples, string name)
    {
        ArgumentNullException.ThrowIfNull(samples, name);
        if (samples.Length == 0)
            throw new ArgumentException($"{name} must hold at least one sample", name);
    }
}

namespace Companion.Generative;

/// <summary>
/// Sinh-arcsinh flow composed with an affine map (Jones &amp; Pewsey 2009, "Sinh-arcsinh distributions"):
/// F(u) = μ + σ·sinh((asinh u + ε)/δ), σ = e^{log σ}, δ = e^{log δ}; skew ε, tail weight δ. Monotone, with exact inverse
/// F⁻¹(x) = sinh(δ·asinh((x − μ)/σ) − ε) and exact log-Jacobians
/// log F′(u) = log σ − log δ + log cosh((asinh u + ε)/δ) − ½log(1 + u²) and
/// log (F⁻¹)′(x) = log δ − log σ + log cosh(δ·asinh y − ε) − ½log(1 + y²), y = (x − μ)/σ.
/// A non-affine flow for seed 002_6d1f8bd69ec35d2c, Question 3.1 (ε = 0, δ = 1 gives the affine flow).
/// </summary>
/// <param name="Mu">Location μ.</param>
/// <param name="LogSigma">log σ (scale).</param>
/// <param name="Epsilon">Skew ε.</param>
/// <param name="LogDelta">log δ (tail weight; δ &lt; 1 heavier tails, δ &gt; 1 lighter).</param>
public sealed record SinhArcsinhFlow(double Mu, double LogSigma, double Epsilon, double LogDelta) : IFlow1D
{
    private double Sigma => Math.Exp(LogSigma);

    private double Delta => Math.Exp(LogDelta);

    /// <inheritdoc/>
    public double Forward(double u) => Mu + Sigma * Math.Sinh((Math.Asinh(u) + Epsilon) / Delta);

    /// <inheritdoc/>
    public double Inverse(double x) => Math.Sinh(Delta * Math.Asinh((x - Mu) / Sigma) - Epsilon);

    /// <inheritdoc/>
    public double LogAbsDetForward(double u) =>
        LogSigma - LogDelta + LogCosh((Math.Asinh(u) + Epsilon) / Delta) - 0.5 * Math.Log(1 + u * u);

    /// <inheritdoc/>
    public double LogAbsDetInverse(double x)
    {
        var y = (x - Mu) / Sigma;
        return LogDelta - LogSigma + LogCosh(Delta * Math.Asinh(y) - Epsilon) - 0.5 * Math.Log(1 + y * y);
    }

    /// <summary>log cosh t = |t| + log(1 + e^{−2|t|}) − log 2, without overflow.</summary>
    private static double LogCosh(double t)
    {
        var a = Math.Abs(t);
        return a + Math.Log(1 + Math.Exp(-2 * a)) - Math.Log(2);
    }
}

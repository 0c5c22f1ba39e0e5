using MathNet.Numerics.Distributions;

namespace Companion.Generative;

/// <summary>
/// A one-dimensional normalizing flow F: 𝒰 → 𝒳 with exact inverse and exact log-Jacobians in both directions
/// (seed 002_6d1f8bd69ec35d2c, Question 3; Papamakarios et al. 2021 "Normalizing Flows for Probabilistic Modeling
/// and Inference"). Each direction is computed by its own formula, so the change-of-variables identities can be checked
/// numerically rather than holding by construction.
/// </summary>
public interface IFlow1D
{
    /// <summary>x = F(u).</summary>
    /// <param name="u">Base-space point.</param>
    double Forward(double u);

    /// <summary>u = F⁻¹(x).</summary>
    /// <param name="x">Data-space point.</param>
    double Inverse(double x);

    /// <summary>log |F′(u)|.</summary>
    /// <param name="u">Base-space point.</param>
    double LogAbsDetForward(double u);

    /// <summary>log |(F⁻¹)′(x)|.</summary>
    /// <param name="x">Data-space point.</param>
    double LogAbsDetInverse(double x);
}

/// <summary>
/// Densities induced by a flow with a standard-normal base P_U = N(0, 1) (seed 002_6d1f8bd69ec35d2c, Question 3.1):
/// the model density log p_F(U)(x) = log p_U(F⁻¹(x)) + log|(F⁻¹)′(x)| and the density of the data pulled back to base
/// space, log p_F⁻¹(X)(u) = log p_X(F(u)) + log|F′(u)|.
/// </summary>
public static class NormalizingFlow
{
    /// <summary>log p_U(u) = −u²/2 − ½ log 2π.</summary>
    /// <param name="u">Base-space point.</param>
    public static double BaseLogDensity(double u) => Normal.PDFLn(0, 1, u);

    /// <summary>log p_F(U)(x) = log p_U(F⁻¹(x)) + log|(F⁻¹)′(x)| (uses only the inverse direction).</summary>
    /// <param name="flow">The flow F.</param>
    /// <param name="x">Data-space point.</param>
    public static double LogDensity(IFlow1D flow, double x)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return BaseLogDensity(flow.Inverse(x)) + flow.LogAbsDetInverse(x);
    }

    /// <summary>log p_F⁻¹(X)(u) = log p_X(F(u)) + log|F′(u)| (uses only the forward direction).</summary>
    /// <param name="flow">The flow F.</param>
    /// <param name="logPX">Data log-density log p_X.</param>
    /// <param name="u">Base-space point.</param>
    public static double PulledBackLogDensity(IFlow1D flow, Func<double, double> logPX, double u)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(logPX);
        return logPX(flow.Forward(u)) + flow.LogAbsDetForward(u);
    }

    /// <summary>n samples of F(U), U ~ N(0, 1).</summary>
    /// <param name="flow">The flow F.</param>
    /// <param name="n">Number of samples.</param>
    /// <param name="seed">Seed of the base draws.</param>
    public static double[] Sample(IFlow1D flow, int n, int seed)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return BaseSamples(n, seed).Select(flow.Forward).ToArray();
    }

    /// <summary>n standard-normal draws (the base samples that reparameterised objectives reuse).</summary>
    /// <param name="n">Number of samples.</param>
    /// <param name="seed">Seed of the draw.</param>
    public static double[] BaseSamples(int n, int seed)
    {
        if (n < 1)
            throw new ArgumentException($"n must be ≥ 1 but is {n}", nameof(n));
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Normal.Sample(rng, 0, 1)).ToArray();
    }
}

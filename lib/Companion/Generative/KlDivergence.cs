namespace Companion.Generative;

/// <summary>
/// Kullback–Leibler divergences D_KL[P ‖ Q] = E_P[log p − log q] for seed 002_6d1f8bd69ec35d2c, Question 3: closed form
/// between 1-D Gaussians, Monte Carlo estimates of Question 3.1's two sides from the same data samples, and a quadrature
/// reference.
/// <para>Question 3.1: with u = F⁻¹(x), log p_X(x) − log p_F(U)(x) = log p_F⁻¹(X)(u) − log p_U(u) for every x (the
/// log-Jacobians cancel), so D_KL[P_X ‖ P_F(U)] = D_KL[P_F⁻¹(X) ‖ P_U] holds sample by sample, not only in expectation.</para>
/// </summary>
public static class KlDivergence
{
    /// <summary>D_KL[N(m1, s1²) ‖ N(m2, s2²)] = log(s2/s1) + (s1² + (m1 − m2)²)/(2 s2²) − ½.</summary>
    /// <param name="m1">Mean of P.</param>
    /// <param name="s1">Standard deviation of P, &gt; 0.</param>
    /// <param name="m2">Mean of Q.</param>
    /// <param name="s2">Standard deviation of Q, &gt; 0.</param>
    public static double Gaussian(double m1, double s1, double m2, double s2)
    {
        if (!(s1 > 0) || !(s2 > 0))
            throw new ArgumentException($"standard deviations must be > 0 but are s1 = {s1}, s2 = {s2}");
        return Math.Log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
    }

    /// <summary>Per-sample integrand of D_KL[P_X ‖ P_F(U)] in data space: log p_X(x_i) − log p_F(U)(x_i).</summary>
    /// <param name="flow">The flow F (its inverse direction is used).</param>
    /// <param name="logPX">Data log-density.</param>
    /// <param name="x">Samples of P_X, length n.</param>
    public static double[] DataSpaceIntegrand(IFlow1D flow, Func<double, double> logPX, double[] x)
    {
        Check(flow, logPX, x);
        return x.Select(xi => logPX(xi) - NormalizingFlow.LogDensity(flow, xi)).ToArray();
    }

    /// <summary>
    /// Per-sample integrand of D_KL[P_F⁻¹(X) ‖ P_U] in base space at u_i = F⁻¹(x_i) (the same samples mapped back):
    /// log p_F⁻¹(X)(u_i) − log p_U(u_i), with p_F⁻¹(X) computed through the forward direction.
    /// </summary>
    /// <param name="flow">The flow F.</param>
    /// <param name="logPX">Data log-density.</param>
    /// <param name="x">Samples of P_X, length n.</param>
    public static double[] BaseSpaceIntegrand(IFlow1D flow, Func<double, double> logPX, double[] x)
    {
        Check(flow, logPX, x);
        return x.Select(flow.Inverse)
            .Select(u => NormalizingFlow.PulledBackLogDensity(flow, logPX, u) - NormalizingFlow.BaseLogDensity(u))
            .ToArray();
    }

    /// <summary>Monte Carlo estimate (sample mean) of an expectation and its standard error (sample std/√n).</summary>
    /// <param name="integrand">Per-sample values, length n ≥ 2.</param>
    public static (double Estimate, double StandardError) MonteCarlo(double[] integrand)
    {
        ArgumentNullException.ThrowIfNull(integrand);
        if (integrand.Length < 2)
            throw new ArgumentException($"integrand needs at least 2 values but has {integrand.Length}", nameof(integrand));
        var mean = integrand.Average();
        var variance = integrand.Sum(v => (v - mean) * (v - mean)) / (integrand.Length - 1);
        return (mean, Math.Sqrt(variance / integrand.Length));
    }

    /// <summary>
    /// D_KL[P ‖ Q] = ∫ p (log p − log q) dx by composite Simpson's rule on [a, b] with n (even) intervals; a reference
    /// for 1-D densities whose mass lies inside [a, b].
    /// </summary>
    /// <param name="logP">log p.</param>
    /// <param name="logQ">log q.</param>
    /// <param name="a">Lower end.</param>
    /// <param name="b">Upper end, &gt; a.</param>
    /// <param name="n">Number of intervals, even, ≥ 2.</param>
    public static double Quadrature(Func<double, double> logP, Func<double, double> logQ, double a, double b, int n = 20_000)
    {
        ArgumentNullException.ThrowIfNull(logP);
        ArgumentNullException.ThrowIfNull(logQ);
        if (!(b > a))
            throw new ArgumentException($"need a < b but a = {a}, b = {b}");
        if (n < 2 || n % 2 != 0)
            throw new ArgumentException($"n must be even and ≥ 2 but is {n}", nameof(n));
        var h = (b - a) / n;
        double F(double x)
        {
            var lp = logP(x);
            return double.IsNegativeInfinity(lp) ? 0 : Math.Exp(lp) * (lp - logQ(x));
        }
        var sum = F(a) + F(b);
        for (var i = 1; i < n; i++)
            sum += (i % 2 == 1 ? 4 : 2) * F(a + i * h);
        return sum * h / 3;
    }

    private static void Check(IFlow1D flow, Func<double, double> logPX, double[] x)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(logPX);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length == 0)
            throw new ArgumentException("x must hold at least one sample", nameof(x));
    }
}

using Companion.Numerics;

namespace Companion.LinearNetworks;

/// <summary>One singular mode's trajectory: the layer values d^l(τ) and their product.</summary>
/// <param name="T">Sample times τ, T[0] = 0.</param>
/// <param name="D">D[t][l] = d^{l+1}(T[t]).</param>
/// <param name="Product">Πₗ d^l(T[t]): the mode's strength in w_tot.</param>
/// <param name="Solver">The integrator's work.</param>
public sealed record ModeTrajectory(double[] T, double[][] D, double[] Product, OdeSolution Solver);

/// <summary>
/// The decoupled mode equation of homework 000_1ccdba2d613922a2, Question 2 part 3, eq. (5), for one mode with
/// singular value s of YXᵀ and layer values d¹ … d^L:
/// <code>
/// dd^l/dτ = Π_{m≠l} d^m (s − Πₙ dⁿ)
/// </code>
/// in the time τ = 2ηt/N of the flow Ẇ_l = −η ∂𝓛/∂W_l (eq. (2) with the 1/N of eq. (1); the homework's (5) drops this
/// constant and writes s for the mode's sⱼ). With equal layers dˡ = u the product p = u^L obeys
/// dp/dτ = L p^{2−2/L} (s − p) (Saxe, McClelland &amp; Ganguli 2014, ICLR, §2 and §3):
/// <list type="bullet">
/// <item>L = 1 (linear regression): p(τ) = s + (p₀ − s) e^{−τ}, exponential, rate 1 for every mode.</item>
/// <item>L = 2: p(τ) = s p₀ e^{2sτ} / (s + p₀(e^{2sτ} − 1)), logistic; time to half-learn (1/2s) ln((s − p₀)/p₀).</item>
/// <item>L ≥ 3: τ(p) = ∫_{p₀}^{p} dq / (L q^{2−2/L}(s − q)); for small u₀, τ_half ≈ u₀^{−(L−2)} / (s (L − 2)).</item>
/// </list>
/// Stronger modes (larger s) are learnt first, and from a small initialisation each mode waits on a plateau whose length
/// grows with depth, then jumps: stage-like learning.
/// </summary>
public static class DeepLinearModes
{
    /// <summary>The right-hand side of (5): dd^l/dτ = Π_{m≠l} d^m (s − Πₙ dⁿ).</summary>
    public static double[] Rhs(double s, double[] d)
    {
        int L = d.Length;
        double prod = d.Aggregate(1.0, (a, b) => a * b);
        var r = new double[L];
        for (int l = 0; l < L; l++)
        {
            double others = 1;
            for (int m = 0; m < L; m++)
            {
                if (m != l)
                {
                    others *= d[m];
                }
            }

            r[l] = others * (s - prod);
        }

        return r;
    }

    /// <summary>Integrates (5) for one mode from d(0) = d0 and samples it at the given times.</summary>
    /// <param name="s">The mode's singular value.</param>
    /// <param name="d0">Initial layer values d¹(0) … d^L(0).</param>
    /// <param name="times">Strictly increasing sample times &gt; 0.</param>
    /// <param name="options">Integrator tolerances (default rtol 1e-10, atol 1e-14).</param>
    public static ModeTrajectory Integrate(double s, double[] d0, IReadOnlyList<double> times, OdeOptions? options = null)
    {
        if (d0.Length == 0 || times.Count == 0)
        {
            throw new ArgumentException("Need at least one layer value and one sample time.");
        }

        var sol = OdeIntegrator.DormandPrince((_, d) => Rhs(s, d), d0, 0, times[^1], options ?? new OdeOptions(1e-10, 1e-14), times);
        return new ModeTrajectory(sol.T, sol.Y, sol.Y.Select(d => d.Aggregate(1.0, (a, b) => a * b)).ToArray(), sol);
    }

    /// <summary>Closed form of the product p(τ) with equal layers, for L = 1 and L = 2 (see the class summary).</summary>
    /// <param name="depth">L ∈ {1, 2}.</param>
    /// <param name="s">Singular value s &gt; 0.</param>
    /// <param name="p0">Initial product p₀ = u₀^L, 0 &lt; p₀ &lt; s.</param>
    /// <param name="tau">Time τ ≥ 0.</param>
    public static double EqualLayersProduct(int depth, double s, double p0, double tau) => depth switch
    {
        1 => s + ((p0 - s) * Math.Exp(-tau)),
        2 => s * p0 / ((p0 + ((s - p0) * Math.Exp(-2 * s * tau)))),
        _ => throw new ArgumentException($"The explicit closed form is for depth 1 or 2; for depth {depth} use EqualLayersTime (τ as a function of p).", nameof(depth)),
    };

    /// <summary>
    /// τ(p) = ∫_{p₀}^{p} dq / (L q^{2−2/L}(s − q)): the time for the equal-layer product to go from p₀ to p, in closed
    /// form for L = 1, 2 and by double-exponential quadrature (MathNet <c>Integrate.DoubleExponential</c>, after the
    /// substitution q = e^v) for L ≥ 3.
    /// </summary>
    /// <param name="depth">L ≥ 1.</param>
    /// <param name="s">s &gt; 0.</param>
    /// <param name="p0">0 &lt; p₀ &lt; p.</param>
    /// <param name="p">Target product, p &lt; s.</param>
    public static double EqualLayersTime(int depth, double s, double p0, double p)
    {
        if (depth < 1 || !(s > 0) || !(p0 > 0) || !(p > p0) || !(p < s))
        {
            throw new ArgumentException($"Need L ≥ 1 and 0 < p₀ < p < s but got L = {depth}, s = {s}, p₀ = {p0}, p = {p}.");
        }

        return depth switch
        {
            1 => Math.Log((s - p0) / (s - p)),
            2 => Math.Log(p * (s - p0) / (p0 * (s - p))) / (2 * s),
            _ => MathNet.Numerics.Integrate.DoubleExponential(
                v => Math.Exp(v * (2.0 / depth - 1)) / (depth * (s - Math.Exp(v))), Math.Log(p0), Math.Log(p), 1e-12),
        };
    }

    /// <summary>τ_half: the time for the equal-layer product to reach s/2 from u₀ in every layer (p₀ = u₀^L &lt; s/2).</summary>
    public static double HalfTime(int depth, double s, double u0) => EqualLayersTime(depth, s, Math.Pow(u0, depth), s / 2);

    /// <summary>
    /// Leading order of τ_half as u₀ → 0: ln 2 for L = 1, (1/2s) ln(s/u₀²) for L = 2, and u₀^{−(L−2)}/(s(L−2)) for L ≥ 3
    /// (from ∫ dq / (L s q^{2−2/L}), the plateau near q = 0 dominating).
    /// </summary>
    public static double HalfTimeLeadingOrder(int depth, double s, double u0) => depth switch
    {
        < 1 => throw new ArgumentException($"Depth must be ≥ 1 but is {depth}.", nameof(depth)),
        1 => Math.Log(2),
        2 => Math.Log(s / (u0 * u0)) / (2 * s),
        _ => Math.Pow(u0, -(depth - 2)) / (s * (depth - 2)),
    };

    /// <summary>The first sample time at which <paramref name="values"/> reaches <paramref name="level"/>, linearly interpolated; NaN if never.</summary>
    public static double FirstCrossing(IReadOnlyList<double> times, IReadOnlyList<double> values, double level)
    {
        if (values.Count > 0 && values[0] >= level)
        {
            return times[0];
        }

        for (int i = 1; i < values.Count; i++)
        {
            if (values[i] >= level)
            {
                double f = (level - values[i - 1]) / (values[i] - values[i - 1]);
                return times[i - 1] + (f * (times[i] - times[i - 1]));
            }
        }

        return double.NaN;
    }
}

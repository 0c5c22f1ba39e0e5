namespace Companion.Parity;

/// <summary>The spread of ∇R(p) over the masks v*, for one network p.</summary>
/// <param name="D">Input dimension d.</param>
/// <param name="K">Hidden width k.</param>
/// <param name="Variance">E_{v*}‖∇R(p) − a‖², averaged over all 2^d masks, each ∇R computed over all 2^d inputs.</param>
/// <param name="ParsevalValue">E_x‖g(x)‖²/2^d: by Parseval on {0,1}^d (the 2^d characters are an orthonormal
/// basis) this equals <paramref name="Variance"/>; the sub-orthonormal inequality of 3(c)(iv) is an equality here.</param>
/// <param name="Bound">C_p/2^d with C_p = (dk + 2k + 1)·c_p², the bound of 3(c)(iv).</param>
/// <param name="Cp">C_p = (dk + 2k + 1)·c_p².</param>
/// <param name="GradientBound">c_p, see <see cref="ParityNetwork.GradientBound"/>.</param>
/// <param name="ANormSquared">‖a‖², the v*-independent part, for scale.</param>
/// <param name="MaxAbsOutput">maxₓ |f_p(x)|; below 1 both indicators 1₁(±f) are 1 everywhere and a = 0.</param>
public sealed record GradientVarianceResult(int D, int K, double Variance, double ParsevalValue, double Bound, double Cp,
    double GradientBound, double ANormSquared, double MaxAbsOutput);

/// <summary>
/// E_{v*}‖∇R(p) − a‖² ≤ C_p/2^d (CS189 HW7, seed <c>004_88812e8faecb25b2.txt</c>, Question 3(c)(iv)), computed exactly.
/// ∇R(p) − a = E_x[(−1)^{v*ᵀx} g(x)] = ĝ(v*)/2^d, so one Walsh–Hadamard transform of each coordinate of g over all x
/// gives ∇R(p) − a for all 2^d masks at once. Derivation of the bound: E_{v*}‖∇R − a‖² = 2^{−d} Σ_{v*} Σⱼ
/// (E_x[χ_{v*} gⱼ])² ≤ 2^{−d} Σⱼ E_x[gⱼ²] ≤ 2^{−d} (dk + 2k + 1) c_p², using the sub-orthonormal inequality with
/// h = gⱼ and |gⱼ| ≤ c_p. (Shalev-Shwartz, Shamir and Shammah, "Failures of gradient-based deep learning", 2017.)
/// </summary>
public static class GradientVariance
{
    /// <summary>Exact E_{v*}‖∇R(p) − a‖² by Walsh–Hadamard transforms (O(D·d·2^d) for D = dk + 2k + 1 parameters).</summary>
    public static GradientVarianceResult Exact(ParityNetwork net)
    {
        ArgumentNullException.ThrowIfNull(net);
        int n = ParityFunction.CubeSize(net.D, "GradientVariance.Exact");
        int m = net.ParameterCount;
        var byCoordinate = new double[m][];
        for (int j = 0; j < m; j++)
        {
            byCoordinate[j] = new double[n];
        }
        double gSquared = 0, maxAbs = 0;
        for (int x = 0; x < n; x++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(net.Evaluate(x)));
            var g = HingeRisk.G(net, x);
            for (int j = 0; j < m; j++)
            {
                byCoordinate[j][x] = g[j];
                gSquared += g[j] * g[j];
            }
        }
        double sum = 0;
        foreach (var column in byCoordinate)
        {
            WalshHadamard.TransformInPlace(column);     // ĝⱼ(v) = 2^d · (∇R(v) − a)ⱼ
            foreach (var c in column)
            {
                sum += c * c;
            }
        }
        double variance = sum / ((double)n * n) / n;    // mean over v of Σⱼ (ĝⱼ(v)/2^d)²
        double cp = net.GradientBound();
        double bigC = m * cp * cp;
        double aNorm = HingeRisk.A(net).Sum(v => v * v);
        return new GradientVarianceResult(net.D, net.K, variance, gSquared / n / n, bigC / n, bigC, cp, aNorm, maxAbs);
    }

    /// <summary>
    /// The same mean by brute force: for each of the 2^d masks compute ∇R(p) over all inputs and subtract a
    /// (O(4^d·D)); the independent reference for <see cref="Exact"/>.
    /// </summary>
    public static double BruteForce(ParityNetwork net)
    {
        ArgumentNullException.ThrowIfNull(net);
        int n = ParityFunction.CubeSize(net.D, "GradientVariance.BruteForce");
        var a = HingeRisk.A(net);
        double sum = 0;
        for (int v = 0; v < n; v++)
        {
            var grad = HingeRisk.Gradient(net, v);
            for (int j = 0; j < grad.Length; j++)
            {
                double e = grad[j] - a[j];
                sum += e * e;
            }
        }
        return sum / n;
    }
}

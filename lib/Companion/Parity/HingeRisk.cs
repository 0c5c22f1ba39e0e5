namespace Companion.Parity;

/// <summary>
/// The population hinge risk of the parity network and its gradient, by exact enumeration of x ∈ {0,1}^d (CS189 HW7,
/// seed <c>004_88812e8faecb25b2.txt</c>, Question 3(b)(c)): ℓ(f, y) = max{0, 1 − f·y}, R(p) = E_x[ℓ(f_p(x), (−1)^{v*ᵀx})],
/// ∇R(p) = −E_x[y·1₁(f y)·∇_p f] with 1₁(u) = 1[u &lt; 1] (the subgradient autograd takes, as max′(0) = 0).
/// Splitting −y·1₁(fy) = −(1₁(f) − 1₁(−f))/2 − y(1₁(f) + 1₁(−f))/2 gives ∇R(p) = a + E_x[(−1)^{v*ᵀx} g(x)] with
/// a = −E_x[(1₁(f) − 1₁(−f))/2 ∇f] and g(x) = −(1₁(f) + 1₁(−f))/2 ∇f, neither of which depends on v*.
/// </summary>
public static class HingeRisk
{
    /// <summary>1₁(u) = 1 for u &lt; 1, 0 for u ≥ 1.</summary>
    public static double Indicator(double u) => u < 1 ? 1 : 0;

    /// <summary>ℓ(f, y) = max{0, 1 − f·y}.</summary>
    public static double Loss(double f, int y) => Math.Max(0, 1 - f * y);

    /// <summary>R(p) = E_x[max{0, 1 − f_p(x)·(−1)^{v*ᵀx}}] over all 2^d inputs.</summary>
    public static double Risk(ParityNetwork net, int vStar)
    {
        ArgumentNullException.ThrowIfNull(net);
        int n = ParityFunction.CubeSize(net.D, "HingeRisk.Risk");
        double sum = 0;
        for (int x = 0; x < n; x++)
        {
            sum += Loss(net.Evaluate(x), ParityFunction.Label(vStar, x));
        }
        return sum / n;
    }

    /// <summary>∇R(p) = −E_x[y·1₁(f y)·∇_p f] over all 2^d inputs (length dk + 2k + 1).</summary>
    public static double[] Gradient(ParityNetwork net, int vStar)
    {
        ArgumentNullException.ThrowIfNull(net);
        int n = ParityFunction.CubeSize(net.D, "HingeRisk.Gradient");
        var grad = new double[net.ParameterCount];
        for (int x = 0; x < n; x++)
        {
            double f = net.Evaluate(x);
            int y = ParityFunction.Label(vStar, x);
            double c = -y * Indicator(f * y) / n;
            if (c != 0)
            {
                Accumulate(grad, net.Gradient(x), c);
            }
        }
        return grad;
    }

    /// <summary>a = −E_x[(1₁(f) − 1₁(−f))/2 · ∇_p f], the part of ∇R that does not depend on v*.</summary>
    public static double[] A(ParityNetwork net)
    {
        ArgumentNullException.ThrowIfNull(net);
        int n = ParityFunction.CubeSize(net.D, "HingeRisk.A");
        var a = new double[net.ParameterCount];
        for (int x = 0; x < n; x++)
        {
            double f = net.Evaluate(x);
            double c = -(Indicator(f) - Indicator(-f)) / 2 / n;
            if (c != 0)
            {
                Accumulate(a, net.Gradient(x), c);
            }
        }
        return a;
    }

    /// <summary>g(x) = −(1₁(f) + 1₁(−f))/2 · ∇_p f(x); |g(x)ⱼ| ≤ |∇_p f(x)ⱼ| ≤ c_p.</summary>
    public static double[] G(ParityNetwork net, int x)
    {
        ArgumentNullException.ThrowIfNull(net);
        var g = net.Gradient(x);
        double f = net.Output(net.PreActivations(x));
        double c = -(Indicator(f) + Indicator(-f)) / 2;
        for (int j = 0; j < g.Length; j++)
        {
            g[j] *= c;
        }
        return g;
    }

    private static void Accumulate(double[] into, double[] v, double c)
    {
        for (int j = 0; j < into.Length; j++)
        {
            into[j] += c * v[j];
        }
    }
}

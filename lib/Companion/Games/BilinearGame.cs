using Complex = System.Numerics.Complex;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Games;

/// <summary>How the critic d and the generator g take their gradient steps on V(d, g) = d·g.</summary>
public enum GdaMethod
{
    /// <summary>Both players step from (d_k, g_k): d ← d + α ∂V/∂d, g ← g − α ∂V/∂g.</summary>
    Simultaneous,

    /// <summary>d steps first; g then steps using the new d_{k+1}.</summary>
    Alternating,

    /// <summary>Extrapolate one simultaneous step, then step from (d_k, g_k) with the gradient at the extrapolated point.</summary>
    Extragradient,

    /// <summary>Optimistic GDA: x_{k+1} = x_k + 2α F(x_k) − α F(x_{k−1}), with x_{−1} = x_0.</summary>
    Optimistic,
}

/// <summary>Iterates of a gradient method on V(d, g) = d·g, step k = 0..Steps.</summary>
/// <param name="Method">The update rule.</param>
/// <param name="Alpha">Learning rate α.</param>
/// <param name="K">Step indices 0, 1, …, Steps (as doubles, ready for a chart's x axis).</param>
/// <param name="D">Critic iterates d_k, length Steps + 1.</param>
/// <param name="G">Generator iterates g_k, length Steps + 1.</param>
/// <param name="Norm">‖(d_k, g_k)‖₂, length Steps + 1.</param>
public sealed record GdaTrajectory(GdaMethod Method, double Alpha, double[] K, double[] D, double[] G, double[] Norm)
{
    /// <summary>Number of steps taken.</summary>
    public int Steps => D.Length - 1;
}

/// <summary>
/// Training dynamics of the bilinear GAN game V(d, g) = d·g, where the critic d maximises and the generator g
/// minimises (seed 002_6d1f8bd69ec35d2c.txt, Question 4). Writing x = (d, g) and F(x) = (∂V/∂d, −∂V/∂g) = (g, −d)
/// = B x with B = [[0, 1], [−1, 0]], every method here is a linear map of the iterates:
/// <list type="bullet">
/// <item>simultaneous GDA  x_{k+1} = (I + αB) x_k = A x_k, A = [[1, α], [−α, 1]], eigenvalues 1 ± iα, |λ| = √(1+α²) > 1:
/// A is √(1+α²) times a rotation, so ‖x_k‖ = (1+α²)^{k/2} ‖x_0‖ and the iterates spiral outwards
/// (Mescheder, Nowozin &amp; Geiger 2017, "The Numerics of GANs");</item>
/// <item>alternating GDA  [[1, α], [−α, 1−α²]], det = 1, eigenvalues 1 − α²/2 ± iα√(1 − α²/4) on the unit circle
/// for α &lt; 2; it conserves d² + α d g + g², so the iterates cycle on an ellipse
/// (Bailey, Gidel &amp; Piliouras 2020; Gidel et al. 2019, "Negative Momentum for Improved Game Dynamics");</item>
/// <item>extragradient  (I + αB + α²B²) = [[1−α², α], [−α, 1−α²]], eigenvalues 1 − α² ± iα,
/// |λ|² = 1 − α² + α⁴ &lt; 1 for 0 &lt; α &lt; 1 (Korpelevich 1976; Gidel et al. 2019, "A Variational Inequality
/// Perspective on GANs");</item>
/// <item>optimistic GDA  on z_k = (d_k, g_k, d_{k−1}, g_{k−1}): [[I + 2αB, −αB], [I, 0]], eigenvalues
/// (1 ± 2iα ± √(1 − 4α²))/2, spectral radius √((1 + √(1 − 4α²))/2) &lt; 1 for 0 &lt; α ≤ 1/2
/// (Daskalakis, Ilyas, Syrgkanis &amp; Zeng 2018, "Training GANs with Optimism").</item>
/// </list>
/// </summary>
public static class BilinearGame
{
    /// <summary>V(d, g) = d·g.</summary>
    public static double Value(double d, double g) => d * g;

    /// <summary>∇V = (∂V/∂d, ∂V/∂g) = (g, d).</summary>
    public static (double dV_dd, double dV_dg) Gradient(double d, double g) => (g, d);

    /// <summary>
    /// The linear map of one step: 2×2 on (d_k, g_k) for simultaneous, alternating and extragradient updates;
    /// 4×4 on (d_k, g_k, d_{k−1}, g_{k−1}) for optimistic GDA (see the class summary for each matrix).
    /// </summary>
    /// <param name="method">The update rule.</param>
    /// <param name="alpha">Learning rate α &gt; 0.</param>
    public static Matrix<double> UpdateMatrix(GdaMethod method, double alpha)
    {
        CheckAlpha(alpha);
        double a = alpha, a2 = alpha * alpha;
        var build = Matrix<double>.Build;
        return method switch
        {
            GdaMethod.Simultaneous => build.DenseOfArray(new[,] { { 1, a }, { -a, 1 } }),
            GdaMethod.Alternating => build.DenseOfArray(new[,] { { 1, a }, { -a, 1 - a2 } }),
            GdaMethod.Extragradient => build.DenseOfArray(new[,] { { 1 - a2, a }, { -a, 1 - a2 } }),
            GdaMethod.Optimistic => build.DenseOfArray(new[,]
            {
                { 1, 2 * a, 0, -a },
                { -2 * a, 1, a, 0 },
                { 1, 0, 0, 0 },
                { 0, 1, 0, 0 },
            }),
            _ => throw UnknownMethod(method),
        };
    }

    /// <summary>Eigenvalues of <see cref="UpdateMatrix"/>, largest modulus first (then larger imaginary part first).</summary>
    public static Complex[] Eigenvalues(GdaMethod method, double alpha) =>
        UpdateMatrix(method, alpha).Evd().EigenValues.ToArray()
            .OrderByDescending(l => l.Magnitude).ThenByDescending(l => l.Imaginary).ToArray();

    /// <summary>ρ = max |λ| over the eigenvalues of the update matrix: the iterates shrink like ρ^k when ρ &lt; 1.</summary>
    public static double SpectralRadius(GdaMethod method, double alpha) =>
        Eigenvalues(method, alpha).Max(l => l.Magnitude);

    /// <summary>
    /// The stationary point of the map, i.e. the solution of (M − I) x = 0 for the update matrix M, returned as
    /// (d, g). M − I is αB, α(B + αB²) (extragradient), … and is invertible for α &gt; 0, so it is unique: (0, 0),
    /// which is also where ∇V = (g, d) vanishes.
    /// </summary>
    /// <exception cref="ArgumentException">α not positive, or M − I singular (then there is no unique stationary point).</exception>
    public static (double D, double G) StationaryPoint(GdaMethod method, double alpha)
    {
        var m = UpdateMatrix(method, alpha);
        var shifted = m - Matrix<double>.Build.DenseIdentity(m.RowCount);
        if (shifted.Rank() < m.RowCount)
        {
            throw new ArgumentException(
                $"M − I is singular for {method} with α = {alpha}: the map has a line of stationary points", nameof(alpha));
        }
        var x = shifted.Solve(Vector<double>.Build.Dense(m.RowCount));
        return (x[0] + 0.0, x[1] + 0.0); // + 0.0 turns a −0 from the solver into 0
    }

    /// <summary>
    /// Runs <paramref name="steps"/> steps of the method from (d_0, g_0), written out from the gradients of V
    /// (not through <see cref="UpdateMatrix"/>): with (v_d, v_g) = ∇V,
    /// simultaneous  d' = d + α v_d(d, g), g' = g − α v_g(d, g);
    /// alternating   d' = d + α v_d(d, g), g' = g − α v_g(d', g);
    /// extragradient (d̃, g̃) = simultaneous step, then d' = d + α v_d(d̃, g̃), g' = g − α v_g(d̃, g̃);
    /// optimistic    d' = d + α(2 v_d(d, g) − v_d(d⁻, g⁻)), g' = g − α(2 v_g(d, g) − v_g(d⁻, g⁻)), (d⁻, g⁻) = previous
    /// iterate, equal to (d_0, g_0) at the first step.
    /// </summary>
    /// <param name="method">The update rule.</param>
    /// <param name="alpha">Learning rate α &gt; 0.</param>
    /// <param name="d0">Initial critic d_0.</param>
    /// <param name="g0">Initial generator g_0.</param>
    /// <param name="steps">Number of steps, ≥ 0.</param>
    public static GdaTrajectory Trajectory(GdaMethod method, double alpha, double d0, double g0, int steps)
    {
        CheckAlpha(alpha);
        if (steps < 0)
        {
            throw new ArgumentException($"steps must be ≥ 0 but is {steps}", nameof(steps));
        }
        if (!double.IsFinite(d0) || !double.IsFinite(g0))
        {
            throw new ArgumentException($"the start (d0, g0) must be finite but is ({d0}, {g0})", nameof(d0));
        }
        var d = new double[steps + 1];
        var g = new double[steps + 1];
        d[0] = d0;
        g[0] = g0;
        double dPrev = d0, gPrev = g0;
        for (int k = 0; k < steps; k++)
        {
            var (vd, vg) = Gradient(d[k], g[k]);
            switch (method)
            {
                case GdaMethod.Simultaneous:
                    d[k + 1] = d[k] + alpha * vd;
                    g[k + 1] = g[k] - alpha * vg;
                    break;
                case GdaMethod.Alternating:
                    d[k + 1] = d[k] + alpha * vd;
                    g[k + 1] = g[k] - alpha * Gradient(d[k + 1], g[k]).dV_dg;
                    break;
                case GdaMethod.Extragradient:
                    var (vdHalf, vgHalf) = Gradient(d[k] + alpha * vd, g[k] - alpha * vg);
                    d[k + 1] = d[k] + alpha * vdHalf;
                    g[k + 1] = g[k] - alpha * vgHalf;
                    break;
                case GdaMethod.Optimistic:
                    var (vdPrev, vgPrev) = Gradient(dPrev, gPrev);
                    d[k + 1] = d[k] + alpha * (2 * vd - vdPrev);
                    g[k + 1] = g[k] - alpha * (2 * vg - vgPrev);
                    break;
                default:
                    throw UnknownMethod(method);
            }
            (dPrev, gPrev) = (d[k], g[k]);
        }
        var norm = new double[steps + 1];
        var index = new double[steps + 1];
        for (int k = 0; k <= steps; k++)
        {
            norm[k] = Math.Sqrt(d[k] * d[k] + g[k] * g[k]);
            index[k] = k;
        }
        return new GdaTrajectory(method, alpha, index, d, g, norm);
    }

    /// <summary>
    /// The closed form of simultaneous GDA: ‖(d_k, g_k)‖ = (1+α²)^{k/2} ‖(d_0, g_0)‖ for k = 0..steps
    /// (A = √(1+α²)·rotation, so the norm grows by exactly √(1+α²) per step).
    /// </summary>
    public static double[] SimultaneousNorm(double alpha, double d0, double g0, int steps)
    {
        CheckAlpha(alpha);
        double r0 = Math.Sqrt(d0 * d0 + g0 * g0);
        return Enumerable.Range(0, steps + 1).Select(k => Math.Pow(1 + alpha * alpha, k / 2.0) * r0).ToArray();
    }

    /// <summary>
    /// Q(d, g) = d² + α d g + g², conserved by alternating GDA (d first): with d' = d + αg and g' = g − αd',
    /// Q(d', g') = Q(d, g) (the update matrix M satisfies Mᵀ S M = S for S = [[1, α/2], [α/2, 1]]). For α &lt; 2,
    /// Q is positive definite, (1 − α/2)‖x‖² ≤ Q ≤ (1 + α/2)‖x‖², so the iterates stay on a bounded ellipse.
    /// (Updating g first instead conserves d² − α d g + g².)
    /// </summary>
    public static double AlternatingInvariant(double alpha, double d, double g) => d * d + alpha * d * g + g * g;

    private static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0) || !double.IsFinite(alpha))
        {
            throw new ArgumentException($"the learning rate α must be positive and finite but is {alpha}", nameof(alpha));
        }
    }

    private static ArgumentOutOfRangeException UnknownMethod(GdaMethod method) =>
        new(nameof(method), method, $"unknown GDA method {method}");
}

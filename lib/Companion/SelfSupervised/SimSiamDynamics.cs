using Companion.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.SelfSupervised;

/// <summary>A trajectory of the linear SimSiam gradient flow, sampled at times T.</summary>
/// <param name="Variant">Which set-up was integrated.</param>
/// <param name="T">Sample times, T[0] = 0.</param>
/// <param name="WNorm">‖W(t)‖_F.</param>
/// <param name="LambdaMinH">λ_min(H(t)) with H of Question 5.3 evaluated at Wp(t) (it drives W only without Stop-Grad).</param>
/// <param name="Loss">J(W(t), Wp(t)) of eq. (3) (Wp = I without predictor).</param>
/// <param name="W">W(t), n2×n1 each.</param>
/// <param name="Wp">Wp(t), n2×n2 each (I throughout without predictor).</param>
/// <param name="Solver">The integrator's work: accepted/rejected steps and evaluations.</param>
public sealed record SimSiamTrajectory(
    SimSiamVariant Variant,
    double[] T,
    double[] WNorm,
    double[] LambdaMinH,
    double[] Loss,
    Matrix<double>[] W,
    Matrix<double>[] Wp,
    OdeSolution Solver);

/// <summary>
/// Integrates the linear SimSiam gradient flow of homework 002_6d1f8bd69ec35d2c, Question 5 (formulas in
/// <see cref="LinearSimSiam"/>) with the adaptive Dormand–Prince integrator, for the three variants from the same
/// initial (W₀, Wp₀): Stop-Grad with predictor (Ẇ, Ẇp), no Stop-Grad (Ẇ = −H vec W, Ẇp), and neither (Ẇ = −2WX′).
/// <para>
/// With Stop-Grad the flow conserves WpᵀWp − WWᵀ (Tian, Chen &amp; Ganguli 2021, Theorem 1 without weight decay:
/// with G = −Wp W(X + X′) + W X, Ẇ = WpᵀG and Ẇp = G Wᵀ, so both derivatives equal WpᵀGWᵀ + WGᵀWp). Hence
/// WWᵀ ⪰ W₀W₀ᵀ − Wp₀ᵀWp₀ and ‖W(t)‖_F² ≥ λ_max(W₀W₀ᵀ − Wp₀ᵀWp₀) for all t: no collapse when that is positive.
/// </para>
/// </summary>
public static class SimSiamDynamics
{
    /// <summary>Seeded initial weights: W₀ (n2×n1) with N(0, scaleW²/n1) entries, Wp₀ (n2×n2) with N(0, scaleWp²/n2) entries.</summary>
    /// <param name="n1">Input dimension.</param>
    /// <param name="n2">Representation dimension.</param>
    /// <param name="scaleW">Scale of W₀.</param>
    /// <param name="scaleWp">Scale of Wp₀.</param>
    /// <param name="seed">Seed.</param>
    public static (Matrix<double> W0, Matrix<double> Wp0) InitialWeights(int n1, int n2, double scaleW, double scaleWp, int seed)
    {
        if (n1 < 1 || n2 < 1)
        {
            throw new ArgumentException($"Need n1, n2 ≥ 1 but got n1 = {n1}, n2 = {n2}.");
        }

        var rng = new Random(seed);
        var w0 = Matrix<double>.Build.Dense(n2, n1, (_, _) => Normal.Sample(rng, 0, scaleW / Math.Sqrt(n1)));
        var wp0 = Matrix<double>.Build.Dense(n2, n2, (_, _) => Normal.Sample(rng, 0, scaleWp / Math.Sqrt(n2)));
        return (w0, wp0);
    }

    /// <summary>Integrates one variant on [0, tEnd] and samples it at <paramref name="samples"/> equally spaced times.</summary>
    /// <param name="variant">The set-up.</param>
    /// <param name="s">X and X′, n1×n1.</param>
    /// <param name="W0">Initial encoder, n2×n1.</param>
    /// <param name="Wp0">Initial predictor, n2×n2 (ignored without predictor: Wp = I).</param>
    /// <param name="tEnd">Final time.</param>
    /// <param name="samples">Number of sample times after t = 0.</param>
    /// <param name="options">Integrator tolerances (default rtol 1e-9, atol 1e-12).</param>
    public static SimSiamTrajectory Integrate(
        SimSiamVariant variant,
        AugmentationStatistics s,
        Matrix<double> W0,
        Matrix<double> Wp0,
        double tEnd,
        int samples = 200,
        OdeOptions? options = null)
    {
        if (samples < 1)
        {
            throw new ArgumentException($"Need at least one sample but got {samples}.", nameof(samples));
        }

        int n2 = W0.RowCount, n1 = W0.ColumnCount;
        bool predictor = variant != SimSiamVariant.NoStopGradientNoPredictor;
        var identity = Matrix<double>.Build.DenseIdentity(n2);
        _ = LinearSimSiam.J(W0, predictor ? Wp0 : identity, s); // validates the shapes

        (Matrix<double> W, Matrix<double> Wp) Unpack(double[] y) => (
            Matrix<double>.Build.DenseOfColumnMajor(n2, n1, y.AsSpan(0, n1 * n2).ToArray()),
            predictor ? Matrix<double>.Build.DenseOfColumnMajor(n2, n2, y.AsSpan(n1 * n2, n2 * n2).ToArray()) : identity);

        double[] Rhs(double t, double[] y)
        {
            var (w, wp) = Unpack(y);
            var dW = LinearSimSiam.EncoderFlow(variant, w, wp, s).ToColumnMajorArray();
            return predictor ? [.. dW, .. LinearSimSiam.PredictorFlow(w, wp, s).ToColumnMajorArray()] : dW;
        }

        double[] y0 = predictor ? [.. W0.ToColumnMajorArray(), .. Wp0.ToColumnMajorArray()] : W0.ToColumnMajorArray();
        var times = Enumerable.Range(1, samples).Select(k => tEnd * k / samples).ToArray();
        var sol = OdeIntegrator.DormandPrince(Rhs, y0, 0, tEnd, options ?? new OdeOptions(1e-9, 1e-12), times);

        int count = sol.T.Length;
        var ws = new Matrix<double>[count];
        var wps = new Matrix<double>[count];
        var norm = new double[count];
        var lambda = new double[count];
        var loss = new double[count];
        for (int k = 0; k < count; k++)
        {
            (ws[k], wps[k]) = Unpack(sol.Y[k]);
            norm[k] = ws[k].FrobeniusNorm();
            lambda[k] = LinearSimSiam.LambdaMin(LinearSimSiam.H(wps[k], s));
            loss[k] = LinearSimSiam.J(ws[k], wps[k], s);
        }

        return new SimSiamTrajectory(variant, sol.T, norm, lambda, loss, ws, wps, sol);
    }

    /// <summary>
    /// The average exponential decay rate of ‖W‖_F up to each sample time, r(t) = (ln‖W(0)‖ − ln‖W(t)‖)/t
    /// (entry 0, t = 0, is the rate over the first interval). ‖W(t)‖ ≤ e^{−λ₀t}‖W(0)‖ for all t ⟺ r(t) ≥ λ₀ for all t.
    /// </summary>
    public static double[] AverageDecayRate(SimSiamTrajectory trajectory)
    {
        var r = new double[trajectory.T.Length];
        for (int k = 1; k < r.Length; k++)
        {
            r[k] = (Math.Log(trajectory.WNorm[0]) - Math.Log(trajectory.WNorm[k])) / trajectory.T[k];
        }

        r[0] = r.Length > 1 ? r[1] : double.NaN;
        return r;
    }

    /// <summary>WpᵀWp − WWᵀ (n2×n2), conserved by the Stop-Grad flow.</summary>
    /// <param name="W">Encoder, n2×n1.</param>
    /// <param name="Wp">Predictor, n2×n2.</param>
    public static Matrix<double> ConservedGap(Matrix<double> W, Matrix<double> Wp) => (Wp.Transpose() * Wp) - (W * W.Transpose());

    /// <summary>
    /// Lower bound on ‖W(t)‖_F under the Stop-Grad flow: sqrt(max(0, λ_max(W₀W₀ᵀ − Wp₀ᵀWp₀))), since
    /// WWᵀ = WpᵀWp − (Wp₀ᵀWp₀ − W₀W₀ᵀ) ⪰ W₀W₀ᵀ − Wp₀ᵀWp₀.
    /// </summary>
    /// <param name="W0">Initial encoder, n2×n1.</param>
    /// <param name="Wp0">Initial predictor, n2×n2.</param>
    public static double StopGradientNormBound(Matrix<double> W0, Matrix<double> Wp0)
    {
        double top = (-ConservedGap(W0, Wp0)).Evd(Symmetricity.Symmetric).EigenValues.Real().Maximum();
        return Math.Sqrt(Math.Max(0, top));
    }
}

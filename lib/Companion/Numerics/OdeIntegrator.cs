namespace Companion.Numerics;

/// <summary>Error-control settings of <see cref="OdeIntegrator.DormandPrince"/>.</summary>
/// <param name="RelativeTolerance">rtol: the local error of component i is kept below atol + rtol·max(|yᵢ|, |yᵢ_new|).</param>
/// <param name="AbsoluteTolerance">atol.</param>
/// <param name="MaxStep">Largest step allowed.</param>
/// <param name="MaxSteps">Attempted steps (accepted + rejected) after which the integration gives up.</param>
public sealed record OdeOptions(
    double RelativeTolerance = 1e-8,
    double AbsoluteTolerance = 1e-10,
    double MaxStep = double.PositiveInfinity,
    int MaxSteps = 200_000);

/// <summary>A solution of y' = f(t, y): the states at the recorded times and the work done.</summary>
/// <param name="T">Recorded times, increasing, T[0] = t₀ and T[^1] = t_end.</param>
/// <param name="Y">Y[k] = y(T[k]).</param>
/// <param name="AcceptedSteps">Steps accepted.</param>
/// <param name="RejectedSteps">Steps rejected by the error test and retried smaller.</param>
/// <param name="Evaluations">Calls of f.</param>
public sealed record OdeSolution(double[] T, double[][] Y, int AcceptedSteps, int RejectedSteps, int Evaluations);

/// <summary>
/// Adaptive explicit Runge–Kutta integration for the gradient-flow ODEs of the homework (used for
/// 002_6d1f8bd69ec35d2c Question 5, SimSiam dynamics). MathNet.Numerics 5 only has fixed-step solvers
/// (<c>OdeSolvers.RungeKutta.FourthOrder</c>, <c>AdamsBashforth</c>: N equal steps, no error estimate), hence this.
/// <para>
/// Dormand–Prince 5(4) (Dormand &amp; Prince 1980, "A family of embedded Runge–Kutta formulae"; Hairer, Nørsett &amp;
/// Wanner, Solving ODEs I, §II.4–5): seven stages with first-same-as-last, the 5th-order solution is propagated and
/// the embedded 4th-order one gives the error estimate e. A step is accepted when
/// ‖e‖ = sqrt(mean_i (eᵢ / (atol + rtol·max(|yᵢ|, |yᵢ_new|)))²) ≤ 1, and the next step is
/// h·min(5, max(0.2, 0.9·‖e‖^(−1/5))) (no growth right after a rejection).
/// </para>
/// </summary>
public static class OdeIntegrator
{
    // Butcher tableau of Dormand–Prince 5(4).
    private static readonly double[] C = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1];

    private static readonly double[][] A =
    [
        [],
        [1.0 / 5],
        [3.0 / 40, 9.0 / 40],
        [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
    ];

    // 5th-order weights b minus 4th-order weights b*: the error estimate.
    private static readonly double[] E =
    [
        (35.0 / 384) - (5179.0 / 57600),
        0,
        (500.0 / 1113) - (7571.0 / 16695),
        (125.0 / 192) - (393.0 / 640),
        (-2187.0 / 6784) - (-92097.0 / 339200),
        (11.0 / 84) - (187.0 / 2100),
        -1.0 / 40,
    ];

    /// <summary>
    /// Integrates y' = f(t, y) from (t₀, y₀) to t_end with Dormand–Prince 5(4) and step-size control.
    /// </summary>
    /// <param name="f">Right-hand side f(t, y), returning a new array of the same length n as y.</param>
    /// <param name="y0">Initial state, length n.</param>
    /// <param name="t0">Initial time.</param>
    /// <param name="tEnd">Final time, &gt; t₀.</param>
    /// <param name="options">Tolerances and limits (defaults: rtol 1e-8, atol 1e-10).</param>
    /// <param name="outputTimes">
    /// If given, strictly increasing times in (t₀, t_end]: the steps are shortened to land on them and only t₀ and these
    /// times (and t_end) are recorded. If null, every accepted step is recorded.
    /// </param>
    /// <exception cref="ArgumentException">Bad input (non-finite y₀, t_end ≤ t₀, bad tolerances or output times).</exception>
    /// <exception cref="InvalidOperationException">
    /// f returned a non-finite value, the step size underflowed (the solution blows up or the problem is too stiff),
    /// or MaxSteps was exceeded.
    /// </exception>
    public static OdeSolution DormandPrince(
        Func<double, double[], double[]> f,
        double[] y0,
        double t0,
        double tEnd,
        OdeOptions? options = null,
        IReadOnlyList<double>? outputTimes = null)
    {
        var o = options ?? new OdeOptions();
        Validate(y0, t0, tEnd, o, outputTimes);
        int n = y0.Length;
        int evaluations = 0;
        double[] Eval(double t, double[] y)
        {
            evaluations++;
            var dy = f(t, y);
            if (dy.Length != n)
            {
                throw new ArgumentException($"f returned a vector of length {dy.Length} for a state of length {n}.", nameof(f));
            }

            for (int i = 0; i < n; i++)
            {
                if (!double.IsFinite(dy[i]))
                {
                    throw new InvalidOperationException(
                        $"The right-hand side returned a non-finite value (component {i} = {dy[i]}) at t = {t:G6}: the solution diverges or f is undefined there.");
                }
            }

            return dy;
        }

        var ts = new List<double> { t0 };
        var ys = new List<double[]> { (double[])y0.Clone() };
        var yCur = (double[])y0.Clone();
        double tCur = t0;
        var k = new double[7][];
        k[0] = Eval(tCur, yCur);
        double h = Math.Min(InitialStep(Eval, t0, yCur, k[0], o), o.MaxStep);
        int accepted = 0, rejected = 0, nextOutput = 0;
        bool lastRejected = false;
        var yStage = new double[n];
        while (tCur < tEnd)
        {
            Interruption.Check(); // stops here when the notebook cell is interrupted
            if (accepted + rejected >= o.MaxSteps)
            {
                throw new InvalidOperationException($"Gave up after {o.MaxSteps} steps at t = {tCur:G6} of {tEnd:G6}; raise MaxSteps or loosen the tolerances.");
            }

            double target = outputTimes is not null && nextOutput < outputTimes.Count ? outputTimes[nextOutput] : tEnd;
            bool landing = tCur + h >= target;
            double hStep = landing ? target - tCur : h;
            double spacing = Math.BitIncrement(Math.Abs(tCur)) - Math.Abs(tCur);
            if (hStep <= 0 || (!landing && hStep <= 16 * spacing))
            {
                throw new InvalidOperationException($"The step size underflowed (h = {hStep:G3}) at t = {tCur:G6}: the solution probably blows up there, or the problem is too stiff.");
            }

            for (int s = 1; s < 7; s++)
            {
                for (int i = 0; i < n; i++)
                {
                    double acc = yCur[i];
                    for (int j = 0; j < s; j++)
                    {
                        acc += hStep * A[s][j] * k[j][i];
                    }

                    yStage[i] = acc;
                }

                k[s] = Eval(tCur + (C[s] * hStep), (double[])yStage.Clone());
            }

            // yStage now holds the 5th-order solution (stage 7 uses the b weights); k[6] = f(t + h, y_new).
            double err = 0;
            for (int i = 0; i < n; i++)
            {
                double ei = 0;
                for (int s = 0; s < 7; s++)
                {
                    ei += E[s] * k[s][i];
                }

                double scale = o.AbsoluteTolerance + (o.RelativeTolerance * Math.Max(Math.Abs(yCur[i]), Math.Abs(yStage[i])));
                double q = hStep * ei / scale;
                err += q * q;
            }

            err = Math.Sqrt(err / n);
            if (!double.IsFinite(err))
            {
                throw new InvalidOperationException($"The error estimate is not finite at t = {tCur:G6}: the solution diverges.");
            }

            if (err <= 1)
            {
                tCur = landing ? target : tCur + hStep;
                yCur = (double[])yStage.Clone();
                k[0] = k[6];
                accepted++;
                if (outputTimes is null || landing)
                {
                    ts.Add(tCur);
                    ys.Add((double[])yCur.Clone());
                    if (landing && outputTimes is not null)
                    {
                        nextOutput++;
                    }
                }

                double grow = err == 0 ? 5 : Math.Min(5, Math.Max(0.2, 0.9 * Math.Pow(err, -0.2)));
                double hNext = hStep * (lastRejected ? Math.Min(1, grow) : grow);
                // A step shortened to land on an output time should not shrink the next one.
                h = Math.Min(o.MaxStep, landing ? Math.Max(h, hNext) : hNext);
                lastRejected = false;
            }
            else
            {
                rejected++;
                h = hStep * Math.Max(0.2, 0.9 * Math.Pow(err, -0.2));
                lastRejected = true;
            }
        }

        if (ts[^1] < tEnd)
        {
            ts.Add(tEnd);
            ys.Add((double[])yCur.Clone());
        }

        return new OdeSolution([.. ts], [.. ys], accepted, rejected, evaluations);
    }

    // Starting step of Hairer, Nørsett & Wanner (II.4): an explicit-Euler probe of the second derivative.
    private static double InitialStep(Func<double, double[], double[]> eval, double t0, double[] y0, double[] f0, OdeOptions o)
    {
        int n = y0.Length;
        double d0 = 0, d1 = 0;
        for (int i = 0; i < n; i++)
        {
            double sc = o.AbsoluteTolerance + (o.RelativeTolerance * Math.Abs(y0[i]));
            d0 += y0[i] / sc * (y0[i] / sc);
            d1 += f0[i] / sc * (f0[i] / sc);
        }

        d0 = Math.Sqrt(d0 / n);
        d1 = Math.Sqrt(d1 / n);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        var y1 = new double[n];
        for (int i = 0; i < n; i++)
        {
            y1[i] = y0[i] + (h0 * f0[i]);
        }

        var f1 = eval(t0 + h0, y1);
        double d2 = 0;
        for (int i = 0; i < n; i++)
        {
            double sc = o.AbsoluteTolerance + (o.RelativeTolerance * Math.Abs(y0[i]));
            double q = (f1[i] - f0[i]) / sc;
            d2 += q * q;
        }

        d2 = Math.Sqrt(d2 / n) / h0;
        double h1 = Math.Max(d1, d2) <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / Math.Max(d1, d2), 0.2);
        return Math.Min(100 * h0, h1);
    }

    private static void Validate(double[] y0, double t0, double tEnd, OdeOptions o, IReadOnlyList<double>? outputTimes)
    {
        if (y0.Length == 0 || y0.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException("The initial state must be a non-empty vector of finite numbers.", nameof(y0));
        }

        if (!double.IsFinite(t0) || !double.IsFinite(tEnd) || tEnd <= t0)
        {
            throw new ArgumentException($"Need finite t0 < tEnd but got t0 = {t0}, tEnd = {tEnd}.", nameof(tEnd));
        }

        if (!(o.RelativeTolerance > 0) || !(o.AbsoluteTolerance > 0) || !(o.MaxStep > 0) || o.MaxSteps < 1)
        {
            throw new ArgumentException($"Tolerances, MaxStep and MaxSteps must be positive but are {o}.", nameof(o));
        }

        if (outputTimes is not null)
        {
            double prev = t0;
            foreach (var t in outputTimes)
            {
                if (!(t > prev) || t > tEnd)
                {
                    throw new ArgumentException($"Output times must increase strictly within (t0, tEnd] = ({t0}, {tEnd}], but {t} follows {prev}.", nameof(outputTimes));
                }

                prev = t;
            }
        }
    }
}

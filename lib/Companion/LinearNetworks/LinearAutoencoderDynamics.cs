using Companion.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace Companion.LinearNetworks;

/// <summary>
/// A recorded run of gradient descent or gradient flow on a linear-autoencoder loss (<see cref="LinearAutoencoder"/>).
/// </summary>
/// <param name="T">Time of each record: gradient-flow time, or step·η for gradient descent (so both share an axis); T[0] = 0.</param>
/// <param name="Steps">Gradient-descent step of each record (for gradient flow: the integrator's accepted steps so far are not tracked, so this is empty).</param>
/// <param name="A">Decoder A(t), d×k each.</param>
/// <param name="B">Encoder B(t), k×d each.</param>
/// <param name="Loss">L(A(t), B(t)), penalty included.</param>
/// <param name="GradientNorm">‖∇L‖ = √(‖∂L/∂A‖²_F + ‖∂L/∂B‖²_F) at each record.</param>
/// <param name="Solver">The integrator's work for gradient flow; null for gradient descent.</param>
public sealed record LinearAutoencoderTrajectory(
    double[] T,
    int[] Steps,
    Matrix<double>[] A,
    Matrix<double>[] B,
    double[] Loss,
    double[] GradientNorm,
    OdeSolution? Solver)
{
    /// <summary>The product AB at each record (d×d): the map the autoencoder computes.</summary>
    public Matrix<double>[] Product() => A.Zip(B, (a, b) => a * b).ToArray();
}

/// <summary>
/// Training dynamics of the linear autoencoder (homework 000_1ccdba2d613922a2, Question 1 parts 1–5; reused for
/// 003_867968e659a4077d, Questions 3(b) and 8): gradient descent A ← A − η ∂L/∂A, B ← B − η ∂L/∂B, and gradient flow
/// Ȧ = −∂L/∂A, Ḃ = −∂L/∂B integrated with the adaptive Dormand–Prince method (<see cref="OdeIntegrator"/>). Both return
/// the trajectory as data; plotting is a separate call. Without a penalty the flow conserves AᵀA − BBᵀ
/// (d/dt(AᵀA) = −2AᵀEΣBᵀ = d/dt(BBᵀ), E = I − AB), the "balancedness" of deep linear networks (Arora, Cohen &amp; Hazan 2018).
/// </summary>
public static class LinearAutoencoderDynamics
{
    /// <summary>Seeded initial weights with i.i.d. N(0, scale²) entries: A₀ (d×k), then B₀ (k×d). scale = 1 is the homework's initialisation (part 3).</summary>
    /// <param name="d">Data dimension.</param>
    /// <param name="k">Code size.</param>
    /// <param name="scale">Standard deviation of each entry.</param>
    /// <param name="seed">Seed.</param>
    public static (Matrix<double> A0, Matrix<double> B0) InitialWeights(int d, int k, double scale, int seed)
    {
        if (d < 1 || k < 1 || !(scale >= 0))
        {
            throw new ArgumentException($"Need d, k ≥ 1 and scale ≥ 0 but got d = {d}, k = {k}, scale = {scale}.");
        }

        var rng = new Random(seed);
        var a = Matrix<double>.Build.Dense(d, k, (_, _) => Normal.Sample(rng, 0, scale));
        var b = Matrix<double>.Build.Dense(k, d, (_, _) => Normal.Sample(rng, 0, scale));
        return (a, b);
    }

    /// <summary>
    /// Gradient descent for <paramref name="steps"/> steps with step η, recording every <paramref name="recordEvery"/>
    /// steps (and the last).
    /// </summary>
    /// <param name="Sigma">Second moment Σ, d×d.</param>
    /// <param name="A0">Initial decoder, d×k.</param>
    /// <param name="B0">Initial encoder, k×d.</param>
    /// <param name="eta">Step η &gt; 0; stable when η &lt; 2 / <see cref="LinearAutoencoder.CurvatureBound"/> along the run.</param>
    /// <param name="steps">Number of steps ≥ 0.</param>
    /// <param name="penalty">R (default none).</param>
    /// <param name="recordEvery">Record spacing in steps (default: about 200 records).</param>
    /// <param name="stopAtGradientNorm">Stop early (and record) once ‖∇L‖ ≤ this value (default 0: run all steps): "until a stationary point".</param>
    /// <exception cref="InvalidOperationException">The iterates overflow (η too large for this initialisation).</exception>
    public static LinearAutoencoderTrajectory GradientDescent(
        Matrix<double> Sigma,
        Matrix<double> A0,
        Matrix<double> B0,
        double eta,
        int steps,
        AutoencoderPenalty? penalty = null,
        int recordEvery = 0,
        double stopAtGradientNorm = 0)
    {
        if (!(eta > 0) || !double.IsFinite(eta) || steps < 0)
        {
            throw new ArgumentException($"Need a finite η > 0 and steps ≥ 0 but got η = {eta}, steps = {steps}.");
        }

        return Descend(Sigma, A0, B0, eta, 0, steps, penalty, recordEvery, stopAtGradientNorm);
    }

    /// <summary>
    /// Gradient descent whose step follows the curvature: η = fraction / <see cref="LinearAutoencoder.CurvatureBound"/>
    /// at the current point, recomputed at every record. From N(0, 1) starts the bound falls as the loss converges, so
    /// the late, slow phases take larger steps. T accumulates Σ η (the gradient-flow time), which is the time axis to
    /// compare runs on; <see cref="LinearAutoencoderTrajectory.Steps"/> counts the steps.
    /// </summary>
    /// <param name="Sigma">Second moment Σ, d×d.</param>
    /// <param name="A0">Initial decoder, d×k.</param>
    /// <param name="B0">Initial encoder, k×d.</param>
    /// <param name="fraction">η·bound, in (0, 2); 1 is safe.</param>
    /// <param name="steps">Number of steps ≥ 0.</param>
    /// <param name="penalty">R (default none).</param>
    /// <param name="recordEvery">Record (and step update) spacing in steps (default 100).</param>
    /// <param name="stopAtGradientNorm">Stop early once ‖∇L‖ ≤ this value (default 0: run all steps).</param>
    public static LinearAutoencoderTrajectory GradientDescentAdaptive(
        Matrix<double> Sigma,
        Matrix<double> A0,
        Matrix<double> B0,
        double fraction,
        int steps,
        AutoencoderPenalty? penalty = null,
        int recordEvery = 100,
        double stopAtGradientNorm = 0)
    {
        if (!(fraction > 0 && fraction < 2) || steps < 0 || recordEvery < 1)
        {
            throw new ArgumentException($"Need 0 < fraction < 2, steps ≥ 0 and recordEvery ≥ 1 but got {fraction}, {steps}, {recordEvery}.");
        }

        return Descend(Sigma, A0, B0, fraction / LinearAutoencoder.CurvatureBound(Sigma, A0, B0, penalty), fraction, steps, penalty, recordEvery, stopAtGradientNorm);
    }

    private static LinearAutoencoderTrajectory Descend(
        Matrix<double> Sigma, Matrix<double> A0, Matrix<double> B0, double eta, double fraction, int steps,
        AutoencoderPenalty? penalty, int recordEvery, double stopAtGradientNorm)
    {
        int every = recordEvery > 0 ? recordEvery : Math.Max(1, steps / 200);
        var a = Matrix<double>.Build.DenseOfMatrix(A0);
        var b = Matrix<double>.Build.DenseOfMatrix(B0);
        var rec = new Recorder(Sigma, penalty);
        var (gA, gB) = LinearAutoencoder.Gradient(Sigma, a, b, penalty); // validates shapes; the reference formula
        (gA, gB) = (Matrix<double>.Build.DenseOfMatrix(gA), Matrix<double>.Build.DenseOfMatrix(gB));
        rec.Add(0, 0, a, b, gA, gB);
        var ws = new Workspace(Sigma, a.ColumnCount, penalty);
        double time = 0;
        for (int n = 1; n <= steps; n++)
        {
            time += eta;
            Step(a, gA, eta);
            Step(b, gB, eta);
            double g2 = ws.Gradient(a, b, gA, gB);
            if (!double.IsFinite(g2))
            {
                throw new InvalidOperationException(
                    $"Gradient descent diverged at step {n} with η = {eta:G4}: the step exceeds 2/curvature (curvature bound at the start {LinearAutoencoder.CurvatureBound(Sigma, A0, B0, penalty):G4}).");
            }

            bool stop = stopAtGradientNorm > 0 && Math.Sqrt(g2) <= stopAtGradientNorm;
            if (n % every == 0 || n == steps || stop)
            {
                rec.Add(fraction > 0 ? time : n * eta, n, a, b, gA, gB);
                if (fraction > 0)
                {
                    eta = fraction / LinearAutoencoder.CurvatureBound(Sigma, a, b, penalty);
                }
            }

            if (stop)
            {
                break;
            }
        }

        return rec.Build(null);
    }

    /// <summary>Gradient flow Ȧ = −∂L/∂A, Ḃ = −∂L/∂B on [0, t_end], sampled at <paramref name="samples"/> equally spaced times.</summary>
    /// <param name="Sigma">Second moment Σ, d×d.</param>
    /// <param name="A0">Initial decoder, d×k.</param>
    /// <param name="B0">Initial encoder, k×d.</param>
    /// <param name="tEnd">Final time &gt; 0.</param>
    /// <param name="samples">Sample times after 0 (default 200).</param>
    /// <param name="penalty">R (default none).</param>
    /// <param name="options">Integrator tolerances (default rtol 1e-9, atol 1e-12).</param>
    public static LinearAutoencoderTrajectory GradientFlow(
        Matrix<double> Sigma,
        Matrix<double> A0,
        Matrix<double> B0,
        double tEnd,
        int samples = 200,
        AutoencoderPenalty? penalty = null,
        OdeOptions? options = null)
    {
        if (samples < 1)
        {
            throw new ArgumentException($"Need at least one sample but got {samples}.", nameof(samples));
        }

        return GradientFlow(Sigma, A0, B0, Enumerable.Range(1, samples).Select(i => tEnd * i / samples).ToArray(), penalty, options);
    }

    /// <summary>Gradient flow sampled at the given strictly increasing times (e.g. log-spaced, for slow late phases).</summary>
    /// <param name="Sigma">Second moment Σ, d×d.</param>
    /// <param name="A0">Initial decoder, d×k.</param>
    /// <param name="B0">Initial encoder, k×d.</param>
    /// <param name="times">Sample times t₁ &lt; … &lt; t_m, all &gt; 0; the flow runs to t_m.</param>
    /// <param name="penalty">R (default none).</param>
    /// <param name="options">Integrator tolerances (default rtol 1e-9, atol 1e-12).</param>
    public static LinearAutoencoderTrajectory GradientFlow(
        Matrix<double> Sigma,
        Matrix<double> A0,
        Matrix<double> B0,
        IReadOnlyList<double> times,
        AutoencoderPenalty? penalty = null,
        OdeOptions? options = null)
    {
        if (times.Count == 0)
        {
            throw new ArgumentException("Need at least one sample time.", nameof(times));
        }

        _ = LinearAutoencoder.Loss(Sigma, A0, B0, penalty); // validates shapes
        int d = A0.RowCount, k = A0.ColumnCount;
        (Matrix<double> A, Matrix<double> B) Unpack(double[] y) => (
            Matrix<double>.Build.DenseOfColumnMajor(d, k, y.AsSpan(0, d * k).ToArray()),
            Matrix<double>.Build.DenseOfColumnMajor(k, d, y.AsSpan(d * k, d * k).ToArray()));

        double[] Rhs(double t, double[] y)
        {
            var (a, b) = Unpack(y);
            var (gA, gB) = LinearAutoencoder.Gradient(Sigma, a, b, penalty);
            return [.. (-gA).ToColumnMajorArray(), .. (-gB).ToColumnMajorArray()];
        }

        var sol = OdeIntegrator.DormandPrince(
            Rhs, [.. A0.ToColumnMajorArray(), .. B0.ToColumnMajorArray()], 0, times[^1], options ?? new OdeOptions(1e-9, 1e-12), times);
        var rec = new Recorder(Sigma, penalty);
        for (int i = 0; i < sol.T.Length; i++)
        {
            var (a, b) = Unpack(sol.Y[i]);
            var (gA, gB) = LinearAutoencoder.Gradient(Sigma, a, b, penalty);
            rec.Add(sol.T[i], -1, a, b, gA, gB);
        }

        return rec.Build(sol);
    }

    // m ← m − η g, in place (dense column-major storage).
    private static void Step(Matrix<double> m, Matrix<double> g, double eta)
    {
        var mv = ((DenseMatrix)m).Values;
        var gv = ((DenseMatrix)g).Values;
        for (int i = 0; i < mv.Length; i++)
        {
            mv[i] -= eta * gv[i];
        }
    }

    // The gradient of LinearAutoencoder.Gradient, in raw loops over preallocated column-major arrays: for the small
    // matrices of the homework the per-call overhead of MathNet's operators dominates, and descent takes 10⁴–10⁵ steps.
    private sealed class Workspace
    {
        private readonly double[] sigma;
        private readonly double[] lambda;
        private readonly double[] e;
        private readonly double[] eSigma;
        private readonly int d;
        private readonly int k;

        public Workspace(Matrix<double> sigma, int k, AutoencoderPenalty? penalty)
        {
            d = sigma.RowCount;
            this.k = k;
            this.sigma = sigma.ToColumnMajorArray();
            lambda = (penalty ?? AutoencoderPenalty.None).Weights(k);
            e = new double[d * d];
            eSigma = new double[d * d];
        }

        // Writes ∂L/∂A into gA and ∂L/∂B into gB (dense); returns ‖∇L‖².
        public double Gradient(Matrix<double> aM, Matrix<double> bM, Matrix<double> gAM, Matrix<double> gBM)
        {
            var a = ((DenseMatrix)aM).Values;  // d×k, a[i + d·j]
            var b = ((DenseMatrix)bM).Values;  // k×d, b[i + k·j]
            var gA = ((DenseMatrix)gAM).Values;
            var gB = ((DenseMatrix)gBM).Values;
            for (int j = 0; j < d; j++)
            {
                for (int i = 0; i < d; i++)
                {
                    double acc = i == j ? 1 : 0;
                    for (int r = 0; r < k; r++)
                    {
                        acc -= a[i + (d * r)] * b[r + (k * j)];
                    }

                    e[i + (d * j)] = acc; // E = I − AB
                }
            }

            for (int j = 0; j < d; j++)
            {
                for (int i = 0; i < d; i++)
                {
                    double acc = 0;
                    for (int r = 0; r < d; r++)
                    {
                        acc += e[i + (d * r)] * sigma[r + (d * j)];
                    }

                    eSigma[i + (d * j)] = acc; // EΣ
                }
            }

            double g2 = 0;
            for (int j = 0; j < k; j++)
            {
                for (int i = 0; i < d; i++)
                {
                    double acc = 0;
                    for (int r = 0; r < d; r++)
                    {
                        acc += eSigma[i + (d * r)] * b[j + (k * r)]; // (EΣBᵀ)ᵢⱼ
                    }

                    double v = (-2 * acc) + (2 * lambda[j] * a[i + (d * j)]);
                    gA[i + (d * j)] = v;
                    g2 += v * v;
                }
            }

            for (int j = 0; j < d; j++)
            {
                for (int i = 0; i < k; i++)
                {
                    double acc = 0;
                    for (int r = 0; r < d; r++)
                    {
                        acc += a[r + (d * i)] * eSigma[r + (d * j)]; // (AᵀEΣ)ᵢⱼ
                    }

                    double v = (-2 * acc) + (2 * lambda[i] * b[i + (k * j)]);
                    gB[i + (k * j)] = v;
                    g2 += v * v;
                }
            }

            return g2;
        }
    }

    private sealed class Recorder(Matrix<double> sigma, AutoencoderPenalty? penalty)
    {
        private readonly List<double> t = [];
        private readonly List<int> steps = [];
        private readonly List<Matrix<double>> a = [];
        private readonly List<Matrix<double>> b = [];
        private readonly List<double> loss = [];
        private readonly List<double> grad = [];

        public void Add(double time, int step, Matrix<double> aNow, Matrix<double> bNow, Matrix<double> gA, Matrix<double> gB)
        {
            t.Add(time);
            if (step >= 0)
            {
                steps.Add(step);
            }

            a.Add(aNow.Clone());
            b.Add(bNow.Clone());
            loss.Add(LinearAutoencoder.Loss(sigma, aNow, bNow, penalty));
            grad.Add(Math.Sqrt((gA.FrobeniusNorm() * gA.FrobeniusNorm()) + (gB.FrobeniusNorm() * gB.FrobeniusNorm())));
        }

        public LinearAutoencoderTrajectory Build(OdeSolution? solver) => new([.. t], [.. steps], [.. a], [.. b], [.. loss], [.. grad], solver);
    }
}

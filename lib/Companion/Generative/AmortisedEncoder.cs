using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Generative;

/// <summary>
/// An amortised encoder of limited capacity for a <see cref="LinearGaussianModel"/>:
/// q_φ(z|x) = N(L R x + c, diag(exp ρ)) with L K×r, R r×D (so the mean map A = L R has rank ≤ r) and a variance shared
/// by all x; φ = (L, R, c, ρ) has r(K + D) + 2K numbers (seed 002_6d1f8bd69ec35d2c, Questions 1.2–1.3;
/// Cremer et al. 2018 "Inference Suboptimality in Variational Autoencoders").
/// <para>The exact posterior mean μ_post(x) = M(x − b), M = Λ⁻¹Wᵀ/σ², is affine in x and the optimal mean-field variance
/// 1/Λ_jj does not depend on x, so with r = K the encoder can reach every q_i* (no amortisation gap); with r &lt; K it
/// cannot, and the gap is what the rank constraint costs.</para>
/// </summary>
public sealed record AmortisedEncoder
{
    /// <summary>Left factor of the mean map, K×r.</summary>
    public Matrix<double> L { get; }

    /// <summary>Right factor of the mean map, r×D.</summary>
    public Matrix<double> R { get; }

    /// <summary>Mean offset, length K.</summary>
    public Vector<double> c { get; }

    /// <summary>Log-variances ρ, length K (shared by all x).</summary>
    public Vector<double> rho { get; }

    /// <summary>Latent dimension K.</summary>
    public int K => L.RowCount;

    /// <summary>Rank budget r.</summary>
    public int Rank => L.ColumnCount;

    /// <summary>Observed dimension D.</summary>
    public int D => R.ColumnCount;

    /// <summary>Size of φ: r·K + r·D + 2K (what Question 1.3(c) stores, whatever the number of datapoints).</summary>
    public int ParameterCount => Rank * (K + D) + 2 * K;

    /// <summary>An encoder φ = (L, R, c, ρ).</summary>
    /// <param name="L">K×r.</param>
    /// <param name="R">r×D.</param>
    /// <param name="c">Length K.</param>
    /// <param name="rho">Length K.</param>
    public AmortisedEncoder(Matrix<double> L, Matrix<double> R, Vector<double> c, Vector<double> rho)
    {
        ArgumentNullException.ThrowIfNull(L);
        ArgumentNullException.ThrowIfNull(R);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(rho);
        if (R.RowCount != L.ColumnCount)
            throw new ArgumentException($"R must be r×D with r = {L.ColumnCount} (columns of L) but is {R.RowCount}×{R.ColumnCount}", nameof(R));
        if (c.Count != L.RowCount || rho.Count != L.RowCount)
            throw new ArgumentException($"c and rho must have length K = {L.RowCount} but have {c.Count} and {rho.Count}");
        this.L = L;
        this.R = R;
        this.c = c;
        this.rho = rho;
    }

    /// <summary>The encoder's output for one datapoint: q_φ(z|x) = N(L R x + c, diag(exp ρ)).</summary>
    /// <param name="x">Datapoint, length D.</param>
    public MeanFieldGaussian Encode(Vector<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count != D)
            throw new ArgumentException($"x must have length D = {D} but has {x.Count}", nameof(x));
        return new MeanFieldGaussian(L * (R * x) + c, rho.PointwiseExp());
    }

    /// <summary>Average ELBO (1/N) Σ_i ELBO(q_φ(·|x_i); x_i), the objective of Question 1.2.</summary>
    /// <param name="model">The generative model (θ fixed).</param>
    /// <param name="X">Datapoints as columns, D×N.</param>
    /// <param name="encoder">The encoder φ.</param>
    public static double AverageElbo(LinearGaussianModel model, Matrix<double> X, AmortisedEncoder encoder)
    {
        Check(model, X, encoder);
        // Same closed form as MeanFieldGaussian.Elbo, for all N columns at once.
        var n = X.ColumnCount;
        var sigma2 = model.Sigma * model.Sigma;
        var s2 = encoder.rho.PointwiseExp();
        var means = EncoderMeans(encoder, X);                        // K×N
        var residual = X - model.W * means;                          // D×N
        residual.MapIndexedInplace((d, _, v) => v - model.b[d]);    // x_i − b − W m_i
        var sumSquares = residual.FrobeniusNorm() * residual.FrobeniusNorm();
        var spread = 0.0;
        var klVariance = 0.0;
        for (var j = 0; j < model.K; j++)
        {
            spread += s2[j] * model.W.Column(j).DotProduct(model.W.Column(j));
            klVariance += 0.5 * (s2[j] - 1 - encoder.rho[j]);
        }
        var meanSquares = means.FrobeniusNorm() * means.FrobeniusNorm();
        return -0.5 * model.D * Math.Log(2 * Math.PI * sigma2) - (sumSquares / n + spread) / (2 * sigma2)
               - klVariance - 0.5 * meanSquares / n;
    }

    private static Matrix<double> EncoderMeans(AmortisedEncoder encoder, Matrix<double> X)
    {
        var means = encoder.L * (encoder.R * X);
        means.MapIndexedInplace((k, _, v) => v + encoder.c[k]);
        return means;
    }

    /// <summary>
    /// Gradient of the average ELBO in φ. With g_i = Λ(μ_post(x_i) − m_i) (K), G = [g_1 … g_N] (K×N):
    /// ∂/∂A = G Xᵀ/N, ∂/∂L = (∂/∂A) Rᵀ, ∂/∂R = Lᵀ(∂/∂A), ∂/∂c = G·1/N, ∂/∂ρ_j = ½ − ½Λ_jj exp ρ_j.
    /// </summary>
    /// <param name="model">The generative model.</param>
    /// <param name="X">Datapoints as columns, D×N.</param>
    /// <param name="encoder">The encoder φ.</param>
    /// <returns>Gradients shaped like L (K×r), R (r×D), c (K) and ρ (K).</returns>
    public static (Matrix<double> dL, Matrix<double> dR, Vector<double> dc, Vector<double> dRho) AverageElboGradient(
        LinearGaussianModel model, Matrix<double> X, AmortisedEncoder encoder)
    {
        Check(model, X, encoder);
        var n = X.ColumnCount;
        var Lambda = model.PosteriorPrecision;
        var H = model.W.TransposeThisAndMultiply(X) / (model.Sigma * model.Sigma);     // K×N: Wᵀx_i/σ²
        var Wb = model.W.TransposeThisAndMultiply(model.b) / (model.Sigma * model.Sigma); // K: Wᵀb/σ²
        var Mmeans = EncoderMeans(encoder, X);                                             // K×N: A x_i + c
        var G = H - Lambda * Mmeans;                                                       // K×N
        G.MapIndexedInplace((k, _, v) => v - Wb[k]);
        var dA = G.TransposeAndMultiply(X) / n;                                            // K×D
        var dc = G.RowSums() / n;
        var dRho = Vector<double>.Build.Dense(model.K, j => 0.5 - 0.5 * Lambda[j, j] * Math.Exp(encoder.rho[j]));
        return (dA.TransposeAndMultiply(encoder.R), encoder.L.TransposeThisAndMultiply(dA), dc, dRho);
    }

    /// <summary>
    /// Fits φ by gradient ascent on the average ELBO (<see cref="AverageElboGradient"/>), from L, R with i.i.d.
    /// N(0, initScale²) entries, c = 0, ρ = 0. The step adapts: a step that lowers the objective is undone and the step
    /// halved; an accepted step grows it by 10%. Stops after <paramref name="steps"/> accepted steps or when the
    /// gradient norm falls below <paramref name="tolerance"/>.
    /// </summary>
    /// <param name="model">The generative model.</param>
    /// <param name="X">Training datapoints as columns, D×N.</param>
    /// <param name="r">Rank budget, 1 ≤ r ≤ min(K, D).</param>
    /// <param name="steps">Maximum number of accepted steps.</param>
    /// <param name="seed">Seed of the initialisation.</param>
    /// <param name="tolerance">Stop when ‖∇‖₂ &lt; tolerance.</param>
    /// <param name="initScale">Standard deviation of the initial entries of L and R.</param>
    /// <returns>The encoder, the average ELBO after each accepted step, and the number of gradient evaluations (each costs one pass over the N datapoints).</returns>
    public static (AmortisedEncoder Encoder, double[] ElboTrace, int GradientEvaluations) Fit(LinearGaussianModel model,
        Matrix<double> X, int r, int steps = 5000, int seed = 0, double tolerance = 1e-6, double initScale = 0.1)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckData(X);
        if (r < 1 || r > Math.Min(model.K, model.D))
            throw new ArgumentException($"r must be in 1..min(K, D) = 1..{Math.Min(model.K, model.D)} but is {r}", nameof(r));
        if (steps < 0)
            throw new ArgumentException($"steps must be ≥ 0 but is {steps}", nameof(steps));
        var rng = new Random(seed);
        var enc = new AmortisedEncoder(
            Matrix<double>.Build.Dense(model.K, r, (_, _) => Normal.Sample(rng, 0, initScale)),
            Matrix<double>.Build.Dense(r, model.D, (_, _) => Normal.Sample(rng, 0, initScale)),
            Vector<double>.Build.Dense(model.K), Vector<double>.Build.Dense(model.K));
        var eta = 1e-3;
        var current = AverageElbo(model, X, enc);
        var trace = new List<double>(steps) { current };
        var evaluations = 0;
        while (trace.Count <= steps)
        {
            var (dL, dR, dc, dRho) = AverageElboGradient(model, X, enc);
            evaluations++;
            var norm2 = dL.FrobeniusNorm() * dL.FrobeniusNorm() + dR.FrobeniusNorm() * dR.FrobeniusNorm()
                        + dc.DotProduct(dc) + dRho.DotProduct(dRho);
            if (Math.Sqrt(norm2) < tolerance)
                break;
            while (true)
            {
                var trial = new AmortisedEncoder(enc.L + eta * dL, enc.R + eta * dR, enc.c + eta * dc, enc.rho + eta * dRho);
                var value = AverageElbo(model, X, trial);
                if (value >= current)
                {
                    enc = trial;
                    current = value;
                    eta *= 1.1;
                    break;
                }
                eta /= 2;
                if (eta < 1e-300)
                    return (enc, trace.ToArray(), evaluations);
            }
            trace.Add(current);
        }
        return (enc, trace.ToArray(), evaluations);
    }

    /// <summary>
    /// The exact maximiser of the average ELBO over rank-r encoders (reference for <see cref="Fit"/>). Per datapoint
    /// ELBO = const_i − ½(m_i − μ_i)ᵀΛ(m_i − μ_i), so with Λ = C Cᵀ, T = CᵀM, X̃ = X − x̄1ᵀ and X̃X̃ᵀ = P Pᵀ the mean map is
    /// A = C⁻ᵀ[T P]_r P⁻¹ ([·]_r: truncated SVD, Eckart–Young), c = M(x̄ − b) − A x̄, ρ_j = −log Λ_jj.
    /// </summary>
    /// <param name="model">The generative model.</param>
    /// <param name="X">Training datapoints as columns, D×N with N &gt; D (so X̃X̃ᵀ is invertible).</param>
    /// <param name="r">Rank budget, 1 ≤ r ≤ min(K, D).</param>
    public static AmortisedEncoder OptimalLowRank(LinearGaussianModel model, Matrix<double> X, int r)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckData(X);
        if (r < 1 || r > Math.Min(model.K, model.D))
            throw new ArgumentException($"r must be in 1..min(K, D) = 1..{Math.Min(model.K, model.D)} but is {r}", nameof(r));
        if (X.ColumnCount <= model.D)
            throw new ArgumentException($"X needs N > D = {model.D} datapoints for the closed form but has {X.ColumnCount}", nameof(X));
        var Lambda = model.PosteriorPrecision;
        var M = model.PosteriorCovariance * model.W.Transpose() / (model.Sigma * model.Sigma); // K×D
        var xBar = X.RowSums() / X.ColumnCount;
        var Xc = X.Clone();
        for (var i = 0; i < X.ColumnCount; i++)
            Xc.SetColumn(i, X.Column(i) - xBar);
        var P = Xc.TransposeAndMultiply(Xc).Cholesky().Factor;  // D×D lower, X̃X̃ᵀ = P Pᵀ
        var C = Lambda.Cholesky().Factor;                       // K×K lower, Λ = C Cᵀ
        var svd = (C.TransposeThisAndMultiply(M) * P).Svd();     // T P, K×D
        var sqrtS = Matrix<double>.Build.DenseOfDiagonalVector(svd.S.SubVector(0, r).PointwiseSqrt());
        var Cinv = C.Inverse();
        var Lfac = Cinv.TransposeThisAndMultiply(svd.U.SubMatrix(0, model.K, 0, r)) * sqrtS;            // K×r
        var Rfac = sqrtS * svd.VT.SubMatrix(0, r, 0, model.D) * P.Inverse();                          // r×D
        var A = Lfac * Rfac;
        var c = M * (xBar - model.b) - A * xBar;
        var rho = Vector<double>.Build.Dense(model.K, j => -Math.Log(Lambda[j, j]));
        return new AmortisedEncoder(Lfac, Rfac, c, rho);
    }

    private static void Check(LinearGaussianModel model, Matrix<double> X, AmortisedEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(encoder);
        model.CheckData(X);
        if (encoder.K != model.K || encoder.D != model.D)
            throw new ArgumentException($"encoder maps D = {encoder.D} to K = {encoder.K} but the model has D = {model.D}, K = {model.K}", nameof(encoder));
    }
}

using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Optimization;

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
    /// Fits φ to maximise the average ELBO, using the closed form for the parts that have one and MathNet's L-BFGS
    /// (<see cref="LimitedMemoryBfgsMinimizer"/>) for the rest, the way an encoder without a closed form is trained:
    /// <list type="bullet">
    /// <item>ρ_j = −log Λ_jj: ∂/∂ρ_j = ½ − ½Λ_jj exp ρ_j does not involve L, R or c, so its zero is the optimum for
    /// every mean map.</item>
    /// <item>c = M(x̄ − b) − A x̄ (A = L R): for a fixed A the ELBO is a concave quadratic in c, maximised there.</item>
    /// <item>r = 0 (a constant encoder, q_φ(z|x) = N(c, diag(exp ρ))): nothing else is left, so the result is the closed
    /// form c = mean of μ_post(x_i), with no iteration.</item>
    /// <item>r ≥ 1: L-BFGS on (L, R) of the profiled objective ELBO(L, R, c(LR), ρ), from L, R with i.i.d.
    /// N(0, initScale²) entries (L = R = 0 is a saddle). Its gradient in (L, R) equals the partial gradient of
    /// <see cref="AverageElboGradient"/>, since ∂/∂c = 0 at c(A).</item>
    /// </list>
    /// The fit stops when the Euclidean norm of the full gradient in φ = (L, R, c, ρ) is below
    /// <paramref name="tolerance"/>. MathNet's own test is relative (scaled by |ELBO| and |φ|), so the minimiser is
    /// restarted from its result with a 10× tighter tolerance until the absolute test passes (at most a few rounds); a
    /// line search that fails at rounding level ends the fit at the best point evaluated. The result reports the
    /// tolerance, the gradient norm reached and whether it is below the tolerance.
    /// The closed-form optimum over every part at once is <see cref="OptimalLowRank"/>, the reference for this fit.
    /// </summary>
    /// <param name="model">The generative model.</param>
    /// <param name="X">Training datapoints as columns, D×N.</param>
    /// <param name="r">Rank budget, 0 ≤ r ≤ min(K, D).</param>
    /// <param name="maxIterations">Most L-BFGS iterations in all.</param>
    /// <param name="seed">Seed of the initialisation of L and R.</param>
    /// <param name="tolerance">Stop when ‖∇_φ ELBO‖₂ &lt; tolerance.</param>
    /// <param name="initScale">Standard deviation of the initial entries of L and R.</param>
    public static EncoderFit Fit(LinearGaussianModel model, Matrix<double> X, int r, int maxIterations = 1000,
        int seed = 0, double tolerance = 1e-7, double initScale = 0.1)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckData(X);
        CheckRank(model, r);
        if (maxIterations < 1)
            throw new ArgumentException($"maxIterations must be ≥ 1 but is {maxIterations}", nameof(maxIterations));
        if (!(tolerance > 0))
            throw new ArgumentException($"tolerance must be > 0 but is {tolerance}", nameof(tolerance));
        var (K, D) = (model.K, model.D);
        var Lambda = model.PosteriorPrecision;
        var M = PosteriorMeanMap(model);
        var xBar = X.RowSums() / X.ColumnCount;
        var rho = Vector<double>.Build.Dense(K, j => -Math.Log(Lambda[j, j]));
        AmortisedEncoder Encoder(Vector<double> theta)
        {
            var L = Matrix<double>.Build.Dense(K, r, (i, j) => theta[j * K + i]);
            var R = Matrix<double>.Build.Dense(r, D, (i, j) => theta[K * r + j * r + i]);
            return new AmortisedEncoder(L, R, M * (xBar - model.b) - L * (R * xBar), rho);
        }

        var trace = new List<double>();
        var best = (Value: double.NegativeInfinity, GradientNorm: double.PositiveInfinity, Theta: (Vector<double>?)null);
        (double, Vector<double>) Evaluate(Vector<double> theta)
        {
            var enc = Encoder(theta);
            var elbo = AverageElbo(model, X, enc);
            var (dL, dR, _, _) = AverageElboGradient(model, X, enc);
            var g = Vector<double>.Build.Dense(theta.Count);
            for (var j = 0; j < r; j++)
                for (var i = 0; i < K; i++)
                    g[j * K + i] = -dL[i, j];
            for (var j = 0; j < D; j++)
                for (var i = 0; i < r; i++)
                    g[K * r + j * r + i] = -dR[i, j];
            // Keep the best point; among points whose ELBOs differ by rounding only, the one with the smaller gradient.
            var noise = RoundingLevel * Math.Max(Math.Abs(elbo), 1);
            var norm = g.L2Norm();
            if (elbo > best.Value + noise || (elbo >= best.Value - noise && norm < best.GradientNorm))
                best = (elbo, norm, theta.Clone());
            trace.Add(best.Value);
            return (-elbo, g);                                  // MathNet minimises −ELBO
        }

        var rng = new Random(seed);
        var theta0 = Vector<double>.Build.Dense(r * (K + D), _ => r == 0 ? 0 : Normal.Sample(rng, 0, initScale));
        Evaluate(theta0);
        var iterations = 0;
        var exit = r == 0 ? "closed form (r = 0)" : "";
        var mathNetTolerance = tolerance;
        for (var round = 0; r > 0 && round < MaxRestarts && GradientNorm(model, X, Encoder(best.Theta!)) >= tolerance
                            && iterations < maxIterations; round++, mathNetTolerance /= 10)
        {
            var minimiser = new LimitedMemoryBfgsMinimizer(mathNetTolerance, 0, 0, LbfgsMemory, maxIterations - iterations);
            try
            {
                var result = minimiser.FindMinimum(ObjectiveFunction.Gradient(Evaluate), best.Theta!);
                iterations += result.Iterations;
                exit = $"L-BFGS (MathNet exit: {result.ReasonForExit})";
            }
            catch (MaximumIterationsException)
            {
                iterations = maxIterations;
                exit = "L-BFGS: maximum iterations";
            }
            catch (InnerOptimizationException e)
            {
                exit = $"L-BFGS: {e.Message} (stopped at the best point evaluated)";
                break;
            }
        }
        var encoder = Encoder(best.Theta!);
        var norm = GradientNorm(model, X, encoder);
        return new EncoderFit(encoder, trace.ToArray(), trace.Count, iterations, norm, tolerance, norm < tolerance, exit);
    }

    /// <summary>Relative size of the rounding error of <see cref="AverageElbo"/> (a few ulps).</summary>
    private const double RoundingLevel = 1e-14;

    /// <summary>L-BFGS history length (MathNet's default order of magnitude).</summary>
    private const int LbfgsMemory = 10;

    /// <summary>Restarts of the minimiser with a 10× tighter relative tolerance, at most.</summary>
    private const int MaxRestarts = 6;

    /// <summary>‖∇_φ ELBO‖₂ over all of φ = (L, R, c, ρ), from <see cref="AverageElboGradient"/>.</summary>
    /// <param name="model">The generative model.</param>
    /// <param name="X">Datapoints as columns, D×N.</param>
    /// <param name="encoder">The encoder φ.</param>
    public static double GradientNorm(LinearGaussianModel model, Matrix<double> X, AmortisedEncoder encoder)
    {
        var (dL, dR, dc, dRho) = AverageElboGradient(model, X, encoder);
        var f2 = (Matrix<double> m) => m.RowCount * m.ColumnCount == 0 ? 0 : m.FrobeniusNorm() * m.FrobeniusNorm();
        return Math.Sqrt(f2(dL) + f2(dR) + dc.DotProduct(dc) + dRho.DotProduct(dRho));
    }

    /// <summary>
    /// The exact maximiser of the average ELBO over rank-r encoders (reference for <see cref="Fit"/>), for any number N
    /// of datapoints. Per datapoint ELBO = const_i − ½(m_i − μ_i)ᵀΛ(m_i − μ_i) with μ_i = M(x_i − b), M = Λ⁻¹Wᵀ/σ², so
    /// with c = M(x̄ − b) − A x̄ the mean map A (rank ≤ r) minimises ‖Cᵀ(A − M)X̃‖_F, Λ = C Cᵀ, X̃ = X − x̄1ᵀ.
    /// With the thin SVD X̃ = U_q S_q V_qᵀ (q = rank X̃, computed by MathNet from a QR of X̃ᵀ when N &gt; D) and
    /// Y = CᵀM U_q S_q (K×q), Eckart–Young gives CᵀA U_q S_q = [Y]_r (truncated SVD), hence
    /// A = C⁻ᵀ[Y]_r S_q⁻¹U_qᵀ: the minimum-norm optimum, zero on the directions the centred data do not span (there the
    /// objective does not depend on A; when q = D, A is unique up to ties in the singular values). r = 0 gives the
    /// constant encoder c = M(x̄ − b); ρ_j = −log Λ_jj always. When r exceeds rank Y the extra columns of L (rows of R)
    /// are zero.
    /// </summary>
    /// <param name="model">The generative model.</param>
    /// <param name="X">Training datapoints as columns, D×N, any N ≥ 1.</param>
    /// <param name="r">Rank budget, 0 ≤ r ≤ min(K, D).</param>
    public static AmortisedEncoder OptimalLowRank(LinearGaussianModel model, Matrix<double> X, int r)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckData(X);
        CheckRank(model, r);
        var (K, D, N) = (model.K, model.D, X.ColumnCount);
        var Lambda = model.PosteriorPrecision;
        var M = PosteriorMeanMap(model);                          // K×D
        var xBar = X.RowSums() / N;
        var Xc = X.Clone();
        for (var i = 0; i < N; i++)
            Xc.SetColumn(i, X.Column(i) - xBar);
        // Left singular vectors and values of X̃ (D×N) from a D×min(D, N) matrix: X̃ itself, or Rᵀ of X̃ᵀ = Q R.
        var small = N > D ? Xc.Transpose().QR(QRMethod.Thin).R.Transpose() : Xc;
        var svdX = small.Svd(computeVectors: true);
        var sMax = svdX.S.Count > 0 ? svdX.S[0] : 0;
        var q = svdX.S.Count(s => s > sMax * Math.Max(D, N) * RankEpsilon);
        var Lfac = Matrix<double>.Build.Dense(K, r);
        var Rfac = Matrix<double>.Build.Dense(r, D);
        if (q > 0 && r > 0)
        {
            var Uq = svdX.U.SubMatrix(0, D, 0, q);                                        // D×q
            var C = Lambda.Cholesky().Factor;                                             // K×K lower, Λ = C Cᵀ
            var Y = C.TransposeThisAndMultiply(M) * Uq * Matrix<double>.Build.DiagonalOfDiagonalVector(svdX.S.SubVector(0, q));
            var svdY = Y.Svd(computeVectors: true);
            var keep = Math.Min(r, svdY.S.Count);
            var sqrtS = Matrix<double>.Build.DiagonalOfDiagonalVector(svdY.S.SubVector(0, keep).PointwiseSqrt());
            var invSq = Matrix<double>.Build.DiagonalOfDiagonalVector(svdX.S.SubVector(0, q).Map(s => 1 / s));
            Lfac.SetSubMatrix(0, 0, C.Inverse().TransposeThisAndMultiply(svdY.U.SubMatrix(0, K, 0, keep)) * sqrtS);     // K×keep
            Rfac.SetSubMatrix(0, 0, sqrtS * svdY.VT.SubMatrix(0, keep, 0, q) * invSq.TransposeAndMultiply(Uq));          // keep×D
        }
        var c = M * (xBar - model.b) - Lfac * (Rfac * xBar);
        var rho = Vector<double>.Build.Dense(K, j => -Math.Log(Lambda[j, j]));
        return new AmortisedEncoder(Lfac, Rfac, c, rho);
    }

    /// <summary>Relative size below which a singular value of X̃ counts as zero (× max(D, N) × the largest).</summary>
    private const double RankEpsilon = 1e-15;

    /// <summary>M = Λ⁻¹Wᵀ/σ² (K×D), so that μ_post(x) = M(x − b).</summary>
    private static Matrix<double> PosteriorMeanMap(LinearGaussianModel model) =>
        model.PosteriorCovariance * model.W.Transpose() / (model.Sigma * model.Sigma);

    private static void CheckRank(LinearGaussianModel model, int r)
    {
        if (r < 0 || r > Math.Min(model.K, model.D))
            throw new ArgumentException($"r must be in 0..min(K, D) = 0..{Math.Min(model.K, model.D)} but is {r}", nameof(r));
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

/// <summary>The result of <see cref="AmortisedEncoder.Fit"/>.</summary>
/// <param name="Encoder">The fitted encoder φ.</param>
/// <param name="ElboTrace">Average ELBO of the best point after each gradient evaluation (non-decreasing, up to
/// rounding: among points whose ELBOs differ by ~1e-14 relative, the one with the smaller gradient counts as best).</param>
/// <param name="GradientEvaluations">ELBO-and-gradient evaluations; each is one pass over the N datapoints.</param>
/// <param name="Iterations">L-BFGS iterations (0 for r = 0).</param>
/// <param name="GradientNorm">‖∇_φ ELBO‖₂ at the result, over all of φ = (L, R, c, ρ).</param>
/// <param name="Tolerance">The convergence tolerance asked for: the fit stops once GradientNorm &lt; Tolerance.</param>
/// <param name="Converged">GradientNorm &lt; Tolerance.</param>
/// <param name="Exit">How the fit ended (closed form, MathNet's exit condition, or the line-search failure).</param>
public sealed record EncoderFit(AmortisedEncoder Encoder, double[] ElboTrace, int GradientEvaluations, int Iterations,
    double GradientNorm, double Tolerance, bool Converged, string Exit);

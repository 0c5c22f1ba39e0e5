using MathNet.Numerics.LinearAlgebra;

namespace Companion.Generative;

/// <summary>
/// Mean-field Gaussian variational distribution q(z) = N(m, diag(s²)) over the K latents of a
/// <see cref="LinearGaussianModel"/>, with the ELBO, its gradient and KL(q ‖ p(z|x)) in closed form
/// (seed 002_6d1f8bd69ec35d2c, Questions 1.1–1.2; Kingma &amp; Welling 2014, Cremer et al. 2018 "Inference
/// Suboptimality in Variational Autoencoders").
/// <para>ELBO(q; x) = E_q[log p(x|z)] − KL(q ‖ p(z)) with
/// E_q[log p(x|z)] = −D/2·log(2πσ²) − (‖x − b − W m‖² + Σ_j s_j²‖W_:j‖²)/(2σ²) and
/// KL(q ‖ N(0, I)) = ½Σ_j (s_j² + m_j² − 1 − log s_j²).</para>
/// <para>KL(q ‖ p(z|x)) = ½[Σ_j Λ_jj s_j² + (μ − m)ᵀΛ(μ − m) − K − Σ_j log s_j² − log det Λ], Λ = Σ_post⁻¹, μ = μ_post(x);
/// Question 1.1's identity log p(x) − ELBO(q; x) = KL(q ‖ p(z|x)) holds for every q.</para>
/// </summary>
public sealed record MeanFieldGaussian
{
    /// <summary>Mean m, length K.</summary>
    public Vector<double> m { get; }

    /// <summary>Variances s_j² &gt; 0, length K.</summary>
    public Vector<double> s2 { get; }

    /// <summary>Per-coordinate logs ρ_j = log s_j², the parameters gradient ascent moves.</summary>
    public Vector<double> LogS2 => s2.PointwiseLog();

    /// <summary>q = N(m, diag(s2)).</summary>
    /// <param name="m">Mean, length K.</param>
    /// <param name="s2">Variances s_j², finite and &gt; 0, length K.</param>
    public MeanFieldGaussian(Vector<double> m, Vector<double> s2)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(s2);
        if (m.Count != s2.Count)
            throw new ArgumentException($"m and s2 must have the same length K but have {m.Count} and {s2.Count}");
        if (s2.Any(v => !(v > 0) || double.IsInfinity(v)))
            throw new ArgumentException("s2 (variances) must be finite and > 0", nameof(s2));
        this.m = m;
        this.s2 = s2;
    }

    /// <summary>ELBO(q; x) = E_q[log p(x|z)] − KL(q ‖ p(z)) in closed form (see the type's summary).</summary>
    /// <param name="model">The generative model p(x, z).</param>
    /// <param name="x">Datapoint, length D.</param>
    /// <param name="q">Variational distribution over K latents.</param>
    public static double Elbo(LinearGaussianModel model, Vector<double> x, MeanFieldGaussian q)
    {
        CheckPair(model, x, q);
        var expectedLogLik = ExpectedLogLikelihood(model, x, q);
        var klPrior = 0.0;
        for (var j = 0; j < model.K; j++)
            klPrior += 0.5 * (q.s2[j] + q.m[j] * q.m[j] - 1 - Math.Log(q.s2[j]));
        return expectedLogLik - klPrior;
    }

    /// <summary>
    /// Expected complete-data log-likelihood of Question 1.1, ECLL(θ; q, x) = E_q[log p_θ(x|z) + log p(z)] =
    /// E_q[log p(x|z)] − K/2·log 2π − ½Σ_j (m_j² + s_j²). It equals ELBO − H(q), and H(q) does not depend on θ.
    /// </summary>
    /// <param name="model">The generative model p_θ(x, z).</param>
    /// <param name="x">Datapoint, length D.</param>
    /// <param name="q">Variational distribution over K latents (fixed).</param>
    public static double ExpectedCompleteLogLikelihood(LinearGaussianModel model, Vector<double> x, MeanFieldGaussian q)
    {
        CheckPair(model, x, q);
        var expectedLogPrior = -0.5 * model.K * Math.Log(2 * Math.PI) - 0.5 * (q.m.DotProduct(q.m) + q.s2.Sum());
        return ExpectedLogLikelihood(model, x, q) + expectedLogPrior;
    }

    /// <summary>Entropy H(q) = ½Σ_j log(2πe s_j²).</summary>
    /// <param name="q">Variational distribution.</param>
    public static double Entropy(MeanFieldGaussian q)
    {
        ArgumentNullException.ThrowIfNull(q);
        return 0.5 * q.s2.Sum(v => Math.Log(2 * Math.PI * Math.E * v));
    }

    /// <summary>Gradient of ELBO(q; x): ∂/∂m = Λ(μ_post(x) − m) = Wᵀ(x − b)/σ² − Λm, ∂/∂ρ_j = ½ − ½Λ_jj s_j² (ρ_j = log s_j²).</summary>
    /// <param name="model">The generative model.</param>
    /// <param name="x">Datapoint, length D.</param>
    /// <param name="q">Variational distribution over K latents.</param>
    /// <returns>dm and dRho, each of length K.</returns>
    public static (Vector<double> dm, Vector<double> dRho) ElboGradient(LinearGaussianModel model, Vector<double> x, MeanFieldGaussian q)
    {
        CheckPair(model, x, q);
        var Lambda = model.PosteriorPrecision;
        var dm = model.W.TransposeThisAndMultiply(x - model.b) / (model.Sigma * model.Sigma) - Lambda * q.m;
        var dRho = Vector<double>.Build.Dense(model.K, j => 0.5 - 0.5 * Lambda[j, j] * q.s2[j]);
        return (dm, dRho);
    }

    /// <summary>KL(q ‖ p(z|x)) between q and the exact Gaussian posterior, in closed form.</summary>
    /// <param name="model">The generative model.</param>
    /// <param name="x">Datapoint, length D.</param>
    /// <param name="q">Variational distribution over K latents.</param>
    public static double KlToPosterior(LinearGaussianModel model, Vector<double> x, MeanFieldGaussian q)
    {
        CheckPair(model, x, q);
        var Lambda = model.PosteriorPrecision;
        var d = model.PosteriorMean(x) - q.m;
        var trace = 0.0;
        var logDetS = 0.0;
        for (var j = 0; j < model.K; j++)
        {
            trace += Lambda[j, j] * q.s2[j];
            logDetS += Math.Log(q.s2[j]);
        }
        return 0.5 * (trace + d.DotProduct(Lambda * d) - model.K - logDetS - Lambda.Cholesky().DeterminantLn);
    }

    /// <summary>
    /// The instance-wise optimum q_i* = argmax ELBO(q; x) over mean-field Gaussians, in closed form:
    /// m = μ_post(x) and s_j² = 1/Λ_jj (Bishop 2006, §10.1.2: mean-field on a Gaussian matches the precision's diagonal).
    /// </summary>
    /// <param name="model">The generative model.</param>
    /// <param name="x">Datapoint, length D.</param>
    public static MeanFieldGaussian Optimal(LinearGaussianModel model, Vector<double> x)
    {
        model.CheckDatapoint(x);
        var Lambda = model.PosteriorPrecision;
        return new MeanFieldGaussian(model.PosteriorMean(x), Vector<double>.Build.Dense(model.K, j => 1 / Lambda[j, j]));
    }

    /// <summary>
    /// Instance-wise variational inference the generic way: gradient ascent on ELBO(q; x) in (m, ρ = log s²) from the
    /// prior q = N(0, I), step η (default 1/λ_max(Λ), the inverse Lipschitz constant of the m-gradient), until the
    /// gradient's Euclidean norm is below <paramref name="tolerance"/>.
    /// </summary>
    /// <param name="model">The generative model.</param>
    /// <param name="x">Datapoint, length D.</param>
    /// <param name="tolerance">Stop when ‖∇ELBO‖₂ &lt; tolerance.</param>
    /// <param name="maxSteps">Stop after this many steps at most.</param>
    /// <param name="eta">Step size; null for 1/λ_max(Λ).</param>
    /// <returns>The fitted q and the number of gradient steps taken (one ELBO-gradient evaluation each).</returns>
    public static (MeanFieldGaussian q, int Steps) FitByGradientAscent(LinearGaussianModel model, Vector<double> x,
        double tolerance = 1e-8, int maxSteps = 100_000, double? eta = null)
    {
        model.CheckDatapoint(x);
        if (!(tolerance > 0))
            throw new ArgumentException($"tolerance must be > 0 but is {tolerance}", nameof(tolerance));
        var step = eta ?? 1 / model.PosteriorPrecision.Evd(Symmetricity.Symmetric).EigenValues.Real().Maximum();
        if (!(step > 0))
            throw new ArgumentException($"eta must be > 0 but is {step}", nameof(eta));
        var m = Vector<double>.Build.Dense(model.K);
        var rho = Vector<double>.Build.Dense(model.K);
        var steps = 0;
        for (; steps < maxSteps; steps++)
        {
            var (dm, dRho) = ElboGradient(model, x, new MeanFieldGaussian(m, rho.PointwiseExp()));
            if (Math.Sqrt(dm.DotProduct(dm) + dRho.DotProduct(dRho)) < tolerance)
                break;
            m += step * dm;
            rho += step * dRho;
        }
        return (new MeanFieldGaussian(m, rho.PointwiseExp()), steps);
    }

    /// <summary>E_q[log p(x|z)] = −D/2·log(2πσ²) − (‖x − b − W m‖² + Σ_j s_j²‖W_:j‖²)/(2σ²).</summary>
    private static double ExpectedLogLikelihood(LinearGaussianModel model, Vector<double> x, MeanFieldGaussian q)
    {
        var sigma2 = model.Sigma * model.Sigma;
        var r = x - model.b - model.W * q.m;
        var spread = 0.0;
        for (var j = 0; j < model.K; j++)
            spread += q.s2[j] * model.W.Column(j).DotProduct(model.W.Column(j));
        return -0.5 * model.D * Math.Log(2 * Math.PI * sigma2) - (r.DotProduct(r) + spread) / (2 * sigma2);
    }

    private static void CheckPair(LinearGaussianModel model, Vector<double> x, MeanFieldGaussian q)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(q);
        model.CheckDatapoint(x);
        if (q.m.Count != model.K)
            throw new ArgumentException($"q must be over K = {model.K} latents but has {q.m.Count}", nameof(q));
    }
}

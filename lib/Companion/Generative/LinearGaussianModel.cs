using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Generative;

/// <summary>
/// Linear-Gaussian latent-variable model p(z) = N(0, I_K), p(x|z) = N(W z + b, σ² I_D): the one VAE decoder whose
/// posterior p(z|x) and evidence log p(x) are known exactly, so amortisation and approximation gaps can be measured
/// rather than estimated (seed 002_6d1f8bd69ec35d2c, Question 1; probabilistic PCA, Tipping &amp; Bishop 1999).
/// <para>Posterior: p(z|x) = N(μ_post(x), Σ_post) with Λ = Σ_post⁻¹ = I_K + WᵀW/σ² and μ_post(x) = Λ⁻¹Wᵀ(x − b)/σ².
/// Evidence: log p(x) = log N(x; b, WWᵀ + σ²I_D).</para>
/// </summary>
public sealed record LinearGaussianModel
{
    /// <summary>Decoder weights, D×K.</summary>
    public Matrix<double> W { get; }

    /// <summary>Decoder bias, length D.</summary>
    public Vector<double> b { get; }

    /// <summary>Observation noise standard deviation σ &gt; 0.</summary>
    public double Sigma { get; }

    /// <summary>Observed dimension D.</summary>
    public int D => W.RowCount;

    /// <summary>Latent dimension K.</summary>
    public int K => W.ColumnCount;

    /// <summary>Posterior precision Λ = I_K + WᵀW/σ², K×K (the same for every x).</summary>
    public Matrix<double> PosteriorPrecision { get; }

    /// <summary>Posterior covariance Σ_post = Λ⁻¹, K×K (the same for every x).</summary>
    public Matrix<double> PosteriorCovariance { get; }

    /// <summary>Builds the model and its posterior precision and covariance.</summary>
    /// <param name="W">Decoder weights, D×K.</param>
    /// <param name="b">Decoder bias, length D.</param>
    /// <param name="sigma">Observation noise standard deviation σ &gt; 0.</param>
    public LinearGaussianModel(Matrix<double> W, Vector<double> b, double sigma)
    {
        ArgumentNullException.ThrowIfNull(W);
        ArgumentNullException.ThrowIfNull(b);
        if (W.RowCount == 0 || W.ColumnCount == 0)
            throw new ArgumentException($"W must be D×K with D, K ≥ 1 but is {W.RowCount}×{W.ColumnCount}", nameof(W));
        if (b.Count != W.RowCount)
            throw new ArgumentException($"b must have length D = {W.RowCount} (rows of W) but has {b.Count}", nameof(b));
        if (!(sigma > 0) || double.IsInfinity(sigma))
            throw new ArgumentException($"sigma must be finite and > 0 but is {sigma}", nameof(sigma));
        this.W = W;
        this.b = b;
        Sigma = sigma;
        PosteriorPrecision = Matrix<double>.Build.DenseIdentity(W.ColumnCount) + W.TransposeThisAndMultiply(W) / (sigma * sigma);
        PosteriorCovariance = PosteriorPrecision.Inverse();
    }

    /// <summary>
    /// A model with W entries i.i.d. N(0, 1) and b entries i.i.d. N(0, 1), so the columns of W are correlated and the
    /// posterior covariance is not diagonal (a mean-field q cannot represent it).
    /// </summary>
    /// <param name="D">Observed dimension.</param>
    /// <param name="K">Latent dimension.</param>
    /// <param name="sigma">Observation noise standard deviation.</param>
    /// <param name="seed">Seed of the draw.</param>
    public static LinearGaussianModel Random(int D, int K, double sigma, int seed)
    {
        if (D < 1 || K < 1)
            throw new ArgumentException($"D and K must be ≥ 1 but are D = {D}, K = {K}");
        var rng = new Random(seed);
        var W = Matrix<double>.Build.Dense(D, K, (_, _) => Normal.Sample(rng, 0, 1));
        var b = Vector<double>.Build.Dense(D, _ => Normal.Sample(rng, 0, 1));
        return new LinearGaussianModel(W, b, sigma);
    }

    /// <summary>Draws n datapoints x = W z + b + σ ε with z, ε standard normal; returns them as the columns of a D×n matrix.</summary>
    /// <param name="n">Number of datapoints.</param>
    /// <param name="seed">Seed of the draw.</param>
    public Matrix<double> Sample(int n, int seed)
    {
        if (n < 1)
            throw new ArgumentException($"n must be ≥ 1 but is {n}", nameof(n));
        var rng = new Random(seed);
        var Z = Matrix<double>.Build.Dense(K, n, (_, _) => Normal.Sample(rng, 0, 1));
        var E = Matrix<double>.Build.Dense(D, n, (_, _) => Normal.Sample(rng, 0, 1));
        var X = W * Z + Sigma * E;
        for (var i = 0; i < n; i++)
            X.SetColumn(i, X.Column(i) + b);
        return X;
    }

    /// <summary>Exact posterior mean μ_post(x) = Λ⁻¹Wᵀ(x − b)/σ², length K.</summary>
    /// <param name="x">Datapoint, length D.</param>
    public Vector<double> PosteriorMean(Vector<double> x)
    {
        CheckDatapoint(x);
        return PosteriorCovariance * W.TransposeThisAndMultiply(x - b) / (Sigma * Sigma);
    }

    /// <summary>Exact evidence log p(x) = log N(x; b, WWᵀ + σ²I_D), through a Cholesky factor of the D×D covariance.</summary>
    /// <param name="x">Datapoint, length D.</param>
    public double LogMarginal(Vector<double> x)
    {
        CheckDatapoint(x);
        var C = W.TransposeAndMultiply(W) + Matrix<double>.Build.DenseIdentity(D) * (Sigma * Sigma);
        var chol = C.Cholesky();
        var r = x - b;
        var quad = r.DotProduct(chol.Solve(r));
        return -0.5 * (D * Math.Log(2 * Math.PI) + chol.DeterminantLn + quad);
    }

    internal void CheckDatapoint(Vector<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count != D)
            throw new ArgumentException($"x must have length D = {D} but has {x.Count}", nameof(x));
    }

    internal void CheckData(Matrix<double> X)
    {
        ArgumentNullException.ThrowIfNull(X);
        if (X.RowCount != D || X.ColumnCount < 1)
            throw new ArgumentException($"X must be D×N with D = {D} and N ≥ 1 but is {X.RowCount}×{X.ColumnCount}", nameof(X));
    }
}

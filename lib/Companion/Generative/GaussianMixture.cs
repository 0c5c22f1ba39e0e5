using MathNet.Numerics.Distributions;

namespace Companion.Generative;

/// <summary>
/// One-dimensional Gaussian mixture p(x) = Σ_k w_k N(x; μ_k, σ_k²): the multi-modal target of seed
/// 002_6d1f8bd69ec35d2c, Question 3.2 (forward vs reverse KL), with its density, score d/dx log p(x), samples and moments.
/// </summary>
public sealed record GaussianMixture
{
    /// <summary>Mixture weights w_k &gt; 0 summing to 1, length n.</summary>
    public double[] Weights { get; }

    /// <summary>Component means μ_k, length n.</summary>
    public double[] Means { get; }

    /// <summary>Component standard deviations σ_k &gt; 0, length n.</summary>
    public double[] Stds { get; }

    /// <summary>A mixture of n components.</summary>
    /// <param name="weights">w_k &gt; 0 summing to 1 (within 1e-9), length n.</param>
    /// <param name="means">μ_k, length n.</param>
    /// <param name="stds">σ_k &gt; 0, length n.</param>
    public GaussianMixture(double[] weights, double[] means, double[] stds)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(stds);
        if (weights.Length == 0 || means.Length != weights.Length || stds.Length != weights.Length)
            throw new ArgumentException($"weights, means and stds must have the same length n ≥ 1 but have {weights.Length}, {means.Length}, {stds.Length}");
        if (weights.Any(w => !(w > 0)) || Math.Abs(weights.Sum() - 1) > 1e-9)
            throw new ArgumentException($"weights must be > 0 and sum to 1 but are [{string.Join(", ", weights)}]", nameof(weights));
        if (stds.Any(s => !(s > 0) || double.IsInfinity(s)))
            throw new ArgumentException($"stds must be finite and > 0 but are [{string.Join(", ", stds)}]", nameof(stds));
        Weights = weights;
        Means = means;
        Stds = stds;
    }

    /// <summary>Mixture mean Σ_k w_k μ_k.</summary>
    public double Mean => Weights.Zip(Means, (w, m) => w * m).Sum();

    /// <summary>Mixture variance Σ_k w_k (σ_k² + μ_k²) − (Σ_k w_k μ_k)².</summary>
    public double Variance
    {
        get
        {
            var second = 0.0;
            for (var k = 0; k < Weights.Length; k++)
                second += Weights[k] * (Stds[k] * Stds[k] + Means[k] * Means[k]);
            return second - Mean * Mean;
        }
    }

    /// <summary>log p(x) by log-sum-exp over components.</summary>
    /// <param name="x">Point.</param>
    public double LogDensity(double x) => LogSumExp(ComponentLogTerms(x));

    /// <summary>p(x).</summary>
    /// <param name="x">Point.</param>
    public double Density(double x) => Math.Exp(LogDensity(x));

    /// <summary>Score d/dx log p(x) = Σ_k r_k(x)(μ_k − x)/σ_k² with responsibilities r_k(x) = w_k N(x; μ_k, σ_k²)/p(x).</summary>
    /// <param name="x">Point.</param>
    public double Score(double x)
    {
        var terms = ComponentLogTerms(x);
        var logP = LogSumExp(terms);
        var score = 0.0;
        for (var k = 0; k < terms.Length; k++)
            score += Math.Exp(terms[k] - logP) * (Means[k] - x) / (Stds[k] * Stds[k]);
        return score;
    }

    /// <summary>log w_k + log N(x; μ_k, σ_k²) for each component k.</summary>
    private double[] ComponentLogTerms(double x)
    {
        var terms = new double[Weights.Length];
        for (var k = 0; k < terms.Length; k++)
            terms[k] = Math.Log(Weights[k]) + Normal.PDFLn(Means[k], Stds[k], x);
        return terms;
    }

    private static double LogSumExp(double[] terms)
    {
        var max = terms.Max();
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    /// <summary>n independent draws: a component by its weight, then a normal draw from it.</summary>
    /// <param name="n">Number of samples.</param>
    /// <param name="seed">Seed of the draw.</param>
    public double[] Sample(int n, int seed)
    {
        if (n < 1)
            throw new ArgumentException($"n must be ≥ 1 but is {n}", nameof(n));
        var rng = new Random(seed);
        var samples = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u = rng.NextDouble();
            var k = 0;
            var cumulative = Weights[0];
            while (u > cumulative && k < Weights.Length - 1)
                cumulative += Weights[++k];
            samples[i] = Normal.Sample(rng, Means[k], Stds[k]);
        }
        return samples;
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Companion.Generative;

/// <summary>
/// Question 1.1 of seed 002_6d1f8bd69ec35d2c as curves: for fixed variational distributions q_i, the dataset averages of
/// ECLL(θ) + H(q) = E_q[log p_θ(x|z)p(z)] + H(q), of log p_θ(x) − KL(q ‖ p_θ(z|x)) and of log p_θ(x), for models
/// θ = (W, b, σ_θ) that differ only in the decoder noise σ_θ. The first two are equal for every θ (ECLL = log p − KL − H,
/// H independent of θ), each computed by its own closed form; the third peaks elsewhere unless q_i = p_θ(z|x_i).
/// </summary>
/// <param name="Sigmas">Decoder noise levels σ_θ, length S.</param>
/// <param name="EcllPlusEntropy">(1/N)Σ_i [ECLL(θ; q_i, x_i) + H(q_i)], length S.</param>
/// <param name="LogEvidenceMinusKl">(1/N)Σ_i [log p_θ(x_i) − KL(q_i ‖ p_θ(z|x_i))], length S.</param>
/// <param name="LogEvidence">(1/N)Σ_i log p_θ(x_i), length S.</param>
public sealed record FixedQObjectives(double[] Sigmas, double[] EcllPlusEntropy, double[] LogEvidenceMinusKl, double[] LogEvidence)
{
    /// <summary>Largest |ECLL + H − (log p − KL)| over the σ_θ grid (round-off, ~1e-13).</summary>
    public double MaxIdentityResidual => EcllPlusEntropy.Zip(LogEvidenceMinusKl, (a, b) => Math.Abs(a - b)).Max();

    /// <summary>σ_θ on the grid that maximises the ECLL (the θ-update with q fixed).</summary>
    public double ArgMaxEcll => Sigmas[Array.IndexOf(EcllPlusEntropy, EcllPlusEntropy.Max())];

    /// <summary>σ_θ on the grid that maximises log p_θ(x) − KL.</summary>
    public double ArgMaxLogEvidenceMinusKl => Sigmas[Array.IndexOf(LogEvidenceMinusKl, LogEvidenceMinusKl.Max())];

    /// <summary>σ_θ on the grid that maximises the evidence (maximum likelihood over the grid).</summary>
    public double ArgMaxLogEvidence => Sigmas[Array.IndexOf(LogEvidence, LogEvidence.Max())];

    /// <summary>Evaluates the three averages on a grid of decoder noise levels, keeping W, b and every q_i fixed.</summary>
    /// <param name="model">Supplies W and b; its own σ is not used.</param>
    /// <param name="X">Datapoints as columns, D×N.</param>
    /// <param name="q">One fixed q_i per datapoint, length N.</param>
    /// <param name="sigmas">Decoder noise levels σ_θ &gt; 0, length S ≥ 1.</param>
    public static FixedQObjectives OverNoise(LinearGaussianModel model, Matrix<double> X, IReadOnlyList<MeanFieldGaussian> q,
        double[] sigmas)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(sigmas);
        model.CheckData(X);
        if (q.Count != X.ColumnCount)
            throw new ArgumentException($"q must hold one distribution per datapoint (N = {X.ColumnCount}) but holds {q.Count}", nameof(q));
        if (sigmas.Length == 0)
            throw new ArgumentException("sigmas must hold at least one noise level", nameof(sigmas));
        var n = X.ColumnCount;
        var entropy = q.Average(MeanFieldGaussian.Entropy);
        var ecll = new double[sigmas.Length];
        var bound = new double[sigmas.Length];
        var evidence = new double[sigmas.Length];
        for (var s = 0; s < sigmas.Length; s++)
        {
            var theta = new LinearGaussianModel(model.W, model.b, sigmas[s]);
            for (var i = 0; i < n; i++)
            {
                var x = X.Column(i);
                var logP = theta.LogMarginal(x);
                ecll[s] += MeanFieldGaussian.ExpectedCompleteLogLikelihood(theta, x, q[i]) / n;
                bound[s] += (logP - MeanFieldGaussian.KlToPosterior(theta, x, q[i])) / n;
                evidence[s] += logP / n;
            }
            ecll[s] += entropy;
        }
        return new FixedQObjectives(sigmas, ecll, bound, evidence);
    }
}

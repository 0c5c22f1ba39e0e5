using MathNet.Numerics.LinearAlgebra;

namespace Companion.Generative;

/// <summary>
/// Per-datapoint decomposition of the inference gap of Cremer et al. 2018 ("Inference Suboptimality in Variational
/// Autoencoders") for a <see cref="LinearGaussianModel"/> (seed 002_6d1f8bd69ec35d2c, Questions 1.2–1.3(a)):
/// log p(x_i) − ELBO(q_φ*; x_i) = KL(q_i* ‖ p(z|x_i)) [approximation gap] + (KL(q_φ* ‖ p(z|x_i)) − KL(q_i* ‖ p(z|x_i)))
/// [amortisation gap ≥ 0], where q_i* is the instance-wise optimum (closed form, <see cref="MeanFieldGaussian.Optimal"/>).
/// </summary>
/// <param name="LogEvidence">Exact log p(x_i), length N.</param>
/// <param name="ElboInstance">ELBO(q_i*; x_i), length N.</param>
/// <param name="ElboAmortised">ELBO(q_φ(·|x_i); x_i), length N.</param>
/// <param name="KlInstance">KL(q_i* ‖ p(z|x_i)) in closed form, length N.</param>
/// <param name="KlAmortised">KL(q_φ(·|x_i) ‖ p(z|x_i)) in closed form, length N.</param>
public sealed record AmortisationGap(double[] LogEvidence, double[] ElboInstance, double[] ElboAmortised,
    double[] KlInstance, double[] KlAmortised)
{
    /// <summary>Amortisation gap per datapoint, KL(q_φ* ‖ p) − KL(q_i* ‖ p) = ELBO(q_i*) − ELBO(q_φ*).</summary>
    public double[] Amortisation => KlAmortised.Zip(KlInstance, (a, i) => a - i).ToArray();

    /// <summary>
    /// Largest violation of Question 1.1's identity log p(x) − ELBO(q; x) = KL(q ‖ p(z|x)) over all datapoints and both
    /// q's; the two sides are computed independently (Gaussian evidence vs ELBO vs Gaussian KL), so this is ~1e-13.
    /// </summary>
    public double MaxIdentityResidual
    {
        get
        {
            var worst = 0.0;
            for (var i = 0; i < LogEvidence.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(LogEvidence[i] - ElboInstance[i] - KlInstance[i]));
                worst = Math.Max(worst, Math.Abs(LogEvidence[i] - ElboAmortised[i] - KlAmortised[i]));
            }
            return worst;
        }
    }

    /// <summary>Evaluates both q's on every datapoint.</summary>
    /// <param name="model">The generative model.</param>
    /// <param name="X">Datapoints as columns, D×N.</param>
    /// <param name="encoder">The amortised encoder q_φ.</param>
    public static AmortisationGap Measure(LinearGaussianModel model, Matrix<double> X, AmortisedEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(encoder);
        model.CheckData(X);
        var n = X.ColumnCount;
        var logP = new double[n];
        var elboI = new double[n];
        var elboA = new double[n];
        var klI = new double[n];
        var klA = new double[n];
        for (var i = 0; i < n; i++)
        {
            var x = X.Column(i);
            var qi = MeanFieldGaussian.Optimal(model, x);
            var qa = encoder.Encode(x);
            logP[i] = model.LogMarginal(x);
            elboI[i] = MeanFieldGaussian.Elbo(model, x, qi);
            elboA[i] = MeanFieldGaussian.Elbo(model, x, qa);
            klI[i] = MeanFieldGaussian.KlToPosterior(model, x, qi);
            klA[i] = MeanFieldGaussian.KlToPosterior(model, x, qa);
        }
        return new AmortisationGap(logP, elboI, elboA, klI, klA);
    }
}

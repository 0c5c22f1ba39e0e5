using Companion.Generative;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Generative;

public class MeanFieldGaussianTests
{
    private const double Identity = 1e-10;
    private const double FiniteDifferenceStep = 1e-6;
    private const double FiniteDifferenceTolerance = 1e-6;

    private static readonly LinearGaussianModel Model = LinearGaussianModel.Random(6, 3, 0.8, seed: 21);
    private static readonly Vector<double> X0 = Model.Sample(1, seed: 4).Column(0);

    private static MeanFieldGaussian RandomQ(int seed)
    {
        var rng = new Random(seed);
        return new MeanFieldGaussian(
            Vector<double>.Build.Dense(Model.K, _ => Normal.Sample(rng, 0, 1)),
            Vector<double>.Build.Dense(Model.K, _ => Math.Exp(Normal.Sample(rng, -1, 0.5))));
    }

    [Fact]
    public void Elbo_matches_a_Monte_Carlo_estimate_of_E_q_log_p_x_z_minus_log_q()
    {
        var q = RandomQ(1);
        var rng = new Random(2);
        const int n = 40_000;
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var z = Vector<double>.Build.Dense(Model.K, k => q.m[k] + Math.Sqrt(q.s2[k]) * Normal.Sample(rng, 0, 1));
            var mean = Model.W * z + Model.b;
            var logJoint = Enumerable.Range(0, Model.D).Sum(d => Normal.PDFLn(mean[d], Model.Sigma, X0[d]))
                           + z.Sum(zk => Normal.PDFLn(0, 1, zk));
            var logQ = Enumerable.Range(0, Model.K).Sum(k => Normal.PDFLn(q.m[k], Math.Sqrt(q.s2[k]), z[k]));
            values[i] = logJoint - logQ;
        }
        var (estimate, standardError) = KlDivergence.MonteCarlo(values);
        Assert.InRange(MeanFieldGaussian.Elbo(Model, X0, q), estimate - 4 * standardError, estimate + 4 * standardError);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Log_evidence_minus_Elbo_equals_KL_to_the_posterior(int seed)
    {
        // Question 1.1: log p(x) − ELBO(q) = KL(q ‖ p(z|x)), three independently coded closed forms.
        var q = RandomQ(seed);
        var gap = Model.LogMarginal(X0) - MeanFieldGaussian.Elbo(Model, X0, q);
        Assert.Equal(gap, MeanFieldGaussian.KlToPosterior(Model, X0, q), Identity);
        Assert.True(gap > 0);
    }

    [Fact]
    public void Expected_complete_log_likelihood_matches_Monte_Carlo_and_differs_from_log_p_minus_KL_by_the_entropy_for_every_theta()
    {
        // Question 1.1: for fixed q, ECLL(θ) = log p_θ(x) − KL(q ‖ p_θ(z|x)) − H(q), with H(q) independent of θ.
        var q = RandomQ(5);
        var rng = new Random(6);
        const int n = 40_000;
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var z = Vector<double>.Build.Dense(Model.K, k => q.m[k] + Math.Sqrt(q.s2[k]) * Normal.Sample(rng, 0, 1));
            var mean = Model.W * z + Model.b;
            values[i] = Enumerable.Range(0, Model.D).Sum(d => Normal.PDFLn(mean[d], Model.Sigma, X0[d])) + z.Sum(zk => Normal.PDFLn(0, 1, zk));
        }
        var (estimate, standardError) = KlDivergence.MonteCarlo(values);
        Assert.InRange(MeanFieldGaussian.ExpectedCompleteLogLikelihood(Model, X0, q), estimate - 4 * standardError, estimate + 4 * standardError);

        var entropy = Enumerable.Range(0, Model.K).Sum(k => Normal.WithMeanVariance(0, q.s2[k]).Entropy);
        Assert.Equal(entropy, MeanFieldGaussian.Entropy(q), Identity);
        foreach (var sigma in new[] { 0.3, 0.8, 2.0 })
        {
            var theta = new LinearGaussianModel(Model.W * 1.1, Model.b, sigma);
            var rhs = theta.LogMarginal(X0) - MeanFieldGaussian.KlToPosterior(theta, X0, q) - entropy;
            Assert.Equal(rhs, MeanFieldGaussian.ExpectedCompleteLogLikelihood(theta, X0, q), Identity);
        }
    }

    [Fact]
    public void Elbo_gradient_matches_central_finite_differences()
    {
        var q = RandomQ(7);
        var (dm, dRho) = MeanFieldGaussian.ElboGradient(Model, X0, q);
        for (var k = 0; k < Model.K; k++)
        {
            var e = Vector<double>.Build.Dense(Model.K, j => j == k ? FiniteDifferenceStep : 0);
            var fdM = (MeanFieldGaussian.Elbo(Model, X0, new MeanFieldGaussian(q.m + e, q.s2))
                       - MeanFieldGaussian.Elbo(Model, X0, new MeanFieldGaussian(q.m - e, q.s2))) / (2 * FiniteDifferenceStep);
            var fdRho = (MeanFieldGaussian.Elbo(Model, X0, new MeanFieldGaussian(q.m, (q.LogS2 + e).PointwiseExp()))
                         - MeanFieldGaussian.Elbo(Model, X0, new MeanFieldGaussian(q.m, (q.LogS2 - e).PointwiseExp()))) / (2 * FiniteDifferenceStep);
            Assert.Equal(fdM, dm[k], FiniteDifferenceTolerance);
            Assert.Equal(fdRho, dRho[k], FiniteDifferenceTolerance);
        }
    }

    [Fact]
    public void Gradient_ascent_from_the_prior_converges_to_the_closed_form_optimum()
    {
        const double Tolerance = 1e-7;
        var (fitted, steps) = MeanFieldGaussian.FitByGradientAscent(Model, X0, tolerance: 1e-10);
        var exact = MeanFieldGaussian.Optimal(Model, X0);
        Assert.True(steps > 10);
        Assert.True((fitted.m - exact.m).InfinityNorm() < Tolerance);
        Assert.True((fitted.s2 - exact.s2).InfinityNorm() < Tolerance);
        var (dm, dRho) = MeanFieldGaussian.ElboGradient(Model, X0, exact);
        Assert.True(dm.InfinityNorm() < Identity && dRho.InfinityNorm() < Identity);
    }

    [Fact]
    public void Closed_form_optimum_beats_every_perturbation()
    {
        var best = MeanFieldGaussian.Elbo(Model, X0, MeanFieldGaussian.Optimal(Model, X0));
        var exact = MeanFieldGaussian.Optimal(Model, X0);
        var rng = new Random(3);
        for (var trial = 0; trial < 50; trial++)
        {
            var q = new MeanFieldGaussian(
                exact.m + Vector<double>.Build.Dense(Model.K, _ => 0.1 * Normal.Sample(rng, 0, 1)),
                exact.s2.PointwiseMultiply(Vector<double>.Build.Dense(Model.K, _ => Math.Exp(0.1 * Normal.Sample(rng, 0, 1)))));
            Assert.True(MeanFieldGaussian.Elbo(Model, X0, q) < best);
        }
    }

    [Fact]
    public void Mean_field_optimum_is_exact_iff_the_posterior_is_diagonal()
    {
        // Correlated W columns: KL(q* ‖ p) = ½(Σ log Λ_jj − log det Λ) > 0 (Hadamard's inequality, strict).
        var Lambda = Model.PosteriorPrecision;
        var expected = 0.5 * (Enumerable.Range(0, Model.K).Sum(j => Math.Log(Lambda[j, j])) - Math.Log(Lambda.Determinant()));
        Assert.Equal(expected, MeanFieldGaussian.KlToPosterior(Model, X0, MeanFieldGaussian.Optimal(Model, X0)), Identity);
        Assert.True(expected > 1e-3);

        // Orthogonal W columns: the posterior is diagonal and the mean-field optimum is exact.
        var Q = Matrix<double>.Build.Random(5, 2, 4).QR().Q.SubMatrix(0, 5, 0, 2) * Matrix<double>.Build.DenseOfDiagonalArray(new[] { 2.0, 0.5 });
        var orthogonal = new LinearGaussianModel(Q, Vector<double>.Build.Dense(5, 1.0), 0.3);
        var x = orthogonal.Sample(1, seed: 2).Column(0);
        Assert.Equal(0, MeanFieldGaussian.KlToPosterior(orthogonal, x, MeanFieldGaussian.Optimal(orthogonal, x)), Identity);
    }

    [Fact]
    public void Bad_q_is_rejected_with_a_message()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MeanFieldGaussian(Vector<double>.Build.Dense(2), Vector<double>.Build.Dense(2, -1)));
        Assert.Contains("s2", ex.Message);
        var wrongK = new MeanFieldGaussian(Vector<double>.Build.Dense(2), Vector<double>.Build.Dense(2, 1));
        Assert.Throws<ArgumentException>(() => MeanFieldGaussian.Elbo(Model, X0, wrongK));
    }
}

using Companion.Generative;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Generative;

public class LinearGaussianModelTests
{
    private const double Exact = 1e-10;

    private static readonly LinearGaussianModel Model = LinearGaussianModel.Random(6, 3, 0.7, seed: 11);

    [Fact]
    public void Posterior_matches_conditioning_of_the_joint_Gaussian()
    {
        // Joint (z, x) ~ N((0, b), [[I, Wᵀ], [W, WWᵀ + σ²I]]); condition on x with the Schur complement.
        var W = Model.W;
        var Sxx = W.TransposeAndMultiply(W) + Matrix<double>.Build.DenseIdentity(Model.D) * (Model.Sigma * Model.Sigma);
        var gain = W.Transpose() * Sxx.Inverse();                       // K×D
        var covariance = Matrix<double>.Build.DenseIdentity(Model.K) - gain * W;
        var x = Model.Sample(1, seed: 3).Column(0);
        Assert.True((Model.PosteriorCovariance - covariance).InfinityNorm() < Exact);
        Assert.True((Model.PosteriorMean(x) - gain * (x - Model.b)).InfinityNorm() < Exact);
    }

    [Fact]
    public void Log_evidence_satisfies_Bayes_rule_at_any_z()
    {
        // log p(x) = log p(x|z) + log p(z) − log p(z|x) for every z (the candidate's formula).
        var x = Model.Sample(1, seed: 5).Column(0);
        var rng = new Random(9);
        var mu = Model.PosteriorMean(x);
        var posterior = new MatrixNormal(mu.ToColumnMatrix(), Model.PosteriorCovariance, Matrix<double>.Build.DenseIdentity(1));
        for (var trial = 0; trial < 3; trial++)
        {
            var z = Vector<double>.Build.Dense(Model.K, _ => Normal.Sample(rng, 0, 1));
            var mean = Model.W * z + Model.b;
            var logLik = Enumerable.Range(0, Model.D).Sum(d => Normal.PDFLn(mean[d], Model.Sigma, x[d]));
            var logPrior = z.Sum(zk => Normal.PDFLn(0, 1, zk));
            var logPost = Math.Log(posterior.Density(z.ToColumnMatrix()));
            Assert.Equal(logLik + logPrior - logPost, Model.LogMarginal(x), Exact);
        }
    }

    [Fact]
    public void Sample_covariance_approaches_W_Wt_plus_sigma2_I()
    {
        const double Tolerance = 0.15;
        var X = Model.Sample(20_000, seed: 1);
        var mean = X.RowSums() / X.ColumnCount;
        Assert.True((mean - Model.b).InfinityNorm() < 0.05);
        var Xc = X.Clone();
        for (var i = 0; i < X.ColumnCount; i++)
            Xc.SetColumn(i, X.Column(i) - mean);
        var S = Xc.TransposeAndMultiply(Xc) / X.ColumnCount;
        var expected = Model.W.TransposeAndMultiply(Model.W) + Matrix<double>.Build.DenseIdentity(Model.D) * (Model.Sigma * Model.Sigma);
        Assert.True((S - expected).InfinityNorm() / expected.InfinityNorm() < Tolerance);
    }

    [Fact]
    public void Bad_shapes_and_noise_are_rejected_with_a_message()
    {
        var W = Matrix<double>.Build.Dense(4, 2);
        var ex = Assert.Throws<ArgumentException>(() => new LinearGaussianModel(W, Vector<double>.Build.Dense(3), 1));
        Assert.Contains("length D = 4", ex.Message);
        Assert.Throws<ArgumentException>(() => new LinearGaussianModel(W, Vector<double>.Build.Dense(4), 0));
        Assert.Throws<ArgumentException>(() => Model.LogMarginal(Vector<double>.Build.Dense(5)));
    }
}

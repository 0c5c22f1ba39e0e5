using Companion.Generative;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Companion.Tests.Generative;

public class AmortisedEncoderTests
{
    private const double FiniteDifferenceStep = 1e-6;
    private const double FiniteDifferenceTolerance = 1e-6;
    private const double FitTolerance = 1e-7;
    private const double ClosedFormTolerance = 1e-10;
    private const double StationaryTolerance = 1e-9;
    private const double MeanMapTolerance = 1e-5;
    private const int OldSteps = 5000;

    private static readonly LinearGaussianModel Model = LinearGaussianModel.Random(6, 3, 1.0, seed: 31);
    private static readonly Matrix<double> X = Model.Sample(60, seed: 2);

    private static AmortisedEncoder RandomEncoder(int r, int seed)
    {
        var rng = new Random(seed);
        double N() => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 0.5);
        return new AmortisedEncoder(Matrix<double>.Build.Dense(Model.K, r, (_, _) => N()),
            Matrix<double>.Build.Dense(r, Model.D, (_, _) => N()),
            Vector<double>.Build.Dense(Model.K, _ => N()), Vector<double>.Build.Dense(Model.K, _ => N()));
    }

    [Fact]
    public void Average_elbo_equals_the_mean_of_per_datapoint_elbos()
    {
        var enc = RandomEncoder(2, 1);
        var mean = Enumerable.Range(0, X.ColumnCount).Average(i => MeanFieldGaussian.Elbo(Model, X.Column(i), enc.Encode(X.Column(i))));
        Assert.Equal(mean, AmortisedEncoder.AverageElbo(Model, X, enc), 1e-10);
    }

    [Fact]
    public void Average_elbo_gradient_matches_central_finite_differences()
    {
        var enc = RandomEncoder(2, 3);
        var (dL, dR, dc, dRho) = AmortisedEncoder.AverageElboGradient(Model, X, enc);
        double Fd(Func<double, AmortisedEncoder> shifted) =>
            (AmortisedEncoder.AverageElbo(Model, X, shifted(FiniteDifferenceStep))
             - AmortisedEncoder.AverageElbo(Model, X, shifted(-FiniteDifferenceStep))) / (2 * FiniteDifferenceStep);
        Matrix<double> Bump(Matrix<double> M, int i, int j, double h)
        {
            var copy = M.Clone();
            copy[i, j] += h;
            return copy;
        }
        Vector<double> BumpV(Vector<double> v, int i, double h)
        {
            var copy = v.Clone();
            copy[i] += h;
            return copy;
        }
        for (var i = 0; i < Model.K; i++)
            for (var j = 0; j < 2; j++)
                Assert.Equal(Fd(h => new AmortisedEncoder(Bump(enc.L, i, j, h), enc.R, enc.c, enc.rho)), dL[i, j], FiniteDifferenceTolerance);
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < Model.D; j++)
                Assert.Equal(Fd(h => new AmortisedEncoder(enc.L, Bump(enc.R, i, j, h), enc.c, enc.rho)), dR[i, j], FiniteDifferenceTolerance);
        for (var k = 0; k < Model.K; k++)
        {
            Assert.Equal(Fd(h => new AmortisedEncoder(enc.L, enc.R, BumpV(enc.c, k, h), enc.rho)), dc[k], FiniteDifferenceTolerance);
            Assert.Equal(Fd(h => new AmortisedEncoder(enc.L, enc.R, enc.c, BumpV(enc.rho, k, h))), dRho[k], FiniteDifferenceTolerance);
        }
    }

    /// <summary>
    /// Independent value of the rank-r optimum: with q_i* (closed form per datapoint) the unconstrained best, the rank-r
    /// encoder loses ½/N × the sum of the eigenvalues of CᵀM X̃X̃ᵀMᵀC (Λ = CCᵀ) beyond the r largest (an eigen-decomposition,
    /// not an SVD of the data).
    /// </summary>
    private static double OptimumByEigenvalues(LinearGaussianModel model, Matrix<double> data, int r)
    {
        var n = data.ColumnCount;
        var best = Enumerable.Range(0, n).Average(i => MeanFieldGaussian.Elbo(model, data.Column(i), MeanFieldGaussian.Optimal(model, data.Column(i))));
        var mean = data.RowSums() / n;
        var centred = Matrix<double>.Build.Dense(model.D, n, (d, i) => data[d, i] - mean[d]);
        var C = model.PosteriorPrecision.Cholesky().Factor;
        var M = model.PosteriorCovariance * model.W.Transpose() / (model.Sigma * model.Sigma);
        var T = C.TransposeThisAndMultiply(M) * centred;
        var eigen = (T * T.Transpose()).Evd(Symmetricity.Symmetric).EigenValues.Select(e => e.Real).OrderByDescending(e => e).ToArray();
        return best - 0.5 / n * eigen.Skip(r).Sum();
    }

    /// <summary>The fit this class replaced: plain gradient ascent with an adaptive step (kept as a reference).</summary>
    private static (double Elbo, double GradientNorm) OldGradientAscent(LinearGaussianModel model, Matrix<double> data, int r, int steps, int seed)
    {
        var rng = new Random(seed);
        var enc = new AmortisedEncoder(
            Matrix<double>.Build.Dense(model.K, r, (_, _) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 0.1)),
            Matrix<double>.Build.Dense(r, model.D, (_, _) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 0.1)),
            Vector<double>.Build.Dense(model.K), Vector<double>.Build.Dense(model.K));
        var eta = 1e-3;
        var current = AmortisedEncoder.AverageElbo(model, data, enc);
        for (var step = 0; step < steps; step++)
        {
            var (dL, dR, dc, dRho) = AmortisedEncoder.AverageElboGradient(model, data, enc);
            while (eta > 1e-300)
            {
                var trial = new AmortisedEncoder(enc.L + eta * dL, enc.R + eta * dR, enc.c + eta * dc, enc.rho + eta * dRho);
                var value = AmortisedEncoder.AverageElbo(model, data, trial);
                if (value >= current)
                {
                    (enc, current, eta) = (trial, value, eta * 1.1);
                    break;
                }
                eta /= 2;
            }
        }
        return (current, AmortisedEncoder.GradientNorm(model, data, enc));
    }

    private static double NormOfGradient(LinearGaussianModel model, Matrix<double> data, AmortisedEncoder enc)
    {
        var (dL, dR, dc, dRho) = AmortisedEncoder.AverageElboGradient(model, data, enc);
        var sum = dc.DotProduct(dc) + dRho.DotProduct(dRho);
        for (var i = 0; i < dL.RowCount; i++)
            for (var j = 0; j < dL.ColumnCount; j++)
                sum += dL[i, j] * dL[i, j];
        for (var i = 0; i < dR.RowCount; i++)
            for (var j = 0; j < dR.ColumnCount; j++)
                sum += dR[i, j] * dR[i, j];
        return Math.Sqrt(sum);
    }

    [Theory]
    [InlineData(60, 1)]
    [InlineData(60, 2)]
    [InlineData(60, 3)]
    [InlineData(6, 1)]   // N = D
    [InlineData(4, 2)]   // N < D: X̃ has rank 3
    [InlineData(3, 3)]   // N < D: X̃ has rank 2 < r
    public void Closed_form_optimum_matches_the_eigenvalue_route_for_any_N_and_is_stationary(int n, int r)
    {
        var data = Model.Sample(n, seed: 5);
        var optimum = AmortisedEncoder.OptimalLowRank(Model, data, r);
        Assert.Equal(OptimumByEigenvalues(Model, data, r), AmortisedEncoder.AverageElbo(Model, data, optimum), ClosedFormTolerance);
        Assert.True(NormOfGradient(Model, data, optimum) < StationaryTolerance, $"gradient norm {NormOfGradient(Model, data, optimum):E2}");
        Assert.True((optimum.L * optimum.R).Rank() <= r);
        for (var seed = 0; seed < 10; seed++)
            Assert.True(AmortisedEncoder.AverageElbo(Model, data, RandomEncoder(r, seed)) < AmortisedEncoder.AverageElbo(Model, data, optimum));
    }

    [Fact]
    public void Rank_zero_is_the_constant_encoder_at_the_mean_posterior_mean_by_closed_form_and_by_fit()
    {
        // Independent: the average of the instance-wise optima's means, and their (x-independent) variances.
        var means = Enumerable.Range(0, X.ColumnCount).Select(i => MeanFieldGaussian.Optimal(Model, X.Column(i))).ToArray();
        var meanOfMeans = means.Select(q => q.m).Aggregate((a, b) => a + b) / X.ColumnCount;
        var closed = AmortisedEncoder.OptimalLowRank(Model, X, 0);
        var fit = AmortisedEncoder.Fit(Model, X, 0);
        foreach (var enc in new[] { closed, fit.Encoder })
        {
            Assert.Equal(0, enc.Rank);
            Assert.True((enc.c - meanOfMeans).InfinityNorm() < ClosedFormTolerance);
            Assert.True((enc.rho.PointwiseExp() - means[0].s2).InfinityNorm() < ClosedFormTolerance);
            Assert.True((enc.Encode(X.Column(0)).m - enc.Encode(X.Column(1)).m).InfinityNorm() == 0, "a constant encoder");
        }
        Assert.True(fit.Converged && fit.GradientNorm < fit.Tolerance);
        Assert.Equal(0, fit.Iterations);
        Assert.Equal(2 * Model.K, closed.ParameterCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Lbfgs_fit_converges_below_its_tolerance_beats_the_old_gradient_ascent_and_reaches_the_closed_form(int r)
    {
        var fit = AmortisedEncoder.Fit(Model, X, r, seed: r, tolerance: FitTolerance);
        var norm = NormOfGradient(Model, X, fit.Encoder);
        Assert.True(fit.Converged, $"{fit.Exit}: ‖∇‖ {fit.GradientNorm:E2} after {fit.Iterations} iterations, {fit.GradientEvaluations} evaluations");
        Assert.True(norm < FitTolerance, $"gradient norm {norm:E2} ≥ tolerance {FitTolerance:E0}");
        Assert.Equal(norm, fit.GradientNorm, 1e-15);
        Assert.Equal(FitTolerance, fit.Tolerance);
        var elbo = AmortisedEncoder.AverageElbo(Model, X, fit.Encoder);
        Assert.Equal(fit.ElboTrace[^1], elbo);
        Assert.True(fit.ElboTrace.Zip(fit.ElboTrace.Skip(1), (a, b) => b >= a - 1e-13 * Math.Abs(a)).All(up => up), "best-so-far trace");

        var old = OldGradientAscent(Model, X, r, OldSteps, r);
        Assert.True(elbo >= old.Elbo - 1e-12, $"L-BFGS {elbo:R} vs gradient ascent {old.Elbo:R}");
        Assert.True(norm < old.GradientNorm, $"L-BFGS gradient norm {norm:E2} vs gradient ascent {old.GradientNorm:E2}");

        var optimum = AmortisedEncoder.OptimalLowRank(Model, X, r);
        Assert.Equal(AmortisedEncoder.AverageElbo(Model, X, optimum), elbo, ClosedFormTolerance);
        Assert.True(elbo <= AmortisedEncoder.AverageElbo(Model, X, optimum) + 1e-12, "nothing beats the closed-form optimum");
        Assert.True((fit.Encoder.L * fit.Encoder.R - optimum.L * optimum.R).InfinityNorm() < MeanMapTolerance);
    }

    [Fact]
    public void Lbfgs_fit_with_fewer_datapoints_than_dimensions_reaches_the_closed_form_on_the_data()
    {
        var data = Model.Sample(4, seed: 9);   // N = 4 < D = 6: A is determined on the 3-dimensional span of X̃ only
        var fit = AmortisedEncoder.Fit(Model, data, 2, seed: 1, tolerance: FitTolerance);
        var optimum = AmortisedEncoder.OptimalLowRank(Model, data, 2);
        Assert.True(fit.Converged, $"{fit.Exit}: ‖∇‖ {fit.GradientNorm:E2} after {fit.Iterations} iterations, {fit.GradientEvaluations} evaluations");
        Assert.Equal(AmortisedEncoder.AverageElbo(Model, data, optimum), AmortisedEncoder.AverageElbo(Model, data, fit.Encoder), ClosedFormTolerance);
        for (var i = 0; i < data.ColumnCount; i++)
            Assert.True((fit.Encoder.Encode(data.Column(i)).m - optimum.Encode(data.Column(i)).m).InfinityNorm() < MeanMapTolerance);
    }

    [Fact]
    public void Parameter_count_is_r_times_K_plus_D_plus_2K()
    {
        var enc = RandomEncoder(2, 0);
        Assert.Equal(2 * (3 + 6) + 2 * 3, enc.ParameterCount);
        Assert.Equal(enc.L.RowCount * enc.L.ColumnCount + enc.R.RowCount * enc.R.ColumnCount + enc.c.Count + enc.rho.Count, enc.ParameterCount);
    }

    [Fact]
    public void Bad_rank_and_shapes_are_rejected_with_a_message()
    {
        var ex = Assert.Throws<ArgumentException>(() => AmortisedEncoder.Fit(Model, X, 4));
        Assert.Contains("r must be in 0..min(K, D)", ex.Message);
        Assert.Contains("r must be in 0..min(K, D)", Assert.Throws<ArgumentException>(() => AmortisedEncoder.OptimalLowRank(Model, X, -1)).Message);
        Assert.Contains("tolerance", Assert.Throws<ArgumentException>(() => AmortisedEncoder.Fit(Model, X, 1, tolerance: 0)).Message);
        Assert.Throws<ArgumentException>(() => new AmortisedEncoder(Matrix<double>.Build.Dense(3, 2), Matrix<double>.Build.Dense(1, 6),
            Vector<double>.Build.Dense(3), Vector<double>.Build.Dense(3)));
    }
}

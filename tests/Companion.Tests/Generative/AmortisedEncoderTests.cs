using Companion.Generative;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Generative;

public class AmortisedEncoderTests
{
    private const double FiniteDifferenceStep = 1e-6;
    private const double FiniteDifferenceTolerance = 1e-6;
    private const double FitTolerance = 1e-6;

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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gradient_ascent_reaches_the_closed_form_rank_r_optimum(int r)
    {
        var (fitted, trace, _) = AmortisedEncoder.Fit(Model, X, r, steps: 20_000, seed: r);
        var optimum = AmortisedEncoder.AverageElbo(Model, X, AmortisedEncoder.OptimalLowRank(Model, X, r));
        Assert.Equal(optimum, trace[^1], FitTolerance);
        Assert.True(trace[^1] <= optimum + 1e-12, "nothing beats the closed-form optimum");
        Assert.True(trace.Zip(trace.Skip(1), (a, b) => b >= a).All(up => up), "accepted steps never lower the objective");
        Assert.True((fitted.L * fitted.R - AmortisedEncoder.OptimalLowRank(Model, X, r).L * AmortisedEncoder.OptimalLowRank(Model, X, r).R).InfinityNorm() < 1e-3);
    }

    [Fact]
    public void Closed_form_rank_r_optimum_beats_random_rank_r_encoders_and_full_rank_reaches_every_q_i_star()
    {
        var best = AmortisedEncoder.AverageElbo(Model, X, AmortisedEncoder.OptimalLowRank(Model, X, 1));
        for (var seed = 0; seed < 20; seed++)
            Assert.True(AmortisedEncoder.AverageElbo(Model, X, RandomEncoder(1, seed)) < best);

        // r = K: the encoder can output μ_post(x) and 1/Λ_jj exactly, so q_φ*(·|x_i) = q_i* for every i.
        var full = AmortisedEncoder.OptimalLowRank(Model, X, Model.K);
        for (var i = 0; i < X.ColumnCount; i++)
        {
            var qa = full.Encode(X.Column(i));
            var qi = MeanFieldGaussian.Optimal(Model, X.Column(i));
            Assert.True((qa.m - qi.m).InfinityNorm() < 1e-9 && (qa.s2 - qi.s2).InfinityNorm() < 1e-12);
        }
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
        Assert.Contains("r must be in 1..min(K, D)", ex.Message);
        Assert.Throws<ArgumentException>(() => AmortisedEncoder.OptimalLowRank(Model, X.SubMatrix(0, 6, 0, 5), 1));
        Assert.Throws<ArgumentException>(() => new AmortisedEncoder(Matrix<double>.Build.Dense(3, 2), Matrix<double>.Build.Dense(1, 6),
            Vector<double>.Build.Dense(3), Vector<double>.Build.Dense(3)));
    }
}

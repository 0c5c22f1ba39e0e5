using Companion.LinearNetworks;
using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class LinearAutoencoderTests
{
    private const double Tolerance = 1e-10;
    private const double FiniteDifferenceStep = 1e-5;
    private const double GradientRelativeTolerance = 1e-7;
    private const double HessianStep = 1e-5;
    private static readonly double[] Spectrum = [5, 3, 2, 1, 0.5, 0.2];

    [Fact]
    public void Trace_form_equals_the_sample_by_sample_reconstruction_error()
    {
        // With Σ = XXᵀ the trace form is ‖X − ABX‖²_F (EECS 182 Q3(b)); with Σ = XXᵀ/n it is the mean.
        var x = TestCovariances.Gaussian(6, 40, 1, seed: 1);
        var a = TestCovariances.Gaussian(6, 2, 1, seed: 2);
        var b = TestCovariances.Gaussian(2, 6, 1, seed: 3);
        double direct = LinearAutoencoder.LossOnData(x, a, b);
        Assert.Equal(direct, LinearAutoencoder.Loss(x * x.Transpose(), a, b), 1e-9 * direct);
        Assert.Equal(direct / 40, LinearAutoencoder.Loss(LinearAutoencoder.SecondMoment(x), a, b), 1e-9 * direct);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.3, false)]
    [InlineData(0.0, true)]
    public void Gradient_matches_finite_differences(double lambda, bool perUnit)
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 4);
        var a = TestCovariances.Gaussian(6, 3, 1, seed: 5);
        var b = TestCovariances.Gaussian(3, 6, 1, seed: 6);
        var r = perUnit ? AutoencoderPenalty.PerUnit(0.1, 0.5, 0.9) : AutoencoderPenalty.Uniform(lambda);
        var (gA, gB) = LinearAutoencoder.Gradient(sigma, a, b, r);
        var fdA = FiniteDifference.Gradient(m => LinearAutoencoder.Loss(sigma, m, b, r), a, FiniteDifferenceStep);
        var fdB = FiniteDifference.Gradient(m => LinearAutoencoder.Loss(sigma, a, m, r), b, FiniteDifferenceStep);
        Assert.True(FiniteDifference.RelativeError(gA, fdA) < GradientRelativeTolerance);
        Assert.True(FiniteDifference.RelativeError(gB, fdB) < GradientRelativeTolerance);
    }

    [Fact]
    public void PCA_attains_the_Eckart_Young_value_computed_from_an_SVD_of_the_data()
    {
        // Independent reference: the singular values of X (not the eigen-solver) give the eigenvalues of XXᵀ/n.
        var x = TestCovariances.Gaussian(6, 50, 1, seed: 7);
        var sigma = LinearAutoencoder.SecondMoment(x);
        var sv = x.Svd().S.ToArray();
        double bound = sv.Skip(2).Sum(v => v * v) / 50;
        var uk = PrincipalSubspace.Of(sigma).Uk(2);
        Assert.Equal(bound, LinearAutoencoder.Loss(sigma, uk, uk.Transpose()), Tolerance);
        var (a, b, loss) = LinearAutoencoder.Optimum(sigma, 2);
        Assert.Equal(bound, loss, Tolerance);
        Assert.Equal(bound, LinearAutoencoder.Loss(sigma, a, b), Tolerance);
    }

    [Fact]
    public void Every_other_rank_k_projection_does_worse()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 8);
        double best = PrincipalSubspace.Of(sigma).OptimalLoss(2);
        for (int seed = 0; seed < 20; seed++)
        {
            var q = TestCovariances.RandomOrthogonal(6, 100 + seed).SubMatrix(0, 6, 0, 2);
            Assert.True(LinearAutoencoder.Loss(sigma, q, q.Transpose()) > best + 1e-6);
        }
    }

    [Fact]
    public void Unpenalised_loss_is_invariant_under_any_invertible_G_and_the_uniform_penalty_only_under_orthogonal_ones()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 9);
        var a = TestCovariances.Gaussian(6, 3, 1, seed: 10);
        var b = TestCovariances.Gaussian(3, 6, 1, seed: 11);
        var g = TestCovariances.Gaussian(3, 3, 1, seed: 12) + (2 * Matrix<double>.Build.DenseIdentity(3));
        var o = TestCovariances.RandomOrthogonal(3, 13);
        double l1 = LinearAutoencoder.Loss(sigma, a, b);
        Assert.Equal(l1, LinearAutoencoder.Loss(sigma, a * g, g.Inverse() * b), 1e-9 * l1);
        var r = AutoencoderPenalty.Uniform(0.2);
        double l2 = LinearAutoencoder.Loss(sigma, a, b, r);
        Assert.Equal(l2, LinearAutoencoder.Loss(sigma, a * o, o.Transpose() * b, r), 1e-9 * l2);
        Assert.True(Math.Abs(LinearAutoencoder.Loss(sigma, a * g, g.Inverse() * b, r) - l2) > 1e-3 * l2);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.4, false)]
    [InlineData(0.0, true)]
    public void Closed_form_optimum_is_stationary_and_a_local_minimum_with_the_stated_loss(double lambda, bool perUnit)
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 14);
        var r = perUnit ? AutoencoderPenalty.PerUnit(0.1, 0.5, 0.9) : AutoencoderPenalty.Uniform(lambda);
        var (a, b, loss) = LinearAutoencoder.Optimum(sigma, 3, r);
        Assert.Equal(LinearAutoencoder.Loss(sigma, a, b, r), loss, Tolerance);
        var (gA, gB) = LinearAutoencoder.Gradient(sigma, a, b, r);
        Assert.True(gA.FrobeniusNorm() + gB.FrobeniusNorm() < 1e-10);
        for (int seed = 0; seed < 10; seed++)
        {
            var da = TestCovariances.Gaussian(6, 3, 1e-3, 200 + seed);
            var db = TestCovariances.Gaussian(3, 6, 1e-3, 300 + seed);
            Assert.True(LinearAutoencoder.Loss(sigma, a + da, b + db, r) >= loss - 1e-14);
        }
    }

    [Fact]
    public void Curvature_bound_exceeds_the_largest_finite_difference_Hessian_eigenvalue()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 15);
        var r = AutoencoderPenalty.Uniform(0.1);
        for (int seed = 0; seed < 3; seed++)
        {
            var a = TestCovariances.Gaussian(6, 2, 1, 400 + seed);
            var b = TestCovariances.Gaussian(2, 6, 1, 500 + seed);
            double top = HessianTopEigenvalue(sigma, a, b, r);
            double bound = LinearAutoencoder.CurvatureBound(sigma, a, b, r);
            Assert.True(top <= bound, $"λ_max(H) = {top} > bound {bound}");
            Assert.True(top > 0.1 * bound, $"bound {bound} is loose by more than 10× (λ_max(H) = {top})");
        }
    }

    [Fact]
    public void Shape_and_order_errors_name_the_problem()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 16);
        var ex = Assert.Throws<ArgumentException>(() => LinearAutoencoder.Loss(sigma, Matrix<double>.Build.Dense(6, 2), Matrix<double>.Build.Dense(3, 6)));
        Assert.Contains("A is 6×2", ex.Message);
        Assert.Contains("non-decreasing", Assert.Throws<ArgumentException>(() => LinearAutoencoder.Optimum(sigma, 2, AutoencoderPenalty.PerUnit(0.5, 0.1))).Message);
    }

    private static double HessianTopEigenvalue(Matrix<double> sigma, Matrix<double> a, Matrix<double> b, AutoencoderPenalty r)
    {
        int d = a.RowCount, k = a.ColumnCount, n = 2 * d * k;
        double[] Grad(double[] p)
        {
            var aa = Matrix<double>.Build.DenseOfColumnMajor(d, k, p.AsSpan(0, d * k).ToArray());
            var bb = Matrix<double>.Build.DenseOfColumnMajor(k, d, p.AsSpan(d * k).ToArray());
            var (gA, gB) = LinearAutoencoder.Gradient(sigma, aa, bb, r);
            return [.. gA.ToColumnMajorArray(), .. gB.ToColumnMajorArray()];
        }

        double[] p0 = [.. a.ToColumnMajorArray(), .. b.ToColumnMajorArray()];
        var h = Matrix<double>.Build.Dense(n, n);
        for (int j = 0; j < n; j++)
        {
            var plus = (double[])p0.Clone();
            var minus = (double[])p0.Clone();
            plus[j] += HessianStep;
            minus[j] -= HessianStep;
            var gp = Grad(plus);
            var gm = Grad(minus);
            for (int i = 0; i < n; i++)
            {
                h[i, j] = (gp[i] - gm[i]) / (2 * HessianStep);
            }
        }

        return ((h + h.Transpose()) / 2).Evd(Symmetricity.Symmetric).EigenValues.Max(c => c.Real);
    }
}

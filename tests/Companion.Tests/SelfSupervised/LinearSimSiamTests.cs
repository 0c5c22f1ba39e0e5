using Companion.Numerics;
using Companion.SelfSupervised;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.SelfSupervised;

public class LinearSimSiamTests
{
    private const double FiniteDifferenceStep = 1e-5;
    private const double GradientRelativeTolerance = 1e-6;
    private const double IdentityTolerance = 1e-10;

    private static readonly AugmentationStatistics S = AugmentationStatistics.Sample(5, 40, 3, 0.4, seed: 2).Statistics;

    [Fact]
    public void Trace_form_of_J_equals_the_expectation_over_pairs_of_views()
    {
        // 5.1: with x₁, x₂ drawn independently and uniformly among the m views of a data point, the expectation in
        // eq. (2) is an exact finite average; it must equal eq. (3) with X, X′ of the same views.
        var (s, views) = AugmentationStatistics.Sample(4, 6, 3, 0.7, seed: 5);
        var (w, wp) = Random(3, 4, seed: 6);
        double sum = 0;
        foreach (var v in views)
        {
            for (int a = 0; a < v.ColumnCount; a++)
            {
                for (int b = 0; b < v.ColumnCount; b++)
                {
                    var d = (wp * w * v.Column(a)) - (w * v.Column(b));
                    sum += 0.5 * d.DotProduct(d);
                }
            }
        }

        double expectation = sum / (views.Length * 9);
        Assert.Equal(expectation, LinearSimSiam.J(w, wp, s), IdentityTolerance);
        Assert.Equal(expectation, LinearSimSiam.JFromViews(w, wp, views), IdentityTolerance);
    }

    [Fact]
    public void X_plus_X_prime_is_the_second_moment_of_a_single_view()
    {
        var (s, views) = AugmentationStatistics.Sample(3, 10, 4, 0.3, seed: 8);
        var m = Matrix<double>.Build.Dense(3, 3);
        foreach (var v in views)
        {
            m += v * v.Transpose() / (v.ColumnCount * views.Length);
        }

        Assert.True((m - (s.X + s.XPrime)).FrobeniusNorm() < IdentityTolerance);
    }

    [Fact]
    public void Predictor_flow_is_minus_the_finite_difference_gradient_of_J()
    {
        var (w, wp) = Random(3, 5, seed: 1);
        var fd = FiniteDifference.Gradient(p => LinearSimSiam.J(w, p, S), wp, FiniteDifferenceStep);
        AssertRelative(-fd, LinearSimSiam.PredictorFlow(w, wp, S));
    }

    [Fact]
    public void Encoder_flow_without_stop_gradient_is_minus_the_gradient_of_J()
    {
        var (w, wp) = Random(3, 5, seed: 2);
        var fd = FiniteDifference.Gradient(x => LinearSimSiam.J(x, wp, S), w, FiniteDifferenceStep);
        AssertRelative(-fd, LinearSimSiam.EncoderFlow(SimSiamVariant.NoStopGradient, w, wp, S));
    }

    [Fact]
    public void Encoder_flow_with_stop_gradient_is_minus_the_gradient_with_the_target_frozen()
    {
        var (w, wp) = Random(3, 5, seed: 3);
        var fd = FiniteDifference.Gradient(x => LinearSimSiam.J(x, wp, w, S), w, FiniteDifferenceStep);
        AssertRelative(-fd, LinearSimSiam.EncoderFlow(SimSiamVariant.StopGradient, w, wp, S));
        // and it differs from the full gradient: Stop-Grad changes the dynamics.
        var full = LinearSimSiam.EncoderFlow(SimSiamVariant.NoStopGradient, w, wp, S);
        Assert.True((full - LinearSimSiam.EncoderFlow(SimSiamVariant.StopGradient, w, wp, S)).FrobeniusNorm() > 0.1 * full.FrobeniusNorm());
    }

    [Fact]
    public void Encoder_flow_without_predictor_is_minus_the_gradient_of_J_at_Wp_identity()
    {
        var (w, _) = Random(3, 5, seed: 4);
        var identity = Matrix<double>.Build.DenseIdentity(3);
        var fd = FiniteDifference.Gradient(x => LinearSimSiam.J(x, identity, S), w, FiniteDifferenceStep);
        AssertRelative(-fd, LinearSimSiam.EncoderFlow(SimSiamVariant.NoStopGradientNoPredictor, w, Matrix<double>.Build.Dense(3, 3), S));
    }

    [Fact]
    public void MathNet_Kronecker_product_satisfies_the_vec_trick()
    {
        var (a, _) = Random(3, 4, seed: 9);
        var (x, _) = Random(4, 2, seed: 10);
        var (b, _) = Random(2, 5, seed: 11);
        var lhs = LinearSimSiam.Vec(a * x * b);
        var rhs = b.Transpose().KroneckerProduct(a) * LinearSimSiam.Vec(x);
        Assert.True((lhs - rhs).L2Norm() < IdentityTolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Kronecker_form_equals_the_matrix_form_of_the_flow(int seed)
    {
        // 5.3: vec(Ẇ) = −H vec(W), H from Kronecker products, Ẇ from the expanded gradient: two computations.
        var (w, wp) = Random(3, 5, seed);
        var lhs = LinearSimSiam.Vec(LinearSimSiam.EncoderFlow(SimSiamVariant.NoStopGradient, w, wp, S));
        var rhs = -LinearSimSiam.H(wp, S) * LinearSimSiam.Vec(w);
        Assert.True((lhs - rhs).L2Norm() < IdentityTolerance * (1 + lhs.L2Norm()));
    }

    [Fact]
    public void Without_predictor_H_is_two_X_prime_kron_identity()
    {
        // 5.4
        var identity = Matrix<double>.Build.DenseIdentity(3);
        var h = LinearSimSiam.H(identity, S);
        Assert.True((h - S.XPrime.KroneckerProduct(2 * identity)).FrobeniusNorm() < IdentityTolerance);
        Assert.Equal(LinearSimSiam.Lambda0(SimSiamVariant.NoStopGradientNoPredictor, S), LinearSimSiam.LambdaMin(h), IdentityTolerance);
    }

    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(2, 1.0)]
    [InlineData(3, 5.0)]
    public void H_is_symmetric_positive_definite_with_lambda_min_at_least_lambda0(int seed, double scale)
    {
        var (_, wp) = Random(3, 5, seed);
        var h = LinearSimSiam.H(scale * wp, S);
        Assert.True((h - h.Transpose()).FrobeniusNorm() < IdentityTolerance);
        double lambda0 = LinearSimSiam.Lambda0(SimSiamVariant.NoStopGradient, S);
        Assert.True(lambda0 > 0, "X′ is positive definite for this augmentation");
        Assert.True(LinearSimSiam.LambdaMin(h) >= lambda0 * (1 - IdentityTolerance), $"λ_min(H) = {LinearSimSiam.LambdaMin(h)} < λ₀ = {lambda0}");
    }

    [Fact]
    public void H_is_only_semi_definite_when_X_prime_is_singular()
    {
        // An augmentation that never moves the first coordinate: X′ has a zero eigenvalue and so does H at Wp = I.
        var xPrime = S.XPrime.Clone();
        xPrime.ClearRow(0);
        xPrime.ClearColumn(0);
        var h = LinearSimSiam.H(Matrix<double>.Build.DenseIdentity(3), S with { XPrime = xPrime });
        Assert.True(Math.Abs(LinearSimSiam.LambdaMin(h)) < IdentityTolerance);
    }

    [Fact]
    public void Wrong_shapes_are_rejected_with_the_shapes_in_the_message()
    {
        var e = Assert.Throws<ArgumentException>(() => LinearSimSiam.J(Matrix<double>.Build.Dense(3, 4), Matrix<double>.Build.Dense(3, 3), S));
        Assert.Contains("W must be n2×n1 (n1 = 5) but is 3×4", e.Message);
        e = Assert.Throws<ArgumentException>(() => LinearSimSiam.PredictorFlow(Matrix<double>.Build.Dense(3, 5), Matrix<double>.Build.Dense(2, 3), S));
        Assert.Contains("Wp must be n2×n2 (3×3) but is 2×3", e.Message);
        Assert.Throws<ArgumentException>(() => LinearSimSiam.Lambda0(SimSiamVariant.StopGradient, S));
    }

    private static (Matrix<double> A, Matrix<double> B) Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        return (Matrix<double>.Build.Dense(rows, cols, (_, _) => Normal.Sample(rng, 0, 1)),
                Matrix<double>.Build.Dense(rows, rows, (_, _) => Normal.Sample(rng, 0, 1)));
    }

    private static void AssertRelative(Matrix<double> expected, Matrix<double> actual)
    {
        double rel = (expected - actual).FrobeniusNorm() / expected.FrobeniusNorm();
        Assert.True(rel < GradientRelativeTolerance, $"relative error {rel}");
    }
}

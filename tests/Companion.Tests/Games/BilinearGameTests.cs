using Complex = System.Numerics.Complex;
using Companion.Games;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Games;

/// <summary>
/// V(d, g) = d·g under four gradient methods (seed 002_6d1f8bd69ec35d2c.txt, Question 4), checked against closed
/// forms, matrix powers, a step-by-step re-implementation from the gradient, a conserved quantity and measured rates.
/// </summary>
public class BilinearGameTests
{
    private const double EigenTolerance = 1e-12;
    private const double NormGrowthRelTolerance = 1e-10;
    private const double TrajectoryTolerance = 1e-12;
    private const double InvariantRelTolerance = 1e-11;
    private const double RateRelTolerance = 1e-8;

    private static readonly double[] Alphas = [0.05, 0.1, 0.2, 0.45];
    private static readonly GdaMethod[] Methods = Enum.GetValues<GdaMethod>();

    private static void AssertComplexSetsEqual(Complex[] expected, Complex[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        foreach (var e in expected)
        {
            Assert.Contains(actual, a => (a - e).Magnitude < EigenTolerance);
        }
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.2)]
    [InlineData(1.5)]
    public void Eigenvalues_match_their_closed_forms(double alpha)
    {
        double a2 = alpha * alpha;
        AssertComplexSetsEqual([new(1, alpha), new(1, -alpha)], BilinearGame.Eigenvalues(GdaMethod.Simultaneous, alpha));
        double w = alpha * Math.Sqrt(1 - a2 / 4);
        AssertComplexSetsEqual([new(1 - a2 / 2, w), new(1 - a2 / 2, -w)], BilinearGame.Eigenvalues(GdaMethod.Alternating, alpha));
        AssertComplexSetsEqual([new(1 - a2, alpha), new(1 - a2, -alpha)], BilinearGame.Eigenvalues(GdaMethod.Extragradient, alpha));
        // Optimistic: λ² − (1 + 2αb)λ + αb = 0 for each eigenvalue b = ±i of B.
        var optimistic = new List<Complex>();
        foreach (var b in new[] { Complex.ImaginaryOne, -Complex.ImaginaryOne })
        {
            var root = Complex.Sqrt((1 + 2 * alpha * b) * (1 + 2 * alpha * b) - 4 * alpha * b);
            optimistic.Add((1 + 2 * alpha * b + root) / 2);
            optimistic.Add((1 + 2 * alpha * b - root) / 2);
        }
        AssertComplexSetsEqual([.. optimistic], BilinearGame.Eigenvalues(GdaMethod.Optimistic, alpha));
    }

    [Fact]
    public void Eigenvalues_come_largest_modulus_first()
    {
        var l = BilinearGame.Eigenvalues(GdaMethod.Optimistic, 0.1);
        Assert.True(l[0].Magnitude >= l[^1].Magnitude);
        Assert.True(l[0].Imaginary > 0);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.2)]
    [InlineData(0.45)]
    public void Spectral_radii_match_their_closed_forms(double alpha)
    {
        double a2 = alpha * alpha;
        Assert.Equal(Math.Sqrt(1 + a2), BilinearGame.SpectralRadius(GdaMethod.Simultaneous, alpha), EigenTolerance);
        Assert.Equal(1.0, BilinearGame.SpectralRadius(GdaMethod.Alternating, alpha), EigenTolerance);
        Assert.Equal(Math.Sqrt(1 - a2 + a2 * a2), BilinearGame.SpectralRadius(GdaMethod.Extragradient, alpha), EigenTolerance);
        Assert.Equal(Math.Sqrt((1 + Math.Sqrt(1 - 4 * a2)) / 2), BilinearGame.SpectralRadius(GdaMethod.Optimistic, alpha), EigenTolerance);
        Assert.True(BilinearGame.SpectralRadius(GdaMethod.Simultaneous, alpha) > 1);
        Assert.True(BilinearGame.SpectralRadius(GdaMethod.Extragradient, alpha) < 1);
        Assert.True(BilinearGame.SpectralRadius(GdaMethod.Optimistic, alpha) < 1);
    }

    [Fact]
    public void Alternating_becomes_unstable_beyond_alpha_two()
    {
        // α = 2.5: trace 2 − α² = −4.25, det 1, so λ = (−4.25 ± 3.75)/2 = −0.25 and −4.
        AssertComplexSetsEqual([new(-4, 0), new(-0.25, 0)], BilinearGame.Eigenvalues(GdaMethod.Alternating, 2.5));
        Assert.Equal(4.0, BilinearGame.SpectralRadius(GdaMethod.Alternating, 2.5), EigenTolerance);
    }

    [Fact]
    public void Simultaneous_update_matrix_is_the_one_of_the_homework()
    {
        const double alpha = 0.3;
        var expected = Matrix<double>.Build.DenseOfArray(new[,] { { 1, alpha }, { -alpha, 1 } });
        Assert.Equal(expected, BilinearGame.UpdateMatrix(GdaMethod.Simultaneous, alpha));
        // …and √(1+α²) times a rotation: AᵀA = (1+α²) I.
        var a = BilinearGame.UpdateMatrix(GdaMethod.Simultaneous, alpha);
        var gram = a.TransposeThisAndMultiply(a);
        Assert.True((gram - (1 + alpha * alpha) * Matrix<double>.Build.DenseIdentity(2)).InfinityNorm() < EigenTolerance);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.2)]
    public void Simultaneous_norm_grows_exactly_like_one_plus_alpha_squared_to_the_half_k(double alpha)
    {
        const int steps = 500;
        var t = BilinearGame.Trajectory(GdaMethod.Simultaneous, alpha, 1.0, 1.0, steps);
        for (int k = 0; k <= steps; k++)
        {
            double predicted = Math.Pow(1 + alpha * alpha, k / 2.0) * Math.Sqrt(2);
            Assert.True(Math.Abs(t.Norm[k] / predicted - 1) < NormGrowthRelTolerance,
                $"k = {k}: ‖x_k‖ = {t.Norm[k]} but (1+α²)^(k/2)‖x_0‖ = {predicted}");
        }
        Assert.Equal(t.Norm, BilinearGame.SimultaneousNorm(alpha, 1.0, 1.0, steps), (a, b) => Math.Abs(a / b - 1) < NormGrowthRelTolerance);
    }

    [Fact]
    public void Trajectories_equal_repeated_products_with_the_update_matrix()
    {
        const int steps = 60;
        const double d0 = 0.7, g0 = -1.3;
        foreach (var method in Methods)
        {
            foreach (var alpha in Alphas)
            {
                var t = BilinearGame.Trajectory(method, alpha, d0, g0, steps);
                var m = BilinearGame.UpdateMatrix(method, alpha);
                // Optimistic runs on (d_k, g_k, d_{k−1}, g_{k−1}) starting from x_{−1} = x_0.
                var z = m.RowCount == 4 ? Vector<double>.Build.Dense([d0, g0, d0, g0]) : Vector<double>.Build.Dense([d0, g0]);
                for (int k = 0; k <= steps; k++)
                {
                    Assert.Equal(z[0], t.D[k], TrajectoryTolerance);
                    Assert.Equal(z[1], t.G[k], TrajectoryTolerance);
                    z = m * z;
                }
                Assert.Equal(steps, t.Steps);
                Assert.Equal(Enumerable.Range(0, steps + 1).Select(k => (double)k), t.K);
            }
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.4)]
    public void Extragradient_and_optimistic_matrices_agree_with_steps_written_from_the_gradient(double alpha)
    {
        // Independent re-implementation of one step in terms of F(x) = (∂V/∂d, −∂V/∂g) = (g, −d).
        static (double, double) F(double d, double g) => (g, -d);
        var rnd = new Random(3);
        var eg = BilinearGame.UpdateMatrix(GdaMethod.Extragradient, alpha);
        var og = BilinearGame.UpdateMatrix(GdaMethod.Optimistic, alpha);
        for (int trial = 0; trial < 20; trial++)
        {
            double d = rnd.NextDouble() * 4 - 2, g = rnd.NextDouble() * 4 - 2, dp = rnd.NextDouble() * 4 - 2, gp = rnd.NextDouble() * 4 - 2;

            var (fd, fg) = F(d, g);
            var (hd, hg) = F(d + alpha * fd, g + alpha * fg);  // gradient at the extrapolated point
            var egStep = eg * Vector<double>.Build.Dense([d, g]);
            Assert.Equal(d + alpha * hd, egStep[0], TrajectoryTolerance);
            Assert.Equal(g + alpha * hg, egStep[1], TrajectoryTolerance);

            var (pd, pg) = F(dp, gp);
            var ogStep = og * Vector<double>.Build.Dense([d, g, dp, gp]);
            Assert.Equal(d + 2 * alpha * fd - alpha * pd, ogStep[0], TrajectoryTolerance);
            Assert.Equal(g + 2 * alpha * fg - alpha * pg, ogStep[1], TrajectoryTolerance);
            Assert.Equal(d, ogStep[2]);
            Assert.Equal(g, ogStep[3]);
        }
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.2)]
    [InlineData(1.0)]
    public void Alternating_conserves_d2_plus_alpha_dg_plus_g2_and_stays_bounded(double alpha)
    {
        const int steps = 5000;
        var t = BilinearGame.Trajectory(GdaMethod.Alternating, alpha, 1.0, 1.0, steps);
        double q0 = BilinearGame.AlternatingInvariant(alpha, 1.0, 1.0);
        Assert.Equal(1 + alpha + 1, q0);
        for (int k = 0; k <= steps; k++)
        {
            double q = BilinearGame.AlternatingInvariant(alpha, t.D[k], t.G[k]);
            Assert.True(Math.Abs(q / q0 - 1) < InvariantRelTolerance, $"k = {k}: Q = {q}, Q_0 = {q0}");
        }
        // (1 − α/2)‖x‖² ≤ Q ≤ (1 + α/2)‖x‖² pins the norm between two constants.
        double upper = Math.Sqrt(q0 / (1 - alpha / 2)), lower = Math.Sqrt(q0 / (1 + alpha / 2));
        Assert.All(t.Norm, n => Assert.InRange(n, lower * (1 - 1e-9), upper * (1 + 1e-9)));
        // The invariant form S = [[1, α/2], [α/2, 1]] satisfies Mᵀ S M = S.
        var m = BilinearGame.UpdateMatrix(GdaMethod.Alternating, alpha);
        var s = Matrix<double>.Build.DenseOfArray(new[,] { { 1, alpha / 2 }, { alpha / 2, 1 } });
        Assert.True((m.Transpose() * s * m - s).InfinityNorm() < EigenTolerance);
    }

    [Fact]
    public void Alternating_does_not_conserve_the_form_with_the_opposite_sign()
    {
        // d² − α d g + g² is what a generator-first update would conserve; with d first it drifts.
        const double alpha = 0.1;
        var t = BilinearGame.Trajectory(GdaMethod.Alternating, alpha, 1.0, 1.0, 100);
        double Wrong(int k) => t.D[k] * t.D[k] - alpha * t.D[k] * t.G[k] + t.G[k] * t.G[k];
        double spread = Enumerable.Range(0, 101).Max(Wrong) - Enumerable.Range(0, 101).Min(Wrong);
        Assert.True(spread > 0.1, $"d² − αdg + g² varied by only {spread}");
    }

    [Theory]
    [InlineData(GdaMethod.Extragradient)]
    [InlineData(GdaMethod.Optimistic)]
    public void Extragradient_and_optimistic_converge_at_the_rate_of_their_spectral_radius(GdaMethod method)
    {
        const double alpha = 0.1;
        const int steps = 2000;
        var t = BilinearGame.Trajectory(method, alpha, 1.0, 1.0, steps);
        Assert.True(t.Norm[steps] < 1e-3, $"{method}: ‖x_2000‖ = {t.Norm[steps]}");
        Assert.True(t.Norm[steps] < t.Norm[0]);
        // Measured contraction per step over the second half vs ρ (the other modes have died out by then).
        double measured = Math.Pow(t.Norm[steps] / t.Norm[steps / 2], 1.0 / (steps / 2));
        double rho = BilinearGame.SpectralRadius(method, alpha);
        Assert.True(Math.Abs(measured / rho - 1) < RateRelTolerance, $"{method}: measured rate {measured}, ρ = {rho}");
    }

    [Fact]
    public void Simultaneous_diverges_at_the_rate_of_its_spectral_radius_not_rotating_on_a_circle()
    {
        var t = BilinearGame.Trajectory(GdaMethod.Simultaneous, 0.1, 1.0, 1.0, 1000);
        Assert.True(t.Norm[1000] > 100 * t.Norm[0]);
        double measured = Math.Pow(t.Norm[1000] / t.Norm[500], 1.0 / 500);
        Assert.Equal(BilinearGame.SpectralRadius(GdaMethod.Simultaneous, 0.1), measured, 1e-10);
    }

    [Fact]
    public void The_stationary_point_is_the_origin_for_every_method()
    {
        foreach (var method in Methods)
        {
            var (d, g) = BilinearGame.StationaryPoint(method, 0.1);
            Assert.Equal(0.0, d, EigenTolerance);
            Assert.Equal(0.0, g, EigenTolerance);
            // It is a fixed point of the map and a zero of ∇V.
            var t = BilinearGame.Trajectory(method, 0.1, d, g, 5);
            Assert.All(t.Norm, n => Assert.Equal(0.0, n));
            Assert.Equal((0.0, 0.0), BilinearGame.Gradient(d, g));
            // …and the only one: M − I has full rank.
            var m = BilinearGame.UpdateMatrix(method, 0.1);
            Assert.Equal(m.RowCount, (m - Matrix<double>.Build.DenseIdentity(m.RowCount)).Rank());
        }
    }

    [Fact]
    public void Gradient_matches_central_finite_differences_of_V()
    {
        const double h = 1e-6, tolerance = 1e-8;
        foreach (var (d, g) in new[] { (0.3, -1.2), (2.0, 0.5), (-1.0, -1.0) })
        {
            var (vd, vg) = BilinearGame.Gradient(d, g);
            Assert.Equal((BilinearGame.Value(d + h, g) - BilinearGame.Value(d - h, g)) / (2 * h), vd, tolerance);
            Assert.Equal((BilinearGame.Value(d, g + h) - BilinearGame.Value(d, g - h)) / (2 * h), vg, tolerance);
        }
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_message()
    {
        var e = Assert.Throws<ArgumentException>(() => BilinearGame.UpdateMatrix(GdaMethod.Simultaneous, 0));
        Assert.Contains("learning rate α must be positive", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => BilinearGame.Trajectory(GdaMethod.Simultaneous, double.NaN, 1, 1, 10));
        Assert.Throws<ArgumentException>(() => BilinearGame.Trajectory(GdaMethod.Simultaneous, 0.1, 1, 1, -1));
        Assert.Throws<ArgumentException>(() => BilinearGame.Trajectory(GdaMethod.Simultaneous, 0.1, double.NaN, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BilinearGame.UpdateMatrix((GdaMethod)42, 0.1));
    }
}

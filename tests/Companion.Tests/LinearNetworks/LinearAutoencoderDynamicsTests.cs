using Companion.LinearNetworks;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class LinearAutoencoderDynamicsTests
{
    private const double ConvergedLossTolerance = 1e-8;
    private const double ConservationTolerance = 1e-6;
    private const double EquivarianceTolerance = 1e-6;
    private const double DescentVsFlowTolerance = 2e-2;
    private static readonly double[] Spectrum = [5, 3, 2, 1, 0.5, 0.2];

    [Fact]
    public void Gradient_descent_from_a_small_initialisation_reaches_the_Eckart_Young_value_and_AB_equals_UkUkT()
    {
        var (sigma, q) = TestCovariances.WithSpectrum(Spectrum, seed: 1);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(6, 2, 0.01, seed: 2);
        double eta = 1 / LinearAutoencoder.CurvatureBound(sigma, a0, b0);
        var run = LinearAutoencoderDynamics.GradientDescent(sigma, a0, b0, eta, 3000);
        Assert.Equal(0.2 + 0.5 + 1 + 2, run.Loss[^1], ConvergedLossTolerance);
        var uk = q.SubMatrix(0, 6, 0, 2); // planted top-2 eigenvectors, independent of the eigen-solver
        Assert.True((run.Product()[^1] - (uk * uk.Transpose())).FrobeniusNorm() < 1e-6);
        Assert.Equal(3000, run.Steps[^1]);
        Assert.Equal(3000 * eta, run.T[^1], 1e-12);
    }

    [Fact]
    public void Gradient_flow_conserves_AtA_minus_BBt_without_penalty()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 3);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(6, 3, 1, seed: 4);
        var run = LinearAutoencoderDynamics.GradientFlow(sigma, a0, b0, 5, samples: 20);
        var c0 = (a0.Transpose() * a0) - (b0 * b0.Transpose());
        var c1 = (run.A[^1].Transpose() * run.A[^1]) - (run.B[^1] * run.B[^1].Transpose());
        Assert.True((c1 - c0).FrobeniusNorm() < ConservationTolerance * c0.FrobeniusNorm());
        Assert.True(run.Loss[^1] < run.Loss[0]);
    }

    [Fact]
    public void Flow_from_rotated_initialisation_is_the_rotated_flow()
    {
        // Part 3, hint 2: (A₀O, OᵀB₀) ↦ (A(t)O, OᵀB(t)) for orthogonal O (and the uniform penalty keeps it).
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 5);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(6, 2, 1, seed: 6);
        var o = TestCovariances.RandomOrthogonal(2, 7);
        foreach (var r in new[] { AutoencoderPenalty.None, AutoencoderPenalty.Uniform(0.1) })
        {
            var run = LinearAutoencoderDynamics.GradientFlow(sigma, a0, b0, 3, samples: 6, penalty: r);
            var rot = LinearAutoencoderDynamics.GradientFlow(sigma, a0 * o, o.Transpose() * b0, 3, samples: 6, penalty: r);
            for (int i = 0; i < run.T.Length; i++)
            {
                Assert.True((rot.A[i] - (run.A[i] * o)).FrobeniusNorm() < EquivarianceTolerance * run.A[i].FrobeniusNorm());
                Assert.True((rot.B[i] - (o.Transpose() * run.B[i])).FrobeniusNorm() < EquivarianceTolerance * run.B[i].FrobeniusNorm());
            }
        }
    }

    [Fact]
    public void Gradient_descent_with_a_small_step_follows_the_flow()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 8);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(6, 2, 0.5, seed: 9);
        var flow = LinearAutoencoderDynamics.GradientFlow(sigma, a0, b0, 2, samples: 1);
        var gd = LinearAutoencoderDynamics.GradientDescent(sigma, a0, b0, 1e-4, 20000, recordEvery: 20000);
        Assert.True((gd.A[^1] - flow.A[^1]).FrobeniusNorm() < DescentVsFlowTolerance * flow.A[^1].FrobeniusNorm());
    }

    [Fact]
    public void Uniform_penalty_flow_reaches_the_closed_form_loss_and_balances_the_factors()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 10);
        var r = AutoencoderPenalty.Uniform(0.3);
        var (_, _, best) = LinearAutoencoder.Optimum(sigma, 2, r);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(6, 2, 1, seed: 11);
        var run = LinearAutoencoderDynamics.GradientFlow(sigma, a0, b0, 40, samples: 4, penalty: r);
        Assert.Equal(best, run.Loss[^1], 1e-7);
        var a = run.A[^1];
        var b = run.B[^1];
        Assert.True(((a.Transpose() * a) - (b * b.Transpose())).FrobeniusNorm() < 1e-6);
    }

    [Fact]
    public void Too_large_a_step_reports_divergence()
    {
        var (sigma, _) = TestCovariances.WithSpectrum(Spectrum, seed: 12);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(6, 2, 1, seed: 13);
        double eta = 20 / LinearAutoencoder.CurvatureBound(sigma, a0, b0);
        var ex = Assert.Throws<InvalidOperationException>(() => LinearAutoencoderDynamics.GradientDescent(sigma, a0, b0, eta, 2000));
        Assert.Contains("diverged", ex.Message);
    }
}

public class LinearAutoencoderDescentStepTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Each_recorded_step_is_the_previous_point_minus_eta_times_the_reference_gradient()
    {
        var (sigma, _) = TestCovariances.WithSpectrum([5, 3, 2, 1], seed: 1);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(4, 2, 0.5, seed: 2);
        var r = AutoencoderPenalty.PerUnit(0.1, 0.3);
        var run = LinearAutoencoderDynamics.GradientDescent(sigma, a0, b0, 0.01, 3, r, recordEvery: 1);
        for (int n = 1; n <= 3; n++)
        {
            var (gA, gB) = LinearAutoencoder.Gradient(sigma, run.A[n - 1], run.B[n - 1], r);
            Assert.True((run.A[n] - (run.A[n - 1] - (0.01 * gA))).FrobeniusNorm() < Tolerance);
            Assert.True((run.B[n] - (run.B[n - 1] - (0.01 * gB))).FrobeniusNorm() < Tolerance);
            var (hA, hB) = LinearAutoencoder.Gradient(sigma, run.A[n], run.B[n], r);
            Assert.Equal(Math.Sqrt(Math.Pow(hA.FrobeniusNorm(), 2) + Math.Pow(hB.FrobeniusNorm(), 2)), run.GradientNorm[n], Tolerance);
        }
    }
}

public class LinearAutoencoderAdaptiveDescentTests
{
    [Fact]
    public void Adaptive_descent_from_N01_reaches_the_minimum_and_its_time_axis_is_the_sum_of_steps()
    {
        var (sigma, q) = TestCovariances.WithSpectrum([4, 3, 2, 1.5, 1, 0.8], seed: 1);
        var (a0, b0) = LinearAutoencoderDynamics.InitialWeights(6, 2, 1, seed: 2);
        var run = LinearAutoencoderDynamics.GradientDescentAdaptive(sigma, a0, b0, 1, 20000, recordEvery: 100, stopAtGradientNorm: 1e-8);
        var uk = q.SubMatrix(0, 6, 0, 2);
        Assert.True((run.Product()[^1] - (uk * uk.Transpose())).FrobeniusNorm() < 1e-6);
        // the first 100 steps use the step of the start exactly
        Assert.Equal(100 / LinearAutoencoder.CurvatureBound(sigma, a0, b0), run.T[1], 1e-12);
        Assert.True(run.T.Zip(run.T.Skip(1), (x, y) => y > x).All(b => b));
    }
}

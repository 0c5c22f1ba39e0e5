using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Numerics;

public class OdeIntegratorTests
{
    // With rtol = 1e-9 the global error over a few time constants / periods stays well below this.
    private const double SolutionTolerance = 1e-7;

    private static readonly OdeOptions Tight = new(RelativeTolerance: 1e-9, AbsoluteTolerance: 1e-12);

    [Fact]
    public void Exponential_decay_matches_the_closed_form()
    {
        const double k = 2.0;
        var sol = OdeIntegrator.DormandPrince((_, y) => [-k * y[0]], [3.0], 0, 5, Tight);
        Assert.Equal(0, sol.T[0]);
        Assert.Equal(5, sol.T[^1]);
        for (int i = 0; i < sol.T.Length; i++)
        {
            double exact = 3.0 * Math.Exp(-k * sol.T[i]);
            Assert.True(Math.Abs(sol.Y[i][0] - exact) <= SolutionTolerance * 3.0, $"t = {sol.T[i]}: {sol.Y[i][0]} vs {exact}");
        }
    }

    [Fact]
    public void Harmonic_oscillator_matches_the_closed_form_over_several_periods()
    {
        const double omega = 3.0;
        var sol = OdeIntegrator.DormandPrince((_, y) => [y[1], -omega * omega * y[0]], [1.0, 0.0], 0, 20, Tight);
        for (int i = 0; i < sol.T.Length; i++)
        {
            double t = sol.T[i];
            Assert.True(Math.Abs(sol.Y[i][0] - Math.Cos(omega * t)) < SolutionTolerance, $"x at t = {t}");
            Assert.True(Math.Abs(sol.Y[i][1] + (omega * Math.Sin(omega * t))) < SolutionTolerance * omega, $"v at t = {t}");
        }
    }

    [Fact]
    public void Linear_system_matches_the_matrix_exponential_from_the_eigen_decomposition()
    {
        // A = −(B Bᵀ + 0.1 I) is symmetric negative definite: exp(At) = V exp(Λt) Vᵀ.
        var rng = new Random(3);
        var b = Matrix<double>.Build.Dense(4, 4, (_, _) => rng.NextDouble() - 0.5);
        var a = -((b * b.Transpose()) + (0.1 * Matrix<double>.Build.DenseIdentity(4)));
        var y0 = Vector<double>.Build.Dense([1.0, -2.0, 0.5, 1.5]);
        var evd = a.Evd(Symmetricity.Symmetric);
        var times = new[] { 0.5, 1.0, 2.0, 4.0 };
        var sol = OdeIntegrator.DormandPrince((_, y) => (a * Vector<double>.Build.Dense(y)).ToArray(), y0.ToArray(), 0, 4, Tight, times);
        Assert.Equal(new[] { 0.0, 0.5, 1.0, 2.0, 4.0 }, sol.T);
        for (int i = 0; i < sol.T.Length; i++)
        {
            var expLambda = Matrix<double>.Build.DenseOfDiagonalVector(evd.EigenValues.Map(l => Math.Exp(l.Real * sol.T[i])));
            var exact = evd.EigenVectors * expLambda * evd.EigenVectors.Transpose() * y0;
            double error = (Vector<double>.Build.Dense(sol.Y[i]) - exact).L2Norm();
            Assert.True(error < SolutionTolerance * y0.L2Norm(), $"t = {sol.T[i]}: error {error}");
        }
    }

    [Fact]
    public void Tighter_tolerance_gives_a_proportionally_smaller_error()
    {
        double Error(double rtol)
        {
            var sol = OdeIntegrator.DormandPrince((_, y) => [y[1], -y[0]], [1.0, 0.0], 0, 10, new OdeOptions(rtol, rtol * 1e-3));
            return Math.Abs(sol.Y[^1][0] - Math.Cos(10));
        }

        double loose = Error(1e-5), tight = Error(1e-10);
        Assert.True(loose < 1e-3, $"rtol 1e-5 gave error {loose}");
        Assert.True(tight < loose / 1e3, $"rtol 1e-10 gave {tight}, rtol 1e-5 gave {loose}");
    }

    [Fact]
    public void Step_size_adapts_to_a_slowly_decaying_solution()
    {
        // y' = −y on [0, 60]: the solution flattens, steps grow; a fixed step accurate at t = 0 would need thousands.
        var sol = OdeIntegrator.DormandPrince((_, y) => [-y[0]], [1.0], 0, 60, new OdeOptions(1e-8, 1e-12));
        Assert.True(sol.AcceptedSteps < 400, $"{sol.AcceptedSteps} steps");
        Assert.True(sol.T[^1] - sol.T[^2] > 10 * sol.T[1], "the last step should be much longer than the first");
        Assert.Equal(sol.AcceptedSteps + sol.RejectedSteps, (sol.Evaluations - 2) / 6);
    }

    [Fact]
    public void Blow_up_is_reported_with_a_clear_error()
    {
        // y' = y², y(0) = 1 has y = 1/(1 − t): it blows up at t = 1.
        var e = Assert.Throws<InvalidOperationException>(() => OdeIntegrator.DormandPrince((_, y) => [y[0] * y[0]], [1.0], 0, 2));
        Assert.Matches("t = 0\\.99|t = 1", e.Message);
    }

    [Fact]
    public void Nan_from_the_right_hand_side_is_reported()
    {
        // y' = −1/sqrt(y) reaches y = 0 at t = 2/3 and sqrt of a negative number is NaN.
        var e = Assert.Throws<InvalidOperationException>(() => OdeIntegrator.DormandPrince((_, y) => [-1 / Math.Sqrt(y[0])], [1.0], 0, 1));
        Assert.True(e.Message.Contains("non-finite") || e.Message.Contains("underflow"), e.Message);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => OdeIntegrator.DormandPrince((_, y) => y, [1.0], 1, 1));
        Assert.Throws<ArgumentException>(() => OdeIntegrator.DormandPrince((_, y) => y, [double.NaN], 0, 1));
        Assert.Throws<ArgumentException>(() => OdeIntegrator.DormandPrince((_, y) => y, [1.0], 0, 1, new OdeOptions(RelativeTolerance: 0)));
        var e = Assert.Throws<ArgumentException>(() => OdeIntegrator.DormandPrince((_, y) => y, [1.0], 0, 1, null, [0.5, 0.4]));
        Assert.Contains("increase", e.Message);
        Assert.Throws<ArgumentException>(() => OdeIntegrator.DormandPrince((_, _) => [1.0, 2.0], [1.0], 0, 1));
    }
}

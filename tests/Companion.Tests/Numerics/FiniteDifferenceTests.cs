using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.Numerics;

public class FiniteDifferenceTests
{
    private const double Tolerance = 1e-8;

    [Fact]
    public void Gradient_of_a_trace_quadratic_matches_the_closed_form()
    {
        // f(A) = tr(Aᵀ B A C) has ∇f = Bᵀ A Cᵀ + B A C.
        var rng = new Random(1);
        var a = Matrix<double>.Build.Dense(3, 2, (_, _) => rng.NextDouble() - 0.5);
        var b = Matrix<double>.Build.Dense(3, 3, (_, _) => rng.NextDouble() - 0.5);
        var c = Matrix<double>.Build.Dense(2, 2, (_, _) => rng.NextDouble() - 0.5);
        var fd = FiniteDifference.Gradient(x => (x.Transpose() * b * x * c).Trace(), a);
        var exact = (b.Transpose() * a * c.Transpose()) + (b * a * c);
        Assert.True(FiniteDifference.RelativeError(fd, exact) < Tolerance);
    }

    [Fact]
    public void Non_positive_step_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => FiniteDifference.Gradient(x => x[0, 0], Matrix<double>.Build.Dense(1, 1), 0));
    }
}

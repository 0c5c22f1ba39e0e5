using Companion.LinearNetworks;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class CriticalPointsTests
{
    private const double Identity = 1e-9;
    private const double HessianTolerance = 1e-6;

    private static readonly (Matrix<double> X, Matrix<double> Y) Data = LinearNetworkData.Sample(12, 3, 2, seed: 21);

    private static Matrix<double>[] Zero(int[] widths) =>
        Enumerable.Range(1, widths.Length - 1).Select(i => Matrix<double>.Build.Dense(widths[i], widths[i - 1])).ToArray();

    [Theory]
    [InlineData(new[] { 3, 2, 2 })]
    [InlineData(new[] { 3, 4, 2, 2 })]
    public void Zero_factors_are_critical_but_not_a_global_minimum(int[] widths)
    {
        var (x, y) = Data;
        var zero = Zero(widths);
        Assert.Equal(0, LinearNetwork.GradientNormSquared(zero, x, y));
        double qStar = ProductLoss.Q(ProductLoss.Minimiser(x, y), x, y);
        Assert.True(LinearNetwork.Loss(zero, x, y) > qStar + 1);
    }

    [Fact]
    public void Depth_two_zero_point_has_negative_curvature_minus_two_sigma_along_the_direction()
    {
        var (x, y) = Data;
        int[] widths = [3, 2, 2];
        var zero = Zero(widths);
        var h = CriticalPoints.Hessian(zero, x, y);
        var (dir, sigma) = CriticalPoints.DescentDirectionAtZero(widths, x, y);
        var v = LinearNetwork.Flatten(dir);
        // R̂(tD) = R̂(0) − σ₁t² + O(t⁴), so vᵀHv = −2σ₁.
        Assert.Equal(-2 * sigma, v * h * v, HessianTolerance * sigma);
        double lowest = h.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Min();
        Assert.True(lowest < -sigma / v.DotProduct(v));
        // Eigenvalues of [[0, M],[Mᵀ, 0]]-type Hessians at 0 are ± the singular values of YᵀX: the lowest is −σ₁.
        Assert.Equal(-sigma, lowest, HessianTolerance * sigma);
    }

    [Fact]
    public void Depth_three_zero_point_has_zero_Hessian_and_third_order_descent()
    {
        var (x, y) = Data;
        int[] widths = [3, 2, 2, 2];
        var zero = Zero(widths);
        var h = CriticalPoints.Hessian(zero, x, y);
        Assert.True(h.FrobeniusNorm() < HessianTolerance);
        var (dir, _) = CriticalPoints.DescentDirectionAtZero(widths, x, y);
        var ts = new[] { 0.0, 0.1, 0.3, 0.5, 1.0 };
        var measured = CriticalPoints.LossAlong(zero, dir, ts, x, y);
        var closed = CriticalPoints.LossAlongClosedForm(3, x, y, ts);
        for (int i = 0; i < ts.Length; i++)
        {
            Assert.Equal(closed[i], measured[i], Identity * closed[0]);
        }
        Assert.True(measured[1] < measured[0]);
    }

    [Fact]
    public void Hessian_of_one_layer_is_the_Kronecker_form()
    {
        var (x, y) = Data;
        var w = LinearNetwork.RandomFactors([3, 2], 1, seed: 4);
        var numeric = CriticalPoints.Hessian(w, x, y);
        Assert.True((numeric - ProductLoss.Hessian(x, 2)).FrobeniusNorm() < HessianTolerance * numeric.FrobeniusNorm());
    }
}

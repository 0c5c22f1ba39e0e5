using Companion.LinearNetworks;
using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class DeepLinearNetworkTests
{
    private const double FiniteDifferenceStep = 1e-6;
    private const double GradientRelativeTolerance = 1e-6;
    private const double Tolerance = 1e-10;

    [Theory]
    [InlineData(new[] { 4, 2 })]
    [InlineData(new[] { 4, 3, 2 })]
    [InlineData(new[] { 5, 3, 6, 1 })]
    [InlineData(new[] { 4, 6, 2, 3, 2 })]
    public void Layer_gradients_match_finite_differences_for_non_square_layers(int[] dims)
    {
        // dims = D₀ … D_L: depth L = dims.Length − 1 (1 to 4 here); X is not whitened, so the general G is exercised.
        var x = TestCovariances.Gaussian(dims[0], 12, 1, seed: 1);
        var y = TestCovariances.Gaussian(dims[^1], 12, 1, seed: 2);
        var w = Enumerable.Range(0, dims.Length - 1).Select(l => TestCovariances.Gaussian(dims[l + 1], dims[l], 0.7, 10 + l)).ToArray();
        var grads = DeepLinearNetwork.Gradient(x, y, w);
        for (int l = 0; l < w.Length; l++)
        {
            var fd = FiniteDifference.Gradient(
                m => DeepLinearNetwork.Loss(x, y, w.Select((wl, i) => i == l ? m : wl).ToArray()), w[l], FiniteDifferenceStep);
            Assert.True(FiniteDifference.RelativeError(grads[l], fd) < GradientRelativeTolerance, $"layer {l + 1}");
        }
    }

    [Fact]
    public void Whitened_data_has_identity_input_correlation_and_the_planted_singular_values()
    {
        double[] s = [3, 2, 1];
        var (x, y, u, v) = DeepLinearNetwork.WhitenedData(4, 3, 20, s, seed: 3);
        Assert.True((x * x.Transpose() - Matrix<double>.Build.DenseIdentity(4)).FrobeniusNorm() < Tolerance);
        var sv = (y * x.Transpose()).Svd().S;
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(s[i], sv[i], Tolerance);
        }

        Assert.True((u.Transpose() * y * x.Transpose() * v).Diagonal().Subtract(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(s)).L2Norm() < Tolerance);
    }

    [Fact]
    public void Gradient_flow_lowers_the_loss_to_the_least_squares_value()
    {
        var (x, y, _, _) = DeepLinearNetwork.WhitenedData(3, 2, 10, [2, 1], seed: 4);
        var w0 = new[] { TestCovariances.Gaussian(3, 3, 0.3, 5), TestCovariances.Gaussian(2, 3, 0.3, 6) };
        var run = DeepLinearNetwork.GradientFlow(x, y, w0, 5, [10, 40]);
        Assert.True(run.Loss[1] < run.Loss[0]);
        Assert.True(run.Loss[^1] < 1e-8); // Y = M X exactly, so the least-squares loss is 0.
    }

    [Fact]
    public void Shape_errors_name_the_layer()
    {
        var x = TestCovariances.Gaussian(3, 5, 1, 7);
        var y = TestCovariances.Gaussian(1, 5, 1, 8);
        var ex = Assert.Throws<ArgumentException>(() => DeepLinearNetwork.Loss(x, y, [Matrix<double>.Build.Dense(2, 3), Matrix<double>.Build.Dense(1, 4)]));
        Assert.Contains("W_2 has 4 columns", ex.Message);
    }
}

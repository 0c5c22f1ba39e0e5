using Companion.LinearNetworks;
using Companion.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Tests.LinearNetworks;

public class LinearNetworkTests
{
    private const double Identity = 1e-9;
    private const double FiniteDifferenceStep = 1e-5;
    private const double GradientRelativeTolerance = 1e-7;

    private static readonly (Matrix<double> X, Matrix<double> Y) Data = LinearNetworkData.Sample(15, 4, 3, seed: 11);

    [Fact]
    public void Loss_of_the_factors_equals_Q_of_the_product()
    {
        var (x, y) = Data;
        var w = LinearNetwork.RandomFactors([4, 5, 2, 3], 0.7, seed: 1);
        Assert.Equal(ProductLoss.Q(LinearNetwork.Product(w), x, y), LinearNetwork.Loss(w, x, y), Identity);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Layer_gradients_match_finite_differences(int depth)
    {
        var (x, y) = Data;
        var widths = new[] { 4, 5, 2, 6, 3 }.Take(depth).Append(3).ToArray();
        widths[0] = 4;
        var w = LinearNetwork.RandomFactors(widths, 0.8, seed: depth);
        var g = LinearNetwork.LayerGradients(w, x, y);
        for (int i = 0; i < depth; i++)
        {
            var fd = FiniteDifference.Gradient(m =>
            {
                var copy = w.ToArray();
                copy[i] = m;
                return LinearNetwork.Loss(copy, x, y);
            }, w[i], FiniteDifferenceStep);
            Assert.True(FiniteDifference.RelativeError(g[i], fd) < GradientRelativeTolerance, $"layer {i + 1}");
        }
    }

    [Fact]
    public void Empty_partial_product_is_the_identity()
    {
        var w = LinearNetwork.RandomFactors([4, 5, 3], 1, seed: 2);
        Assert.Equal(Matrix<double>.Build.DenseIdentity(4), LinearNetwork.PartialProduct(w, 0, 1));
        Assert.Equal(Matrix<double>.Build.DenseIdentity(3), LinearNetwork.PartialProduct(w, 2, 3));
        Assert.Equal(w[1] * w[0], LinearNetwork.PartialProduct(w, 2, 1));
    }

    [Fact]
    public void Flatten_and_unflatten_are_inverse()
    {
        var w = LinearNetwork.RandomFactors([4, 5, 3], 1, seed: 3);
        var back = LinearNetwork.Unflatten(LinearNetwork.Flatten(w), [4, 5, 3]);
        Assert.Equal(w[0], back[0]);
        Assert.Equal(w[1], back[1]);
    }

    [Fact]
    public void Factors_that_do_not_chain_are_named()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            LinearNetwork.Product([Matrix<double>.Build.Dense(5, 4), Matrix<double>.Build.Dense(3, 6)]));
        Assert.Contains("W_2", ex.Message);
    }
}

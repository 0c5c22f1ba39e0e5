using Companion.Autoregressive;

namespace Companion.Tests.Autoregressive;

public class MaskedConvolutionTests
{
    private const double AdjointTolerance = 1e-12;
    private const double FiniteDifferenceStep = 1e-5;
    private const double FiniteDifferenceTolerance = 1e-8;

    private static readonly bool[,] AllOnes = { { true, true, true }, { true, true, true }, { true, true, true } };

    [Fact]
    public void One_hot_kernel_shifts_the_map_without_flipping()
    {
        // K[u, v] = 1 at (u, v) = (0, 2) only: y[i, j] = x[i − 1, j + 1] (cross-correlation, zero outside).
        var x = Random5x5(new Random(1));
        var k = new double[3, 3];
        k[0, 2] = 1;
        var y = MaskedConvolution.Forward(x, k, AllOnes);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                double expected = i - 1 >= 0 && j + 1 < 5 ? x[i - 1, j + 1] : 0.0;
                Assert.Equal(expected, y[i, j]);
            }
        }
    }

    [Fact]
    public void Masked_weights_have_no_effect()
    {
        var rng = new Random(2);
        var x = Random5x5(rng);
        var k1 = Random3x3(rng);
        var k2 = (double[,])k1.Clone();
        k2[2, 0] = 100; // below the centre: masked by A and B
        k2[1, 2] = -50; // right of the centre: masked by A and B
        var m = PixelCnnMask.Create(MaskType.B);
        Assert.Equal(MaskedConvolution.Forward(x, k1, m), MaskedConvolution.Forward(x, k2, m));
    }

    [Fact]
    public void Adjoint_satisfies_the_inner_product_identity()
    {
        var rng = new Random(3);
        var x = Random5x5(rng);
        var yBar = Random5x5(rng);
        var k = Random3x3(rng);
        var m = PixelCnnMask.Create(MaskType.A);
        double lhs = Dot(MaskedConvolution.Forward(x, k, m), yBar);
        double rhs = Dot(x, MaskedConvolution.Adjoint(yBar, k, m));
        Assert.True(Math.Abs(lhs - rhs) < AdjointTolerance, $"<Ax, y> = {lhs}, <x, A'y> = {rhs}");
    }

    [Theory]
    [InlineData(MaskType.A, MaskType.B, 2, 2)]
    [InlineData(MaskType.B, MaskType.B, 4, 1)]
    [InlineData(MaskType.B, MaskType.A, 0, 3)]
    public void Backpropagated_gradient_matches_central_finite_differences(MaskType first, MaskType second, int row, int col)
    {
        var rng = new Random(4);
        var (x, kernels) = ReceptiveField.RandomNetwork(3, 5, 5, 3, rng);
        var masks = new[] { PixelCnnMask.Create(first), PixelCnnMask.Create(second), PixelCnnMask.Create(MaskType.B) };
        var g = MaskedConvolution.InputGradient(x, kernels, masks, row, col);
        var fd = MaskedConvolution.InputGradientByFiniteDifferences(x, kernels, masks, row, col, FiniteDifferenceStep);
        for (int a = 0; a < 5; a++)
        {
            for (int b = 0; b < 5; b++)
            {
                Assert.True(Math.Abs(fd[a, b] - g[a, b]) < FiniteDifferenceTolerance, $"pixel ({a},{b}): backprop {g[a, b]}, finite difference {fd[a, b]}");
            }
        }

        Assert.Contains(g.Cast<double>(), v => Math.Abs(v) > 1e-3);
    }

    [Fact]
    public void Mismatched_mask_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => MaskedConvolution.Forward(new double[5, 5], new double[3, 3], new bool[5, 5]));
        Assert.Contains("3×3", e.Message);
    }

    private static double[,] Random5x5(Random rng) => RandomMatrix(rng, 5);

    private static double[,] Random3x3(Random rng) => RandomMatrix(rng, 3);

    private static double[,] RandomMatrix(Random rng, int n)
    {
        var z = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                z[i, j] = (2 * rng.NextDouble()) - 1;
            }
        }

        return z;
    }

    private static double Dot(double[,] a, double[,] b)
    {
        double s = 0;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                s += a[i, j] * b[i, j];
            }
        }

        return s;
    }
}

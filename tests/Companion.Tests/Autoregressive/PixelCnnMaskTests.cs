using Companion.Autoregressive;

namespace Companion.Tests.Autoregressive;

public class PixelCnnMaskTests
{
    [Fact]
    public void Masks_A_and_B_are_the_PixelCNN_masks()
    {
        // Written from the definition: rows above the centre, and the centre row left of (A) / up to (B) the centre.
        var a = new[,] { { 1, 1, 1 }, { 1, 0, 0 }, { 0, 0, 0 } };
        var b = new[,] { { 1, 1, 1 }, { 1, 1, 0 }, { 0, 0, 0 } };
        AssertMask(a, PixelCnnMask.Create(MaskType.A));
        AssertMask(b, PixelCnnMask.Create(MaskType.B));
    }

    [Fact]
    public void A_5x5_mask_B_keeps_half_the_kernel_plus_the_centre()
    {
        var m = PixelCnnMask.Create(MaskType.B, 5);
        Assert.Equal(13, m.Cast<bool>().Count(v => v));
        Assert.True(m[2, 2]);
        Assert.False(m[2, 3]);
        Assert.False(PixelCnnMask.Create(MaskType.A, 5)[2, 2]);
    }

    [Fact]
    public void Even_kernel_size_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => PixelCnnMask.Create(MaskType.A, 4));
        Assert.Contains("odd", e.Message);
    }

    private static void AssertMask(int[,] expected, bool[,] actual)
    {
        for (int u = 0; u < 3; u++)
        {
            for (int v = 0; v < 3; v++)
            {
                Assert.Equal(expected[u, v] == 1, actual[u, v]);
            }
        }
    }
}

using Companion.Data;
using Companion.ImageClassification;

namespace Companion.Tests.ImageClassification;

public class RandomCropFlipTests
{
    private static float[] RandomImage(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, ColourImageSet.Dimension).Select(_ => (float)rng.NextDouble() + 0.5f).ToArray();
    }

    [Fact]
    public void Centre_crop_without_flip_is_the_identity_and_flip_twice_restores()
    {
        var img = RandomImage(1);
        Assert.Equal(img, RandomCropFlip.Apply(img, new CropFlip(4, 4, false), 4));
        var flipped = RandomCropFlip.Apply(img, new CropFlip(4, 4, true), 4);
        Assert.Equal(img, RandomCropFlip.Apply(flipped, new CropFlip(4, 4, true), 4));
        Assert.Equal(img[5 * 32 + 31], flipped[5 * 32 + 0]);
    }

    [Fact]
    public void Offset_crop_shifts_the_image_and_fills_zeros()
    {
        var img = RandomImage(2);
        var shifted = RandomCropFlip.Apply(img, new CropFlip(0, 8, false), 4);   // up 4 (zeros at top), left 4
        for (int c = 0; c < 3; c++)
        {
            for (int r = 0; r < 32; r++)
            {
                for (int x = 0; x < 32; x++)
                {
                    int sr = r - 4, sx = x + 4;
                    float expected = sr >= 0 && sx < 32 ? img[c * 1024 + sr * 32 + sx] : 0f;
                    Assert.Equal(expected, shifted[c * 1024 + r * 32 + x]);
                }
            }
        }
    }

    [Fact]
    public void Draws_cover_every_offset_and_both_flips()
    {
        var draws = RandomCropFlip.Draw(4000, 4, new Random(3));
        Assert.Equal(9, draws.Select(d => d.Top).Distinct().Count());
        Assert.Equal(9, draws.Select(d => d.Left).Distinct().Count());
        Assert.InRange(draws.Count(d => d.Flip) / 4000.0, 0.45, 0.55);
    }
}

using Companion.Data;

namespace Companion.ImageClassification;

/// <summary>One augmentation draw: crop offsets (0…2·padding) and whether to flip.</summary>
/// <param name="Top">Row of the padded image where the crop starts.</param>
/// <param name="Left">Column of the padded image where the crop starts.</param>
/// <param name="Flip">Mirror left-right after cropping.</param>
public readonly record struct CropFlip(int Top, int Left, bool Flip);

/// <summary>
/// The data augmentation of CS189 HW7 Question 4(d), as torchvision's <c>RandomCrop(32, padding=4)</c> followed by
/// <c>RandomHorizontalFlip()</c>: pad each 3×32×32 image with <c>padding</c> zero pixels on every side, cut a 32×32
/// window at a uniform offset (0 … 2·padding in each direction), and mirror it left-right with probability ½.
/// Output pixel (c, r, x) = padded(c, r + Top, x′ + Left) with x′ = 31 − x when flipped, else x.
/// </summary>
public static class RandomCropFlip
{
    /// <summary>Draws one (Top, Left, Flip) per image.</summary>
    public static CropFlip[] Draw(int count, int padding, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        return Enumerable.Range(0, count).Select(_ => new CropFlip(rng.Next(2 * padding + 1), rng.Next(2 * padding + 1), rng.Next(2) == 1)).ToArray();
    }

    /// <summary>Applies one draw to one channel-first 3×32×32 image (3072 values), returning a new image.</summary>
    public static float[] Apply(ReadOnlySpan<float> image, CropFlip draw, int padding)
    {
        const int h = ColourImageSet.Height, w = ColourImageSet.Width, c = ColourImageSet.Channels;
        if (image.Length != ColourImageSet.Dimension)
        {
            throw new ArgumentException($"RandomCropFlip: an image has {ColourImageSet.Dimension} values (3×32×32), got {image.Length}", nameof(image));
        }
        if (draw.Top < 0 || draw.Top > 2 * padding || draw.Left < 0 || draw.Left > 2 * padding)
        {
            throw new ArgumentOutOfRangeException(nameof(draw), $"RandomCropFlip: offsets must be in 0..{2 * padding}, got ({draw.Top}, {draw.Left})");
        }
        var result = new float[ColourImageSet.Dimension];
        for (int ch = 0; ch < c; ch++)
        {
            for (int r = 0; r < h; r++)
            {
                int sr = r + draw.Top - padding;            // row in the unpadded image
                if (sr < 0 || sr >= h)
                {
                    continue;                                 // zero padding
                }
                for (int x = 0; x < w; x++)
                {
                    int xx = draw.Flip ? w - 1 - x : x;
                    int sx = xx + draw.Left - padding;
                    if (sx >= 0 && sx < w)
                    {
                        result[ch * h * w + r * w + x] = image[ch * h * w + sr * w + sx];
                    }
                }
            }
        }
        return result;
    }

    /// <summary>Augments every image of a set with fresh draws (seeded), e.g. once per epoch.</summary>
    public static ColourImageSet Apply(ColourImageSet set, int padding, Random rng)
    {
        ArgumentNullException.ThrowIfNull(set);
        var draws = Draw(set.Count, padding, rng);
        var pixels = new float[set.Pixels.Length];
        for (int i = 0; i < set.Count; i++)
        {
            Apply(set.Pixels.AsSpan(i * ColourImageSet.Dimension, ColourImageSet.Dimension), draws[i], padding)
                .CopyTo(pixels, i * ColourImageSet.Dimension);
        }
        return set with { Pixels = pixels, Source = set.Source + ", augmented (crop 32 pad " + padding + ", flip)" };
    }
}

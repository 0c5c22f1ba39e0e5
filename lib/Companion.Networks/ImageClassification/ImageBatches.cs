using Companion.Data;
using Companion.ImageClassification;
using static TorchSharp.torch;

namespace Companion.Networks.ImageClassification;

/// <summary>Per-channel normalisation statistics of a training set.</summary>
/// <param name="Mean">Mean of each of the 3 channels.</param>
/// <param name="Std">Standard deviation of each channel.</param>
public sealed record ChannelStatistics(float[] Mean, float[] Std)
{
    /// <summary>Means and standard deviations over all images and pixels of <paramref name="set"/>.</summary>
    public static ChannelStatistics Of(ColourImageSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        const int plane = ColourImageSet.Height * ColourImageSet.Width;
        var mean = new float[3];
        var std = new float[3];
        for (int c = 0; c < 3; c++)
        {
            double s = 0, s2 = 0;
            for (int i = 0; i < set.Count; i++)
            {
                int offset = i * ColourImageSet.Dimension + c * plane;
                for (int k = 0; k < plane; k++)
                {
                    double v = set.Pixels[offset + k];
                    s += v;
                    s2 += v * v;
                }
            }
            double n = (double)set.Count * plane;
            mean[c] = (float)(s / n);
            std[c] = (float)Math.Sqrt(Math.Max(1e-12, s2 / n - (s / n) * (s / n)));
        }
        return new ChannelStatistics(mean, std);
    }
}

/// <summary>Turns images into normalised (N, 3, 32, 32) float tensors, optionally augmented with <see cref="RandomCropFlip"/>.</summary>
public static class ImageBatches
{
    /// <summary>Images [start, start + count) of <paramref name="set"/> in the given order, as a normalised tensor.</summary>
    public static Tensor Images(ColourImageSet set, IReadOnlyList<int> order, int start, int count, ChannelStatistics stats,
        Random? augment = null, int padding = 4)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(stats);
        const int plane = ColourImageSet.Height * ColourImageSet.Width;
        var data = new float[count * ColourImageSet.Dimension];
        var draws = augment is null ? null : RandomCropFlip.Draw(count, padding, augment);
        for (int k = 0; k < count; k++)
        {
            var src = set.Pixels.AsSpan(order[start + k] * ColourImageSet.Dimension, ColourImageSet.Dimension);
            var img = draws is null ? src.ToArray() : RandomCropFlip.Apply(src, draws[k], padding);
            for (int c = 0; c < 3; c++)
            {
                for (int p = 0; p < plane; p++)
                {
                    data[k * ColourImageSet.Dimension + c * plane + p] = (img[c * plane + p] - stats.Mean[c]) / stats.Std[c];
                }
            }
        }
        return tensor(data, [count, 3, ColourImageSet.Height, ColourImageSet.Width]);
    }

    /// <summary>Labels order[start .. start + count) as an int64 tensor.</summary>
    public static Tensor Labels(ColourImageSet set, IReadOnlyList<int> order, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(order);
        return tensor(Enumerable.Range(start, count).Select(k => (long)set.Labels[order[k]]).ToArray());
    }
}

namespace Companion.Data;

/// <summary>
/// Colour images in channel-first layout, as CIFAR-10 stores them (CS189 HW7, seed <c>004_88812e8faecb25b2.txt</c>,
/// Question 4): <see cref="Count"/> images of 3×32×32 values in [0, 1], image i at Pixels[i·3072 ..], within an image
/// channel c, row r, column x at c·1024 + r·32 + x.
/// </summary>
/// <param name="Source">What the images are, e.g. "CIFAR-10 train" or "Fashion-MNIST train, padded to 32×32×3"; notebooks print it next to every number.</param>
/// <param name="Count">Number of images.</param>
/// <param name="Pixels">Count·3·32·32 values in [0, 1].</param>
/// <param name="Labels">Count class indices 0–9.</param>
/// <param name="ClassNames">The ten class names.</param>
public sealed record ColourImageSet(string Source, int Count, float[] Pixels, int[] Labels, string[] ClassNames)
{
    /// <summary>Channels, height, width: 3, 32, 32.</summary>
    public const int Channels = 3, Height = 32, Width = 32;

    /// <summary>Values per image, 3·32·32 = 3072.</summary>
    public const int Dimension = Channels * Height * Width;

    /// <summary>Image i as a new 3072-value array (channel-first).</summary>
    public float[] Image(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Count);
        return Pixels[(i * Dimension)..((i + 1) * Dimension)];
    }

    /// <summary>The images at the given indices, in that order.</summary>
    public ColourImageSet Select(IReadOnlyList<int> indices, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new float[indices.Count * Dimension];
        var labels = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int i = indices[k];
            ArgumentOutOfRangeException.ThrowIfNegative(i);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Count);
            Array.Copy(Pixels, (long)i * Dimension, pixels, (long)k * Dimension, Dimension);
            labels[k] = Labels[i];
        }
        return new ColourImageSet(source ?? Source, indices.Count, pixels, labels, ClassNames);
    }

    /// <summary>The first n images (all when n ≥ Count).</summary>
    public ColourImageSet Take(int n) => n >= Count ? this : Select(Enumerable.Range(0, Math.Max(0, n)).ToArray());

    /// <summary>Image i as a height×width array of grey values (channel mean) or of one channel, row 0 at the top.</summary>
    public double[,] Plane(int i, int? channel = null)
    {
        var img = Image(i);
        var plane = new double[Height, Width];
        for (int r = 0; r < Height; r++)
        {
            for (int x = 0; x < Width; x++)
            {
                plane[r, x] = channel is int c ? img[c * Height * Width + r * Width + x]
                    : (img[r * Width + x] + img[Height * Width + r * Width + x] + img[2 * Height * Width + r * Width + x]) / 3.0;
            }
        }
        return plane;
    }
}

/// <summary>
/// Fashion-MNIST (Xiao et al. 2017) made to look like CIFAR-10 for the same pipeline: each 28×28 grey image is padded
/// with 2 zero pixels on every side to 32×32 and copied into the three channels. Used by CS189 HW7 Question 4 when no
/// CIFAR-10 copy is available (none is offline here).
/// </summary>
public static class PaddedFashionMnist
{
    /// <summary>Fashion-MNIST's class names, label 0–9.</summary>
    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Pads and replicates an MNIST-format set of 28×28 images.</summary>
    /// <exception cref="ArgumentException">The images are not 28×28.</exception>
    public static ColourImageSet FromMnist(MnistSet set, string source)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Rows != 28 || set.Columns != 28)
        {
            throw new ArgumentException($"PaddedFashionMnist: expected 28×28 images, got {set.Rows}×{set.Columns}", nameof(set));
        }
        const int pad = 2, plane = ColourImageSet.Height * ColourImageSet.Width;
        var pixels = new float[set.Count * ColourImageSet.Dimension];
        for (int i = 0; i < set.Count; i++)
        {
            for (int r = 0; r < 28; r++)
            {
                for (int x = 0; x < 28; x++)
                {
                    float v = set.Pixels[i * 784 + r * 28 + x];
                    int at = i * ColourImageSet.Dimension + (r + pad) * ColourImageSet.Width + (x + pad);
                    pixels[at] = v;
                    pixels[at + plane] = v;
                    pixels[at + 2 * plane] = v;
                }
            }
        }
        return new ColourImageSet(source, set.Count, pixels, set.Labels.ToArray(), ClassNames);
    }

    /// <summary>Loads Fashion-MNIST's "train" or "t10k" split from <paramref name="folder"/> (default: the Debian package's folder), padded.</summary>
    public static ColourImageSet Load(string split, int? limit = null, string? folder = null)
    {
        folder ??= Mnist.DebianFashionMnistFolder;
        var set = Mnist.Load(folder, split, limit);
        return FromMnist(set, $"Fashion-MNIST {(split == "t10k" ? "test" : split)} ({set.Count} images, padded to 32×32×3)");
    }
}

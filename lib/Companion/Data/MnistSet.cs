namespace Companion.Data;

/// <summary>
/// Images and labels of an MNIST-format set (MNIST, Fashion-MNIST): <see cref="Count"/> images of
/// <see cref="Rows"/>×<see cref="Columns"/> pixels scaled to [0, 1] (byte / 255), row-major, image after image.
/// </summary>
/// <param name="Pixels">Count·Rows·Columns values in [0, 1]; image i is Pixels[i·Rows·Columns .. (i+1)·Rows·Columns).</param>
/// <param name="Labels">Count class labels (0–9).</param>
public sealed record MnistSet(int Count, int Rows, int Columns, float[] Pixels, int[] Labels)
{
    /// <summary>Pixels per image, Rows·Columns (784 for MNIST).</summary>
    public int Dimension => Rows * Columns;

    /// <summary>Image <paramref name="i"/> as a Rows×Columns array (row 0 at the top), e.g. for a heatmap.</summary>
    public double[,] Image(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Count);
        var image = new double[Rows, Columns];
        int offset = i * Dimension;
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                image[r, c] = Pixels[offset + r * Columns + c];
            }
        }
        return image;
    }

    /// <summary>The first <paramref name="n"/> images and labels (all of them when n ≥ Count).</summary>
    public MnistSet Take(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n >= Count)
        {
            return this;
        }
        return new MnistSet(n, Rows, Columns, Pixels[..(n * Dimension)], Labels[..n]);
    }
}

/// <summary>
/// Loads MNIST-format sets from a folder holding <c>{split}-images-idx3-ubyte[.gz]</c> and
/// <c>{split}-labels-idx1-ubyte[.gz]</c> (split "t10k" for the 10,000 test images, "train" for the 60,000 training
/// images), as published by LeCun et al. for MNIST and by Xiao et al. 2017 for Fashion-MNIST.
/// </summary>
public static class Mnist
{
    /// <summary>The environment variable naming the folder that holds <c>mnist/</c> (see data/README.md).</summary>
    public const string DataVariable = "COMPANION_DATA";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts Fashion-MNIST.</summary>
    public const string DebianFashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary><c>$COMPANION_DATA/mnist</c> if the variable is set and that folder exists, else null.</summary>
    public static string? DefaultFolder()
    {
        var root = Environment.GetEnvironmentVariable(DataVariable);
        if (string.IsNullOrEmpty(root))
        {
            return null;
        }
        var folder = Path.Combine(root, "mnist");
        return Directory.Exists(folder) ? folder : null;
    }

    /// <summary>True if <paramref name="folder"/> holds both files of <paramref name="split"/> (plain or .gz).</summary>
    public static bool Has(string? folder, string split = "t10k") =>
        folder is not null && FindFile(folder, $"{split}-images-idx3-ubyte") is not null
        && FindFile(folder, $"{split}-labels-idx1-ubyte") is not null;

    /// <summary>Reads split <paramref name="split"/> from <paramref name="folder"/>.</summary>
    /// <param name="folder">Folder with the IDX files.</param>
    /// <param name="split">"t10k" or "train" (the file-name prefix).</param>
    /// <param name="limit">Read at most this many images (the first ones); null for all.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (the message says what to set).</exception>
    /// <exception cref="FileNotFoundException">One of the two files is missing (the message names the names tried).</exception>
    /// <exception cref="InvalidDataException">A file is not valid IDX, or images and labels disagree in count, or a
    /// label is outside 0–9.</exception>
    public static MnistSet Load(string folder, string split = "t10k", int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(
                $"MNIST folder '{folder}' does not exist; put {split}-images-idx3-ubyte.gz and {split}-labels-idx1-ubyte.gz " +
                $"there, or set {DataVariable} to a folder holding mnist/");
        }
        string imagesPath = Require(folder, $"{split}-images-idx3-ubyte");
        string labelsPath = Require(folder, $"{split}-labels-idx1-ubyte");
        var images = IdxFile.Read(imagesPath, expectedRank: 3);
        var labels = IdxFile.Read(labelsPath, expectedRank: 1);
        int count = images.Dimensions[0], rows = images.Dimensions[1], cols = images.Dimensions[2];
        if (labels.Dimensions[0] != count)
        {
            throw new InvalidDataException(
                $"MNIST '{folder}' split '{split}': {count} images in '{imagesPath}' but {labels.Dimensions[0]} labels in '{labelsPath}'");
        }
        int n = limit is int l ? Math.Clamp(l, 0, count) : count;
        var pixels = new float[(long)n * rows * cols];
        for (long i = 0; i < pixels.Length; i++)
        {
            pixels[i] = images.Values[i] / 255f;
        }
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = labels.Values[i];
            if (y[i] > 9)
            {
                throw new InvalidDataException($"MNIST labels '{labelsPath}': label {y[i]} at index {i} is not a digit class 0–9");
            }
        }
        return new MnistSet(n, rows, cols, pixels, y);
    }

    private static string Require(string folder, string stem) =>
        FindFile(folder, stem) ?? throw new FileNotFoundException(
            $"MNIST folder '{folder}' has neither '{stem}.gz' nor '{stem}'", Path.Combine(folder, stem + ".gz"));

    private static string? FindFile(string folder, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }
}

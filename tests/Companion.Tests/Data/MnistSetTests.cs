using Companion.Data;

namespace Companion.Tests.Data;

/// <summary>The MNIST loader on the real test set ($COMPANION_DATA/mnist) against its published facts, and on
/// Debian's Fashion-MNIST; folders with missing or mismatched files give errors that say what is wrong.</summary>
public class MnistSetTests
{
    /// <summary>Class counts of the MNIST test set (LeCun et al.; also sklearn's fetch_openml('mnist_784') last 10k).</summary>
    /// <summary>The outer pixel ring (108 pixels) holds far less ink than the central 8×8 block (64 pixels).</summary>
    private const double BorderToCentreInk = 0.01;

    private static readonly int[] MnistTestClassCounts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

    [SkippableFact]
    public void Mnist_test_set_has_10000_images_with_the_published_class_counts()
    {
        var set = Mnist.Load(TestData.Folder("mnist"));
        Assert.Equal(10_000, set.Count);
        Assert.Equal((28, 28, 784), (set.Rows, set.Columns, set.Dimension));
        Assert.Equal(784 * 10_000, set.Pixels.Length);
        Assert.Equal([7, 2, 1, 0, 4], set.Labels[..5]);
        var counts = new int[10];
        foreach (var y in set.Labels)
        {
            counts[y]++;
        }
        Assert.Equal(MnistTestClassCounts, counts);
        Assert.All(set.Pixels, p => Assert.InRange(p, 0f, 1f));
        // Digits are white on black: the 4-pixel border of every image is background (a transposed or shifted read
        // would put ink there).
        double border = 0, centre = 0;
        for (int i = 0; i < 100; i++)
        {
            var img = set.Image(i);
            for (int k = 0; k < 28; k++)
            {
                border += img[0, k] + img[27, k] + img[k, 0] + img[k, 27];
            }
            for (int r = 10; r < 18; r++)
            {
                for (int c = 10; c < 18; c++)
                {
                    centre += img[r, c];
                }
            }
        }
        Assert.True(border < BorderToCentreInk * centre, $"border ink {border} vs centre ink {centre}");
    }

    [SkippableFact]
    public void Limit_and_take_keep_the_first_images()
    {
        var folder = TestData.Folder("mnist");
        var all = Mnist.Load(folder);
        var some = Mnist.Load(folder, limit: 50);
        Assert.Equal(50, some.Count);
        Assert.Equal(all.Pixels[..(50 * 784)], some.Pixels);
        Assert.Equal(all.Take(50).Labels, some.Labels);
    }

    [SkippableFact]
    public void Fashion_mnist_from_debian_has_60000_training_images()
    {
        TestData.SkipUnlessPresent(Mnist.Has(Mnist.DebianFashionMnistFolder, "train") ? Mnist.DebianFashionMnistFolder : null,
            $"fashion-mnist (Debian package dataset-fashion-mnist, {Mnist.DebianFashionMnistFolder}; .ci/run installs it)");
        var set = Mnist.Load(Mnist.DebianFashionMnistFolder, "train");
        Assert.Equal(60_000, set.Count);
        var counts = new int[10];
        foreach (var y in set.Labels)
        {
            counts[y]++;
        }
        Assert.All(counts, c => Assert.Equal(6_000, c)); // Xiao et al. 2017: 6,000 per class
    }

    [Fact]
    public void Missing_folder_and_files_are_named()
    {
        var dir = Directory.CreateTempSubdirectory("mnist-tests").FullName;
        try
        {
            var e1 = Assert.Throws<DirectoryNotFoundException>(() => Mnist.Load(Path.Combine(dir, "absent")));
            Assert.Contains("COMPANION_DATA", e1.Message);
            var e2 = Assert.Throws<FileNotFoundException>(() => Mnist.Load(dir));
            Assert.Contains("t10k-images-idx3-ubyte", e2.Message);
            Assert.False(Mnist.Has(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Images_and_labels_of_different_counts_are_rejected()
    {
        var dir = Directory.CreateTempSubdirectory("mnist-tests").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 9, 9]);
            File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]);
            var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir));
            Assert.Contains("2 images", e.Message);
            Assert.Contains("3 labels", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

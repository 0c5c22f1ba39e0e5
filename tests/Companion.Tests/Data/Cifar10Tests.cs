using Companion.Data;

namespace Companion.Tests.Data;

/// <summary>The CIFAR-10 binary reader on files generated here in the published record layout (1 label byte + 3072 pixel bytes).</summary>
public sealed class Cifar10Tests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "cifar10-test-" + Guid.NewGuid().ToString("N"));

    public Cifar10Tests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static byte[] Records(int count, int seed, out int[] labels, out byte[][] pixels)
    {
        var rng = new Random(seed);
        labels = new int[count];
        pixels = new byte[count][];
        using var ms = new MemoryStream();
        for (int i = 0; i < count; i++)
        {
            labels[i] = rng.Next(10);
            pixels[i] = new byte[3072];
            rng.NextBytes(pixels[i]);
            ms.WriteByte((byte)labels[i]);
            ms.Write(pixels[i]);
        }
        return ms.ToArray();
    }

    [Fact]
    public void Reads_labels_and_channel_first_pixels_of_every_batch_file()
    {
        var expectedLabels = new List<int>();
        var expectedPixels = new List<byte[]>();
        for (int b = 1; b <= 5; b++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"data_batch_{b}.bin"), Records(3, b, out var l, out var p));
            expectedLabels.AddRange(l);
            expectedPixels.AddRange(p);
        }
        File.WriteAllLines(Path.Combine(folder, "batches.meta.txt"), Cifar10.DefaultClassNames.Select(n => n.ToUpperInvariant()).Append(""));
        Assert.True(Cifar10.Has(folder, "train"));
        Assert.False(Cifar10.Has(folder, "test"));
        var set = Cifar10.Load(folder, "train");
        Assert.Equal(15, set.Count);
        Assert.Equal(expectedLabels, set.Labels);
        Assert.Equal("AIRPLANE", set.ClassNames[0]);
        // Red plane first: byte 1 + 0 is pixel (row 0, col 0) of red; byte 1 + 1024 + 33 is green at row 1, col 1.
        Assert.Equal(expectedPixels[7][0] / 255f, set.Image(7)[0]);
        Assert.Equal(expectedPixels[7][1024 + 33] / 255f, set.Image(7)[1024 + 33]);
        Assert.Equal(expectedPixels[14][3071] / 255f, set.Pixels[^1]);
        Assert.Equal(4, Cifar10.Load(folder, "train", limit: 4).Count);
    }

    [Fact]
    public void A_truncated_file_and_a_bad_label_are_named()
    {
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), new byte[3073 * 2 - 5]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(folder, "test"));
        Assert.Contains("test_batch.bin", e.Message);
        var bytes = Records(2, 1, out _, out _);
        bytes[3073] = 12;
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), bytes);
        var e2 = Assert.Throws<InvalidDataException>(() => Cifar10.Load(folder, "test"));
        Assert.Contains("image 1", e2.Message);
        Assert.Contains("12", e2.Message);
        var e3 = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(folder, "train"));
        Assert.Contains("data_batch_1.bin", e3.Message);
    }
}

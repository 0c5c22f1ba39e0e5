using Companion.Data;

namespace Companion.Tests.Data;

public class PaddedFashionMnistTests
{
    [Fact]
    public void Pads_by_two_and_copies_the_grey_image_into_three_channels()
    {
        var rng = new Random(1);
        var pixels = Enumerable.Range(0, 2 * 784).Select(_ => (float)rng.NextDouble()).ToArray();
        var set = PaddedFashionMnist.FromMnist(new MnistSet(2, 28, 28, pixels, [3, 7]), "test set");
        Assert.Equal(2, set.Count);
        Assert.Equal([3, 7], set.Labels);
        var img = set.Image(1);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(0f, img[c * 1024 + 0]);                                  // corner is padding
            Assert.Equal(0f, img[c * 1024 + 1 * 32 + 31]);
            Assert.Equal(pixels[784 + 0], img[c * 1024 + 2 * 32 + 2]);           // (0, 0) → (2, 2)
            Assert.Equal(pixels[784 + 27 * 28 + 27], img[c * 1024 + 29 * 32 + 29]);
        }
        Assert.Equal(pixels.Sum(), set.Pixels.Sum() / 3, 1e-2);
    }

    [SkippableFact]
    public void Loads_the_Debian_package_when_installed()
    {
        TestData.SkipUnlessPresent(Mnist.Has(Mnist.DebianFashionMnistFolder, "t10k") ? Mnist.DebianFashionMnistFolder : null,
            "fashion-mnist (Debian package dataset-fashion-mnist)");
        var set = PaddedFashionMnist.Load("t10k", limit: 100);
        Assert.Equal(100, set.Count);
        Assert.Contains("Fashion-MNIST", set.Source);
        Assert.All(set.Labels, l => Assert.InRange(l, 0, 9));
    }
}

using Companion.Data;

namespace Companion.Tests.Data;

/// <summary>
/// The real registry entries against real copies: the shared course folder (names, MNIST's test files and training
/// labels) and Debian's dataset-fashion-mnist. Skipped, naming what is missing, when a copy is absent, except under
/// CI=true where a missing copy fails.
/// </summary>
public class RealDatasetsTests
{
    [SkippableFact]
    public void The_registry_checksums_verify_the_shared_names_and_mnist_files()
    {
        var root = Path.GetDirectoryName(TestData.Folder("names"))!;
        Assert.Empty(DatasetStore.Check(Path.Combine(root, "names"), DatasetRegistry.Names.Files));
        Assert.Empty(DatasetStore.Check(Path.Combine(root, "mnist"), DatasetRegistry.Mnist.FilesOf("t10k")));
        Assert.Empty(DatasetStore.Check(Path.Combine(root, "mnist"), DatasetRegistry.Mnist.Files.Where(f => f.Name.StartsWith("train-labels", StringComparison.Ordinal))));
    }

    [SkippableFact]
    public void Debian_fashion_mnist_verifies_and_is_found_by_the_registry()
    {
        TestData.SkipUnlessPresent(Mnist.DebianFashionMnistFolder, "fashion-mnist (Debian package dataset-fashion-mnist)");
        Assert.Empty(DatasetStore.Check(Mnist.DebianFashionMnistFolder, DatasetRegistry.FashionMnist.Files));
        var empty = Directory.CreateTempSubdirectory("companion-cache-").FullName;
        try
        {
            using var store = new DatasetStore(new DatasetStoreOptions { Locations = new DatasetCache(null, empty, Offline: true) });
            Assert.Equal(Mnist.DebianFashionMnistFolder, store.Require("fashion-mnist", "t10k"));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}

namespace Companion.Data;

/// <summary>
/// The datasets the notebooks use, with their upstream URLs (primary first, then the mirrors torchvision lists) and a
/// checksum for every file. Sources of the checksums:
/// <list type="bullet">
/// <item><b>names</b> (EECS 182 HW7 Q2): the PyTorch char-RNN tutorial's <c>data.zip</c>, folder <c>data/names/</c>.
/// Upstream publishes no checksum for the archive; each of the 18 extracted files is checked by size and SHA-256, the
/// values of the canonical files (they equal the Git LFS pointers of an independent copy; see docs/datasets.md).</item>
/// <item><b>mnist</b> (EECS 182 HW7 Q3a): torchvision's MD5 of each .gz (upstream publishes no SHA-256).</item>
/// <item><b>fashion-mnist</b> (CS189 HW7 Q4 fallback): torchvision's MD5 of each .gz; Debian's dataset-fashion-mnist
/// (0.0~git20200523.55506a9-1) recompressed the same files, so its SHA-256 values are accepted too.</item>
/// <item><b>cifar-10</b> (CS189 HW7 Q4): the binary version, MD5 and size of the archive as the CIFAR page lists; the
/// extracted batches are 10,000 records of 3073 bytes each.</item>
/// </list>
/// </summary>
public static class DatasetRegistry
{
    /// <summary>The char-RNN names dataset: 18 <c>&lt;Language&gt;.txt</c> files, 20,074 lines.</summary>
    public static readonly DatasetDefinition Names = new("names",
        "char-RNN names (PyTorch tutorial \"Classifying Names with a Character-Level RNN\", data.zip)",
        ["https://download.pytorch.org/tutorial/"],
        [
            new("Arabic.txt", 13190, "6f424a8dbe51cbbbabab7a57d38b617210125e4e3991f3c657cb79b8f104bafc"),
            new("Chinese.txt", 1247, "49263ef55a8cb1740e841d65cad8214b2f9b5b869bc534c811746422496fa91e"),
            new("Czech.txt", 3919, "145bbbd6d0816578f03388e92c264d39ef1c60df920b081d371fa5c5cc055a8e"),
            new("Dutch.txt", 2351, "924f32b635170eae561f84538632138fc07d4c8bbd70ba3fb980de1ecc4d2af3"),
            new("English.txt", 27125, "9cca037066d3d5989e24bc01801416162de506b5e28e15b7c092a47905d29bf2"),
            new("French.txt", 2178, "81e65b36c60ed5b89a17422f6edcadbb89546f38ad69e960e64e7ba682012a95"),
            new("German.txt", 5610, "7449cd590b97a733e18d613a4155decd77ec35dc5f8aadd7a82204dce4f051db"),
            new("Greek.txt", 1981, "3555b5186de7f401e6d991b088e9e644ca3099116477818c25ab5793801389e6"),
            new("Irish.txt", 1858, "cf8c7013256252a88d2503127b87282a11f21b2ff6db1bded68834c19a1ec058"),
            new("Italian.txt", 5657, "f88414c27d0606a11a678b4859277828c2565d6cc4d9ee932deef6e94f3b35e4"),
            new("Japanese.txt", 7622, "e0e717e114fec3e7eade4d9dabe0067c475f43147e36a22b47902ee76ad9e67f"),
            new("Korean.txt", 423, "cd54221ccb362a6cba4c78828838cf3268a0e59744767a37cf6ec4b74036b136"),
            new("Polish.txt", 1165, "45bab898af2f60ed3a728bbf6980e28821011a7caa53227553b5785903a40826"),
            new("Portuguese.txt", 554, "50a8735f41f4f73757c8ce5b16cb0275cd86b2b214bcbc8c9805f508cb131c53"),
            new("Russian.txt", 85605, "43b3e64ce351f77f1ac9e0cdf7566012d127f4371875fd25208845b5c9d6f7c3"),
            new("Scottish.txt", 752, "78d0252711d87d948ea86fe34826c51d2d794a8e52d15b5d6f7b6244d45d62dd"),
            new("Spanish.txt", 2284, "1bcb462ed3316756a85781d68232bddae04498fdddd5d9219c53fd1fbdeba7a7"),
            new("Vietnamese.txt", 339, "f3f9e4164ab47601178a6e45b216464a64122f49d05541f24bf18a757253281d"),
        ])
    {
        Archive = new DatasetFile("data.zip"),
        ArchiveKind = ArchiveKind.Zip,
        ArchiveFolder = "data/names/",
        Homepage = "https://pytorch.org/tutorials/intermediate/char_rnn_classification_tutorial.html (PyTorch tutorials data)",
    };

    /// <summary>MNIST in IDX .gz: 60,000 training and 10,000 test images of 28×28 digits.</summary>
    public static readonly DatasetDefinition Mnist = new("mnist", "MNIST (LeCun, Cortes, Burges)",
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
        [
            new("train-images-idx3-ubyte.gz", 9912422, Md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            new("train-labels-idx1-ubyte.gz", 28881, Md5: "d53e105ee54ea40749a09fcbcd1e9432"),
            new("t10k-images-idx3-ubyte.gz", 1648877, Md5: "9fb629c4189551a2d022fa330f9573f3"),
            new("t10k-labels-idx1-ubyte.gz", 4542, Md5: "ec29112dd5afa0611ce80d1b7f02629c"),
        ])
    {
        Subsets = IdxSubsets,
        Homepage = "http://yann.lecun.com/exdb/mnist/ (CC BY-SA 3.0 as commonly stated)",
    };

    /// <summary>Fashion-MNIST in IDX .gz (Xiao, Rasul, Vollgraf 2017), the same layout as MNIST.</summary>
    public static readonly DatasetDefinition FashionMnist = new("fashion-mnist", "Fashion-MNIST (Zalando Research)",
        ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        [
            new("train-images-idx3-ubyte.gz", Md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d")
                { AlsoAcceptedSha256 = ["b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"] },
            new("train-labels-idx1-ubyte.gz", Md5: "25c81989df183df01b3e8a0aad5dffbe")
                { AlsoAcceptedSha256 = ["0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"] },
            new("t10k-images-idx3-ubyte.gz", Md5: "bef4ecab320f06d8554ea6380940ec79")
                { AlsoAcceptedSha256 = ["cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"] },
            new("t10k-labels-idx1-ubyte.gz", Md5: "bb300cfdad3c16e7a12a480ee83cd310")
                { AlsoAcceptedSha256 = ["8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"] },
        ])
    {
        Subsets = IdxSubsets,
        SystemFolders = [Data.Mnist.DebianFashionMnistFolder],
        Homepage = "https://github.com/zalandoresearch/fashion-mnist (MIT)",
    };

    /// <summary>CIFAR-10, binary version: five training batches and one test batch of 10,000 32×32 colour images.</summary>
    public static readonly DatasetDefinition Cifar10 = new("cifar-10", "CIFAR-10 binary version (Krizhevsky 2009)",
        ["https://www.cs.toronto.edu/~kriz/"],
        [
            .. Data.Cifar10.Files("train").Select(f => new DatasetFile(f, BatchBytes)),
            new(Data.Cifar10.Files("test")[0], BatchBytes),
            new("batches.meta.txt"),
        ])
    {
        Subsets = new Dictionary<string, string[]>
        {
            ["train"] = [.. Data.Cifar10.Files("train"), "batches.meta.txt"],
            ["test"] = [.. Data.Cifar10.Files("test"), "batches.meta.txt"],
        },
        Archive = new DatasetFile("cifar-10-binary.tar.gz", 170052171, Md5: "c32a1d4ab5d03f1284b67883e8d87530"),
        ArchiveKind = ArchiveKind.TarGz,
        ArchiveFolder = "cifar-10-batches-bin/",
        Homepage = "https://www.cs.toronto.edu/~kriz/cifar.html",
    };

    /// <summary>Every dataset the notebooks use, by name.</summary>
    public static IReadOnlyList<DatasetDefinition> All => [Names, Mnist, FashionMnist, Cifar10];

    /// <summary>The entry called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static DatasetDefinition Get(string name) =>
        All.FirstOrDefault(d => d.Name == name)
        ?? throw new ArgumentException($"unknown dataset '{name}'; known: {string.Join(", ", All.Select(d => d.Name))}", nameof(name));

    /// <summary>Bytes of one CIFAR-10 batch: 10,000 records of 1 label + 3072 pixel bytes.</summary>
    const long BatchBytes = 10_000L * Data.Cifar10.RecordBytes;

    static Dictionary<string, string[]> IdxSubsets => new()
    {
        ["train"] = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"],
        ["t10k"] = ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
    };
}

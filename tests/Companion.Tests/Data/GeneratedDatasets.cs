using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Companion.Data;

namespace Companion.Tests.Data;

/// <summary>
/// Small files in the real upstream formats, made from a seed, with registry entries that point at loopback URLs: IDX
/// .gz (MNIST layout), the names data.zip (folder data/names/), CIFAR-10's cifar-10-binary.tar.gz
/// (cifar-10-batches-bin/*.bin, 3073-byte records).
/// </summary>
internal static class GeneratedDatasets
{
    public const int Images = 5;

    /// <summary>An IDX file of unsigned bytes, gzip-compressed.</summary>
    public static byte[] IdxGz(int[] dims, byte[] values)
    {
        var raw = new MemoryStream();
        raw.Write([0, 0, 0x08, (byte)dims.Length]);
        foreach (var d in dims) raw.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        raw.Write(values);
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());
        return gz.ToArray();
    }

    /// <summary>MNIST-layout files (train and t10k, <see cref="Images"/> images each) by upstream name.</summary>
    public static Dictionary<string, byte[]> IdxFiles(int seed)
    {
        var rng = new Random(seed);
        byte[] Bytes(int n, int max) => [.. Enumerable.Range(0, n).Select(_ => (byte)rng.Next(max))];
        return new()
        {
            ["train-images-idx3-ubyte.gz"] = IdxGz([Images, 28, 28], Bytes(Images * 784, 256)),
            ["train-labels-idx1-ubyte.gz"] = IdxGz([Images], Bytes(Images, 10)),
            ["t10k-images-idx3-ubyte.gz"] = IdxGz([Images, 28, 28], Bytes(Images * 784, 256)),
            ["t10k-labels-idx1-ubyte.gz"] = IdxGz([Images], Bytes(Images, 10)),
        };
    }

    public static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

#pragma warning disable CA5351 // MD5 is what upstream publishes for MNIST and CIFAR-10: an integrity check, not security
    public static string Md5(byte[] b) => Convert.ToHexStringLower(MD5.HashData(b));
#pragma warning restore CA5351

    /// <summary>An MNIST-like entry over <paramref name="files"/>: half the checksums SHA-256, half MD5 (as upstream).</summary>
    public static DatasetDefinition Idx(string name, IReadOnlyList<string> mirrors, Dictionary<string, byte[]> files) =>
        new(name, "generated IDX", mirrors, [.. files.Select((kv, i) => i % 2 == 0
            ? new DatasetFile(kv.Key, kv.Value.Length, Sha256: Sha(kv.Value))
            : new DatasetFile(kv.Key, kv.Value.Length, Md5: Md5(kv.Value)))])
        {
            Subsets = new Dictionary<string, string[]>
            {
                ["train"] = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"],
                ["t10k"] = ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
            },
        };

    /// <summary>Language files as the names archive holds them.</summary>
    public static Dictionary<string, byte[]> NameFiles() => new()
    {
        ["English.txt"] = Encoding.UTF8.GetBytes("Smith\nJones\nTaylor\n"),
        ["Italian.txt"] = Encoding.UTF8.GetBytes("Rossi\nRusso\n"),
        ["Czech.txt"] = Encoding.UTF8.GetBytes("Dvořák\nNovák\n"),
    };

    /// <summary>A zip with <c>data/names/&lt;file&gt;</c> entries (and another member the registry ignores).</summary>
    public static byte[] NamesZip(Dictionary<string, byte[]> files)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files)
                using (var s = zip.CreateEntry("data/names/" + name).Open()) s.Write(bytes);
            using (var s = zip.CreateEntry("data/eng-fra.txt").Open()) s.Write("Go.\tVa !\n"u8);
        }
        return ms.ToArray();
    }

    public static DatasetDefinition Names(IReadOnlyList<string> mirrors, Dictionary<string, byte[]> files) =>
        new("names", "generated names", mirrors, [.. files.Select(kv => new DatasetFile(kv.Key, kv.Value.Length, Sha(kv.Value)))])
        {
            Archive = new DatasetFile("data.zip"),
            ArchiveKind = ArchiveKind.Zip,
            ArchiveFolder = "data/names/",
        };

    /// <summary>CIFAR-10 batches of <paramref name="records"/> records each; record i of batch b has label (b + i) % 10.</summary>
    public static Dictionary<string, byte[]> CifarBatches(int records)
    {
        var files = new Dictionary<string, byte[]>();
        string[] names = [.. Cifar10.Files("train"), .. Cifar10.Files("test")];
        for (int b = 0; b < names.Length; b++)
        {
            var bytes = new byte[records * Cifar10.RecordBytes];
            for (int i = 0; i < records; i++)
            {
                bytes[i * Cifar10.RecordBytes] = (byte)((b + i) % 10);
                for (int k = 1; k < Cifar10.RecordBytes; k++) bytes[i * Cifar10.RecordBytes + k] = (byte)((k * 7 + i + b) % 256);
            }
            files[names[b]] = bytes;
        }
        files["batches.meta.txt"] = Encoding.ASCII.GetBytes(string.Join("\n", Cifar10.DefaultClassNames) + "\n\n");
        return files;
    }

    public static byte[] CifarTarGz(Dictionary<string, byte[]> files)
    {
        var tarBytes = new MemoryStream();
        using (var tar = new TarWriter(tarBytes, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            foreach (var (name, bytes) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "cifar-10-batches-bin/" + name) { DataStream = new MemoryStream(bytes) });
        }
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(tarBytes.ToArray());
        return gz.ToArray();
    }

    public static DatasetDefinition Cifar(IReadOnlyList<string> mirrors, Dictionary<string, byte[]> files, byte[] archive) =>
        new("cifar-10", "generated CIFAR-10", mirrors,
            [.. files.Select(kv => new DatasetFile(kv.Key, kv.Key.EndsWith(".bin", StringComparison.Ordinal) ? kv.Value.Length : null))])
        {
            Subsets = new Dictionary<string, string[]> { ["test"] = ["test_batch.bin", "batches.meta.txt"] },
            Archive = new DatasetFile("cifar-10-binary.tar.gz", archive.Length, Md5: Md5(archive)),
            ArchiveKind = ArchiveKind.TarGz,
            ArchiveFolder = "cifar-10-batches-bin/",
        };
}

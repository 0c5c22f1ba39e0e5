using System.IO.Compression;
using Companion.Data;

namespace Companion.Tests.Data;

/// <summary>IDX reader: files written here byte by byte (plain and gzip) read back exactly; each kind of bad file
/// is rejected with a message naming the file and the field.</summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("idx-tests").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static byte[] Header(byte type, params int[] dims)
    {
        var h = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims)
        {
            h.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        }
        return h.ToArray();
    }

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        var path = Path.Combine(dir, name);
        if (gzip)
        {
            using var f = File.Create(path);
            using var z = new GZipStream(f, CompressionLevel.Fastest);
            z.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_back_what_was_written(bool gzip)
    {
        var values = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7)).ToArray();
        var path = Write(gzip ? "a.gz" : "a", [.. Header(8, 2, 3, 4), .. values], gzip);
        var a = IdxFile.Read(path, expectedRank: 3);
        Assert.Equal([2, 3, 4], a.Dimensions);
        Assert.Equal(values, a.Values);
    }

    [Fact]
    public void Gzip_is_detected_by_content_not_by_name()
    {
        var path = Write("labels-without-extension", [.. Header(8, 3), 1, 2, 3], gzip: true);
        Assert.Equal(new byte[] { 1, 2, 3 }, IdxFile.Read(path).Values);
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "nonzero-magic", [1, 0, 8, 1, 0, 0, 0, 1, 5], "two zero bytes" },
        { "float-type", [.. Header(0x0D, 1), 0, 0, 0, 0], "element type 0x0D" },
        { "truncated-data", [.. Header(8, 10), 1, 2, 3], "header says 10 values (10) but the file has only 3" },
        { "extra-data", [.. Header(8, 2), 1, 2, 3], "more data after the 2 values" },
        { "truncated-header", [0, 0, 8, 2, 0, 0, 0, 1, 0, 0], "header ends inside dimension 1" },
        { "zero-dimension", [.. Header(8, 0)], "dimension 0 is 0" },
        { "short", [0, 0], "shorter than the 4-byte header" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_are_rejected_naming_file_and_field(string name, byte[] bytes, string expected)
    {
        var path = Write(name, bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Wrong_rank_is_rejected()
    {
        var path = Write("labels", [.. Header(8, 3), 1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path, expectedRank: 3));
        Assert.Contains("has 1 dimensions but 3 were expected", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_is_rejected()
    {
        var path = Write("c.gz", [.. Header(8, 100), .. new byte[100]], gzip: true);
        var bytes = File.ReadAllBytes(path);
        for (int i = 12; i < bytes.Length - 8; i++)
        {
            bytes[i] ^= 0x5A;
        }
        File.WriteAllBytes(path, bytes);
        var e = Assert.ThrowsAny<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var path = Path.Combine(dir, "nope.gz");
        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
    }
}

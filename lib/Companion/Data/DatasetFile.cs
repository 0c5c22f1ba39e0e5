using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Companion.Data;

/// <summary>
/// One file of a dataset as its publisher serves it, with what it must hash to: SHA-256 where the checksum is ours or
/// published as such, MD5 where upstream publishes only that (torchvision's MNIST lists, the CIFAR-10 page), and the
/// size in bytes where it is known (a shorter file is a partial download, detected without hashing).
/// </summary>
/// <param name="Name">The upstream file name (also its name in every local folder).</param>
/// <param name="Size">Exact length in bytes, or null when not known.</param>
/// <param name="Sha256">Lower-case hex SHA-256, or null.</param>
/// <param name="Md5">Lower-case hex MD5, or null.</param>
public sealed record DatasetFile(string Name, long? Size = null, string? Sha256 = null, string? Md5 = null)
{
    /// <summary>
    /// Other SHA-256 values accepted for the same content, each a known repackaging (e.g. Debian's dataset-fashion-mnist,
    /// whose .gz files were recompressed and so differ byte for byte from upstream's while holding the same images).
    /// </summary>
    public IReadOnlyList<string> AlsoAcceptedSha256 { get; init; } = [];

    /// <summary>True when a checksum is known (a file without one is verified by the manifest written when it was extracted
    /// from a verified archive).</summary>
    public bool HasChecksum => Sha256 is not null || Md5 is not null || AlsoAcceptedSha256.Count > 0;

    static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), (string Sha256, string Md5)> Hashed = new();

    /// <summary>
    /// Checks the file at <paramref name="path"/>: exists, has <see cref="Size"/> bytes (when known), and hashes to
    /// <see cref="Sha256"/> / <see cref="Md5"/> / an accepted alternative, or to <paramref name="manifestSha256"/> for a file
    /// without its own checksum (a file with neither is checked by its size alone). Returns null when it verifies, else why not (one line). Hashes are remembered per
    /// (path, length, write time) within the process, so a second check of an unchanged file is free.
    /// </summary>
    public string? Verify(string path, string? manifestSha256 = null)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return $"{Name}: missing";
        if (Size is long size && info.Length != size)
            return $"{Name}: {info.Length:N0} bytes, expected {size:N0}" + (info.Length < size ? " (partial)" : "");
        if (!HasChecksum && manifestSha256 is null) return null;   // only the size is known (e.g. a CIFAR-10 batch)
        var (sha, md5) = Hashes(info);
        if (Sha256 is not null && sha == Sha256) return null;
        if (AlsoAcceptedSha256.Contains(sha)) return null;
        if (Md5 is not null && md5 == Md5) return null;
        if (!HasChecksum && manifestSha256 == sha) return null;
        var expected = Sha256 is not null ? $"SHA-256 {Sha256}" : Md5 is not null ? $"MD5 {Md5}" : $"SHA-256 {manifestSha256}";
        return $"{Name}: checksum mismatch (SHA-256 {sha}, MD5 {md5}; expected {expected})";
    }

    /// <summary>SHA-256 and MD5 of a file (lower-case hex), remembered per (path, length, write time).</summary>
    public static (string Sha256, string Md5) Hashes(FileInfo info)
    {
        info.Refresh();
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (Hashed.TryGetValue(key, out var known)) return known;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using (var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                md5.AppendData(buffer, 0, n);
            }
        }
        var result = (Convert.ToHexStringLower(sha.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()));
        Hashed[key] = result;
        return result;
    }
}

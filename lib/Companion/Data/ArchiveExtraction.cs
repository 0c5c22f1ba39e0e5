using System.Formats.Tar;
using System.IO.Compression;

namespace Companion.Data;

/// <summary>
/// Extracts the files of one folder of a zip or tar.gz archive (the names dataset's <c>data/names/</c>, CIFAR-10's
/// <c>cifar-10-batches-bin/</c>) into a target folder, flat, taking only regular files whose name is a plain file name
/// (no "..", no subfolders), so an archive cannot write outside the target.
/// </summary>
public static class ArchiveExtraction
{
    /// <summary>Extracts the members under <paramref name="folder"/> whose names are in <paramref name="wanted"/>;
    /// returns the names written.</summary>
    /// <exception cref="InvalidDataException">The archive cannot be read (the message names it).</exception>
    public static List<string> Extract(string archive, ArchiveKind kind, string folder, IReadOnlySet<string> wanted, string target)
    {
        Directory.CreateDirectory(target);
        var written = new List<string>();
        try
        {
            if (kind == ArchiveKind.Zip)
            {
                using var zip = ZipFile.OpenRead(archive);
                foreach (var entry in zip.Entries)
                    if (MemberName(entry.FullName, folder, wanted) is { } name)
                    {
                        entry.ExtractToFile(Path.Combine(target, name), overwrite: true);
                        written.Add(name);
                    }
            }
            else if (kind == ArchiveKind.TarGz)
            {
                using var gz = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
                using var tar = new TarReader(gz);
                while (tar.GetNextEntry() is { } entry)
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                        && MemberName(entry.Name, folder, wanted) is { } name)
                    {
                        entry.ExtractToFile(Path.Combine(target, name), overwrite: true);
                        written.Add(name);
                    }
            }
            else throw new ArgumentException("not an archive kind", nameof(kind));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            throw new InvalidDataException($"{archive}: cannot be read as {(kind == ArchiveKind.Zip ? "zip" : "tar.gz")}: {e.Message}", e);
        }
        return written;
    }

    static string? MemberName(string fullName, string folder, IReadOnlySet<string> wanted)
    {
        var path = fullName.Replace('\\', '/');
        if (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
        if (!path.StartsWith(folder, StringComparison.Ordinal)) return null;
        var name = path[folder.Length..];
        return name.Length > 0 && !name.Contains('/') && name != ".." && wanted.Contains(name) ? name : null;
    }
}

namespace Companion.Data;

/// <summary>How a dataset's files are served: one by one, or packed in an archive (zip or tar.gz).</summary>
public enum ArchiveKind
{
    /// <summary>Each file is its own download.</summary>
    None,

    /// <summary>A zip archive (the PyTorch tutorial's data.zip).</summary>
    Zip,

    /// <summary>A gzip-compressed tar archive (CIFAR-10's cifar-10-binary.tar.gz).</summary>
    TarGz,
}

/// <summary>
/// A registry entry, torchvision-style: the dataset's name, the base URLs that serve its files (primary first, then
/// mirrors), the files with their checksums, the named subsets a caller may ask for alone, and folders where an operating
/// system package installs it.
/// </summary>
/// <param name="Name">Registry name and folder name (<c>$COMPANION_DATA/&lt;Name&gt;</c>, <c>…/datasets/&lt;Name&gt;</c>).</param>
/// <param name="Title">Human name with its source, e.g. "MNIST (LeCun, Cortes, Burges)".</param>
/// <param name="Mirrors">Base URLs ending in "/"; a file's URL is base + file name (the archive's name for archives).</param>
/// <param name="Files">The files a complete local copy holds (for an archive: the members it is extracted to).</param>
public sealed record DatasetDefinition(string Name, string Title, IReadOnlyList<string> Mirrors, IReadOnlyList<DatasetFile> Files)
{
    /// <summary>Named subsets, each a list of file names (e.g. MNIST's "t10k": the test images and labels).</summary>
    public IReadOnlyDictionary<string, string[]> Subsets { get; init; } = new Dictionary<string, string[]>();

    /// <summary>The archive the files come packed in, or null when each file is served alone.</summary>
    public DatasetFile? Archive { get; init; }

    /// <summary>Zip or tar.gz (with <see cref="Archive"/>).</summary>
    public ArchiveKind ArchiveKind { get; init; }

    /// <summary>The folder inside the archive that holds <see cref="Files"/> (e.g. "data/names/").</summary>
    public string ArchiveFolder { get; init; } = "";

    /// <summary>Folders where a system package installs the files (e.g. Debian's /usr/share/datasets/fashion-mnist).</summary>
    public IReadOnlyList<string> SystemFolders { get; init; } = [];

    /// <summary>Where the dataset is described, and its licence as commonly stated.</summary>
    public string Homepage { get; init; } = "";

    /// <summary>The file names a request needs: every file for a null subset, else the subset's.</summary>
    /// <exception cref="ArgumentException">An unknown subset (the message lists the known ones).</exception>
    public IReadOnlyList<DatasetFile> FilesOf(string? subset)
    {
        if (string.IsNullOrEmpty(subset)) return Files;
        if (!Subsets.TryGetValue(subset, out var names))
            throw new ArgumentException($"dataset '{Name}' has no subset '{subset}'" +
                (Subsets.Count == 0 ? " (it has no subsets)" : $"; known: {string.Join(", ", Subsets.Keys)}"), nameof(subset));
        return [.. Files.Where(f => names.Contains(f.Name))];
    }

    /// <summary>The URLs a file (or the archive) is fetched from, primary first.</summary>
    public IEnumerable<string> UrlsOf(string fileName) => Mirrors.Select(m => m + fileName);

    /// <summary>"mnist" or "mnist (subset t10k)".</summary>
    public string Describe(string? subset) => string.IsNullOrEmpty(subset) ? Name : $"{Name} (subset {subset})";
}

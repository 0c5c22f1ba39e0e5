namespace Companion.Runner;

/// <summary>A notebook to run and the path its outputs get under the output folder (without extension).</summary>
public sealed record NotebookJob(string SourcePath, string RelativeName)
{
    /// <summary>The source file's name as given (for messages about this notebook).</summary>
    public string DisplayName => RelativeName + Path.GetExtension(SourcePath);
}

/// <summary>Expands the command line's files and folders into notebooks.</summary>
public static class NotebookDiscovery
{
    /// <summary>A file the runner writes into every output folder; folders holding it are never searched for notebooks.</summary>
    public const string OutputMarker = ".nbrun-output";

    static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "out", "bin", "obj", "node_modules" };

    /// <summary>
    /// Notebook jobs for the inputs, in a stable order. Folders are searched recursively, skipping hidden folders, those
    /// named out/bin/obj/node_modules, <paramref name="outputFolder"/> and any folder holding <see cref="OutputMarker"/>
    /// (earlier runs' outputs). Output names keep the path relative to the input folder; when two notebooks would still
    /// get the same name (same file name in two folders), all names become paths relative to the inputs' common folder.
    /// Throws <see cref="FileNotFoundException"/> naming an input that does not exist and <see cref="ArgumentException"/>
    /// for a file that is not a <c>.ipynb</c>.
    /// </summary>
    public static IReadOnlyList<NotebookJob> Find(IEnumerable<string> inputs, string? outputFolder = null)
    {
        var excluded = outputFolder is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputFolder));
        var jobs = new List<NotebookJob>();
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (Directory.Exists(full))
            {
                var files = Directory.EnumerateFiles(full, "*.ipynb", SearchOption.AllDirectories)
                    .Where(f => !Skipped(full, f, excluded))
                    .Order(StringComparer.Ordinal);
                jobs.AddRange(files.Select(f => new NotebookJob(f, Path.ChangeExtension(Path.GetRelativePath(full, f), null))));
            }
            else if (File.Exists(full))
            {
                if (!full.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException($"{input}: not a notebook (a .ipynb file is expected)");
                jobs.Add(new NotebookJob(full, Path.GetFileNameWithoutExtension(full)));
            }
            else
                throw new FileNotFoundException($"no such notebook or folder: {input}");
        }
        jobs = jobs.DistinctBy(j => j.SourcePath).ToList();
        if (jobs.GroupBy(j => j.RelativeName, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            var root = CommonFolder(jobs.Select(j => Path.GetDirectoryName(j.SourcePath)!));
            jobs = jobs.Select(j => j with { RelativeName = Path.ChangeExtension(Path.GetRelativePath(root, j.SourcePath), null) }).ToList();
        }
        return jobs;
    }

    /// <summary>Every <paramref name="count"/>-th job starting at <paramref name="index"/> (1-based) of the jobs ordered by
    /// output name: the same split on every machine for the same notebooks, shards differing in size by at most one.</summary>
    public static IReadOnlyList<NotebookJob> Shard(IReadOnlyList<NotebookJob> jobs, int index, int count) =>
        jobs.OrderBy(j => j.RelativeName, StringComparer.Ordinal).Where((_, k) => k % count == index - 1).ToList();

    static bool Skipped(string root, string file, string? excluded)
    {
        var folders = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar)[..^1];
        if (folders.Any(d => d.StartsWith('.') || SkippedFolders.Contains(d))) return true;
        // Folders strictly below the input folder (an input folder given explicitly is always searched).
        for (var d = Path.GetDirectoryName(file); d is not null && d.Length > Path.TrimEndingDirectorySeparator(root).Length; d = Path.GetDirectoryName(d))
        {
            if (excluded is not null && string.Equals(Path.TrimEndingDirectorySeparator(d), excluded, StringComparison.Ordinal)) return true;
            if (File.Exists(Path.Combine(d, OutputMarker))) return true;
        }
        return false;
    }

    static string CommonFolder(IEnumerable<string> folders)
    {
        var parts = folders.Select(f => f.Split(Path.DirectorySeparatorChar)).ToList();
        int n = parts.Min(p => p.Length);
        int k = 0;
        while (k < n && parts.All(p => p[k] == parts[0][k])) k++;
        var joined = string.Join(Path.DirectorySeparatorChar, parts[0].Take(k));
        return joined.Length == 0 ? Path.DirectorySeparatorChar.ToString() : joined;
    }
}

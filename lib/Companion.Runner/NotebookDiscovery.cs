namespace Companion.Runner;

/// <summary>A notebook to run and the path its outputs get under the output folder (without extension).</summary>
public sealed record NotebookJob(string SourcePath, string RelativeName);

/// <summary>Expands the command line's files and folders into notebooks.</summary>
public static class NotebookDiscovery
{
    static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "out", "bin", "obj", "node_modules" };

    /// <summary>Notebook jobs for the inputs; throws <see cref="FileNotFoundException"/> naming an input that does not exist.</summary>
    public static IReadOnlyList<NotebookJob> Find(IEnumerable<string> inputs)
    {
        var jobs = new List<NotebookJob>();
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (Directory.Exists(full))
            {
                var files = Directory.EnumerateFiles(full, "*.ipynb", SearchOption.AllDirectories)
                    .Where(f => !Path.GetRelativePath(full, f).Split(Path.DirectorySeparatorChar)[..^1]
                        .Any(d => d.StartsWith('.') || SkippedFolders.Contains(d)))
                    .Order(StringComparer.Ordinal);
                jobs.AddRange(files.Select(f => new NotebookJob(f, Path.ChangeExtension(Path.GetRelativePath(full, f), null))));
            }
            else if (File.Exists(full))
                jobs.Add(new NotebookJob(full, Path.GetFileNameWithoutExtension(full)));
            else
                throw new FileNotFoundException($"no such notebook or folder: {input}");
        }
        return jobs;
    }
}

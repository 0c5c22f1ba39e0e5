using Companion.Notebooks;

namespace Companion.Grader;

/// <summary>Finds source notebooks (those with solution markers or test cells) and students' submissions.</summary>
public static class Discovery
{
    /// <summary>
    /// The <c>.ipynb</c> files under <paramref name="inputs"/> (folders recursively, skipping <c>bin</c>, <c>obj</c>,
    /// <c>out</c> and hidden folders) with their names relative to the folder given (a file given alone: its file name).
    /// </summary>
    public static List<(string Path, string Name)> Notebooks(IEnumerable<string> inputs)
    {
        var found = new List<(string, string)>();
        foreach (var input in inputs)
        {
            if (File.Exists(input))
            {
                found.Add((Path.GetFullPath(input), Path.GetFileName(input)));
                continue;
            }
            if (!Directory.Exists(input)) throw new GraderFormatException($"{input}: no such notebook or folder");
            var root = Path.GetFullPath(input);
            foreach (var f in Directory.EnumerateFiles(root, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var rel = Path.GetRelativePath(root, f).Replace('\\', '/');
                if (rel.Split('/').SkipLast(1).Any(d => d.StartsWith('.') || d is "bin" or "obj" or "out")) continue;
                found.Add((f, rel));
            }
        }
        return found;
    }

    /// <summary>Whether a notebook is an assignment source: it has a solution region or a test cell.</summary>
    public static bool IsSource(Notebook nb) => nb.Cells.Any(c => GraderMetadata.IsTest(c)
        || (c.Kind != CellKind.Raw && Markers.HasSolution(c.Source, c.Kind == CellKind.Markdown)));

    /// <summary>
    /// The students in a submissions folder, sorted by name: each subfolder is a student (their notebooks inside, by the
    /// key's names or file names), and, when the key has one notebook, each <c>NAME.ipynb</c> directly inside is student NAME.
    /// </summary>
    public static List<(string Student, Dictionary<string, string?> Files)> Submissions(string folder, AssignmentKey key)
    {
        if (!Directory.Exists(folder)) throw new GraderFormatException($"{folder}: no such folder of submissions");
        var students = new List<(string, Dictionary<string, string?>)>();
        foreach (var dir in Directory.EnumerateDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')))
        {
            var files = new Dictionary<string, string?>();
            var all = Directory.EnumerateFiles(dir, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            foreach (var nb in key.Notebooks)
            {
                var exact = Path.Combine(dir, nb.Name);
                files[nb.Name] = File.Exists(exact) ? exact
                    : all.FirstOrDefault(f => Path.GetFileName(f) == Path.GetFileName(nb.Name))
                    ?? (key.Notebooks.Count == 1 && all.Count == 1 ? all[0] : null);
            }
            students.Add((Path.GetFileName(dir), files));
        }
        if (key.Notebooks.Count == 1)
            foreach (var f in Directory.EnumerateFiles(folder, "*.ipynb"))
                students.Add((Path.GetFileNameWithoutExtension(f), new Dictionary<string, string?> { [key.Notebooks[0].Name] = f }));
        return students.OrderBy(s => s.Item1, StringComparer.Ordinal).ToList();
    }
}

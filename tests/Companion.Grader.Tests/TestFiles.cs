using Companion.Notebooks;

namespace Companion.Grader.Tests;

/// <summary>Paths and builders shared by the grader's tests.</summary>
public static class TestFiles
{
    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Companion.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Companion.sln not found above " + AppContext.BaseDirectory);
    }

    public static string ExamplesDir => Path.Combine(RepoRoot(), "tests", "Companion.Grader.Tests", "Examples");

    public static string ExamplePath => Path.Combine(ExamplesDir, "hinge-and-step-decay.ipynb");

    public static Notebook Example() => NotebookFile.Read(ExamplePath);

    public static string TempDir() => Directory.CreateTempSubdirectory("nbgrade-test-").FullName;

    public static Cell Code(string id, string source, params string[] tags)
    {
        var c = new Cell { Kind = CellKind.Code, Id = id, Source = source, Metadata = Notebook.CSharpCellMetadata() };
        if (tags.Length > 0) c.Metadata["tags"] = new System.Text.Json.Nodes.JsonArray(tags.Select(t => (System.Text.Json.Nodes.JsonNode)t).ToArray());
        return c;
    }

    public static Notebook Make(params Cell[] cells)
    {
        var nb = new Notebook { Metadata = Notebook.PolyglotMetadata() };
        nb.Cells.AddRange(cells);
        return nb;
    }
}

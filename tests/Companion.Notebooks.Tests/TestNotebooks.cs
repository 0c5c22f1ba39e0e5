using Companion.Notebooks;

namespace Companion.Notebooks.Tests;

/// <summary>Builds small notebooks for tests and finds the repository.</summary>
public static class TestNotebooks
{
    public static Notebook Make(params string[] codeCells)
    {
        var nb = new Notebook { Metadata = Notebook.PolyglotMetadata() };
        int i = 0;
        foreach (var src in codeCells)
        {
            if (src.StartsWith("md:", StringComparison.Ordinal))
                nb.Cells.Add(new Cell { Kind = CellKind.Markdown, Id = $"m{i++}", Source = src[3..] });
            else
                nb.Cells.Add(new Cell { Kind = CellKind.Code, Id = $"c{i++}", Source = src, Metadata = Notebook.CSharpCellMetadata() });
        }
        return nb;
    }

    /// <summary>A fresh temporary folder.</summary>
    public static string TempDir() => Directory.CreateTempSubdirectory("nbtest-").FullName;

    /// <summary>Writes the notebook into <paramref name="dir"/> and returns its path.</summary>
    public static string Save(Notebook nb, string dir, string name = "test.ipynb")
    {
        var path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        NotebookFile.Write(nb, path);
        return path;
    }

    /// <summary>The repository root (the folder holding Companion.sln).</summary>
    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Companion.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Companion.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The output types of a cell, in order.</summary>
    public static List<string> Types(Cell c) => c.Outputs.Select(o => o["output_type"]!.GetValue<string>()).ToList();

    /// <summary>The text/plain (or stream text) of output <paramref name="i"/> of a cell.</summary>
    public static string Text(Cell c, int i) =>
        c.Outputs[i]["text"] is { } t ? Outputs.Text(t) : Outputs.Text(c.Outputs[i]["data"]?["text/plain"]);
}

using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>Kind of a notebook cell (nbformat 4 <c>cell_type</c>).</summary>
public enum CellKind { Code, Markdown, Raw }

/// <summary>
/// One notebook cell. Fields the engine does not know (attachments, extra metadata) are kept in <see cref="Extra"/>
/// so that a notebook read and written again loses nothing.
/// </summary>
public sealed class Cell
{
    public required CellKind Kind { get; init; }
    public string Id { get; set; } = "";
    public string Source { get; set; } = "";
    public JsonObject Metadata { get; set; } = [];
    public List<JsonObject> Outputs { get; } = [];
    public int? ExecutionCount { get; set; }
    public JsonObject Extra { get; init; } = [];

    /// <summary>The cell's tags (<c>metadata.tags</c>), e.g. <c>parameters</c>.</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags ? tags.Select(t => t?.GetValue<string>() ?? "").ToList() : [];

    /// <summary>A deep copy (outputs included).</summary>
    public Cell Clone()
    {
        var c = new Cell
        {
            Kind = Kind, Id = Id, Source = Source, ExecutionCount = ExecutionCount,
            Metadata = (JsonObject)Metadata.DeepClone(), Extra = (JsonObject)Extra.DeepClone(),
        };
        c.Outputs.AddRange(Outputs.Select(o => (JsonObject)o.DeepClone()));
        return c;
    }
}

/// <summary>An nbformat 4 notebook: metadata and cells. Read and write it with <see cref="NotebookFile"/>.</summary>
public sealed class Notebook
{
    public List<Cell> Cells { get; } = [];
    public JsonObject Metadata { get; set; } = [];
    public int FormatMajor { get; set; } = 4;
    public int FormatMinor { get; set; } = 5;

    /// <summary>Code cells in order, with their 1-based position among all cells (what error messages call "cell N").</summary>
    public IEnumerable<(int Number, Cell Cell)> CodeCells =>
        Cells.Select((c, i) => (i + 1, c)).Where(p => p.c.Kind == CellKind.Code);

    /// <summary>A deep copy: executing the copy never touches the original.</summary>
    public Notebook Clone()
    {
        var nb = new Notebook { Metadata = (JsonObject)Metadata.DeepClone(), FormatMajor = FormatMajor, FormatMinor = FormatMinor };
        nb.Cells.AddRange(Cells.Select(c => c.Clone()));
        return nb;
    }

    /// <summary>Removes every output and execution count (how source notebooks are committed).</summary>
    public void ClearOutputs()
    {
        foreach (var c in Cells.Where(c => c.Kind == CellKind.Code))
        {
            c.Outputs.Clear();
            c.ExecutionCount = null;
        }
    }

    /// <summary>The metadata of a C# Polyglot notebook (.NET Interactive kernel), as PLATFORM.md gives it.</summary>
    public static JsonObject PolyglotMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "C#" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        },
    };

    /// <summary>Cell metadata of a C# code cell in a Polyglot notebook.</summary>
    public static JsonObject CSharpCellMetadata() => new() { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } };
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>Reads and writes nbformat 4 JSON (.ipynb). Writes are atomic: a temporary file is renamed over the target.</summary>
public static class NotebookFile
{
    static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads a notebook; throws <see cref="NotebookFormatException"/> naming the file and what is wrong.</summary>
    public static Notebook Read(string path)
    {
        if (!File.Exists(path))
            throw new NotebookFormatException($"{path}: no such notebook file");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses notebook JSON; <paramref name="origin"/> names the source in error messages.</summary>
    public static Notebook Parse(string json, string origin = "<notebook>")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(
                $"{origin}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstLine(e.Message)}", e);
        }
        if (root is not JsonObject obj)
            throw new NotebookFormatException($"{origin}: a notebook must be a JSON object");
        int major = ReadInt(obj, "nbformat", origin) ?? throw new NotebookFormatException($"{origin}: missing \"nbformat\"");
        if (major != 4)
            throw new NotebookFormatException($"{origin}: nbformat {major} is not supported (only nbformat 4)");
        var nb = new Notebook
        {
            FormatMajor = major,
            FormatMinor = ReadInt(obj, "nbformat_minor", origin) ?? 0,
            Metadata = obj["metadata"] as JsonObject ?? [],
        };
        if (obj["cells"] is not JsonArray cells)
            throw new NotebookFormatException($"{origin}: missing \"cells\" array");
        for (int i = 0; i < cells.Count; i++)
            nb.Cells.Add(ParseCell(cells[i], $"{origin}: cell {i + 1}"));
        nb.Metadata = (JsonObject)nb.Metadata.DeepClone();
        return nb;
    }

    static Cell ParseCell(JsonNode? node, string where)
    {
        if (node is not JsonObject c)
            throw new NotebookFormatException($"{where}: a cell must be a JSON object");
        string type = c["cell_type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s
            : throw new NotebookFormatException($"{where}: missing \"cell_type\"");
        var kind = type switch
        {
            "code" => CellKind.Code,
            "markdown" => CellKind.Markdown,
            "raw" => CellKind.Raw,
            _ => throw new NotebookFormatException($"{where}: unknown cell_type \"{type}\""),
        };
        var extra = new JsonObject();
        foreach (var (key, value) in c)
            if (key is not ("cell_type" or "id" or "source" or "metadata" or "outputs" or "execution_count"))
                extra[key] = value?.DeepClone();
        var cell = new Cell
        {
            Kind = kind,
            Id = c["id"]?.GetValue<string>() ?? "",
            Source = ReadSource(c["source"], where),
            Metadata = c["metadata"] is JsonObject m ? (JsonObject)m.DeepClone() : [],
            Extra = extra,
        };
        if (kind == CellKind.Code)
        {
            if (c["outputs"] is JsonArray outs)
                foreach (var o in outs)
                    cell.Outputs.Add(o is JsonObject oo ? (JsonObject)oo.DeepClone()
                        : throw new NotebookFormatException($"{where}: an output must be a JSON object"));
            cell.ExecutionCount = c["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        }
        return cell;
    }

    static string ReadSource(JsonNode? node, string where) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a => string.Concat(a.Select(x => x is JsonValue xv && xv.TryGetValue<string>(out var xs) ? xs
            : throw new NotebookFormatException($"{where}: \"source\" lines must be strings"))),
        _ => throw new NotebookFormatException($"{where}: \"source\" must be a string or a list of strings"),
    };

    static int? ReadInt(JsonObject o, string key, string origin)
    {
        if (o[key] is null) return null;
        return o[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n
            : throw new NotebookFormatException($"{origin}: \"{key}\" must be an integer");
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();

    /// <summary>Splits text into nbformat's multiline form: every line but the last keeps its trailing "\n".</summary>
    public static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    /// <summary>The notebook as nbformat 4 JSON text.</summary>
    public static string Serialize(Notebook nb)
    {
        var cells = new JsonArray();
        int counter = 0;
        foreach (var c in nb.Cells)
        {
            var o = new JsonObject { ["cell_type"] = c.Kind switch { CellKind.Code => "code", CellKind.Markdown => "markdown", _ => "raw" } };
            if (c.Kind == CellKind.Code)
                o["execution_count"] = c.ExecutionCount is int n ? JsonValue.Create(n) : null;
            o["id"] = string.IsNullOrEmpty(c.Id) ? $"cell-{++counter}" : c.Id;
            o["metadata"] = c.Metadata.DeepClone();
            if (c.Kind == CellKind.Code)
                o["outputs"] = new JsonArray(c.Outputs.Select(x => (JsonNode)x.DeepClone()).ToArray());
            o["source"] = ToLines(c.Source);
            foreach (var (k, v) in c.Extra) o[k] = v?.DeepClone();
            cells.Add(o);
        }
        var root = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = nb.Metadata.DeepClone(),
            ["nbformat"] = nb.FormatMajor,
            ["nbformat_minor"] = Math.Max(nb.FormatMinor, 5),
        };
        return root.ToJsonString(WriteOptions) + "\n";
    }

    /// <summary>Writes the notebook atomically (temp file in the same folder, then rename).</summary>
    public static void Write(Notebook nb, string path) => WriteTextAtomically(path, Serialize(nb));

    /// <summary>Writes text to <paramref name="path"/> through a temporary file renamed over it, so a crash never leaves half a file.</summary>
    public static void WriteTextAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}

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
            // A JsonDocument first: it is what rejects a duplicate key (JsonNode alone keeps one of them silently).
            var options = new JsonDocumentOptions { AllowTrailingCommas = false, AllowDuplicateProperties = false };
            using (JsonDocument.Parse(json, options)) { }
            root = JsonNode.Parse(json, documentOptions: options);
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(
                $"{origin}: not valid JSON{(e.LineNumber is long l ? $" (line {l + 1}, byte {e.BytePositionInLine + 1})" : "")}: {JsonReason(e.Message)}", e);
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
            Id = c["id"] switch
            {
                null => "",
                JsonValue id when id.TryGetValue<string>(out var idText) => idText,
                var other => throw new NotebookFormatException($"{where}: \"id\" must be a string, not {other.ToJsonString()}"),
            },
            Source = ReadSource(c["source"], where),
            Metadata = c["metadata"] switch
            {
                null => [],
                JsonObject m => (JsonObject)m.DeepClone(),
                _ => throw new NotebookFormatException($"{where}: \"metadata\" must be a JSON object"),
            },
            Extra = extra,
        };
        if (kind == CellKind.Code)
        {
            if (c["outputs"] is JsonArray outs)
                foreach (var o in outs)
                    cell.Outputs.Add(o is JsonObject oo ? (JsonObject)oo.DeepClone()
                        : throw new NotebookFormatException($"{where}: an output must be a JSON object"));
            cell.ExecutionCount = c["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
            if (c["outputs"] is { } outputsNode && outputsNode is not JsonArray)
                throw new NotebookFormatException($"{where}: \"outputs\" must be a list");
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

    /// <summary>The reason part of a System.Text.Json message, without its own "Path: … | LineNumber: …" suffix (the
    /// caller gives the 1-based position once).</summary>
    static string JsonReason(string message)
    {
        var first = message.Split('\n')[0].Trim();
        var cut = first.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0) cut = first.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (cut >= 0 ? first[..cut] : first).TrimEnd();
    }

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

    /// <summary>The temporary name a write to <paramref name="fullPath"/> goes through: <c>NAME.tmp-PID-GUID</c>, so a run can
    /// tell its own leftovers from a live writer's (see <see cref="RemoveStaleTemporaries"/>).</summary>
    public static string TempName(string fullPath) => fullPath + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Deletes <c>*.tmp-PID-*</c> files under <paramref name="folder"/> left by a writer that was killed (its
    /// PID no longer runs). Returns how many were removed.</summary>
    public static int RemoveStaleTemporaries(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var f in Directory.EnumerateFiles(folder, "*.tmp-*", SearchOption.AllDirectories))
        {
            var m = System.Text.RegularExpressions.Regex.Match(Path.GetFileName(f), @"\.tmp-(\d+)-[0-9a-f]{32}$");
            if (!m.Success || !int.TryParse(m.Groups[1].Value, out var pid) || ProcessRuns(pid)) continue;
            try { File.Delete(f); removed++; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    static bool ProcessRuns(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>A file written over an existing one keeps that file's permission bits and, where this process may
    /// change it (root), its owner.</summary>
    public static void KeepModeAndOwner(string existing, string replacement)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(existing)) return;
        File.SetUnixFileMode(replacement, File.GetUnixFileMode(existing));
        if (!Environment.IsPrivilegedProcess) return;
        var psi = new System.Diagnostics.ProcessStartInfo("chown") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("--reference=" + existing);
        psi.ArgumentList.Add(replacement);
        try
        {
            using var chown = System.Diagnostics.Process.Start(psi);
            chown?.WaitForExit(10_000);
        }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>Writes text to <paramref name="path"/> through a temporary file renamed over it, so a crash never leaves half a file.</summary>
    public static void WriteTextAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = TempName(full);
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            KeepModeAndOwner(full, tmp);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Companion.Notebooks;

namespace Companion.Grader;

/// <summary>
/// The cell metadata and tags the grader reads. Test cells are tagged <c>test</c> (add <c>hidden</c> for a test students
/// never see); <c>metadata.grader</c> may give <c>question</c> (id), <c>points</c> (default 1 per test cell),
/// <c>title</c> (on a solution cell: the question's title) and <c>name</c> (a test's name). Student versions get
/// <c>metadata.grader.checksum</c> on every test cell.
/// </summary>
public static class GraderMetadata
{
    public const string Key = "grader";
    public const string TestTag = "test";
    public const string HiddenTag = "hidden";

    public static JsonObject? Of(Cell cell) => cell.Metadata[Key] as JsonObject;

    public static bool IsTest(Cell cell) => cell.Kind == CellKind.Code && (cell.Tags.Contains(TestTag) || cell.Tags.Contains("hidden-test"));

    public static bool IsHidden(Cell cell) => cell.Tags.Contains(HiddenTag) || cell.Tags.Contains("hidden-test")
        || Of(cell)?["hidden"] is JsonValue v && v.TryGetValue<bool>(out var h) && h;

    public static string? Question(Cell cell) => String(cell, "question");

    public static string? String(Cell cell, string name) =>
        Of(cell)?[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0 ? s.Trim() : null;

    /// <summary>The cell's <c>metadata.grader.needs</c>: question ids, as a list or one string; throws naming the cell otherwise.</summary>
    public static IReadOnlyList<string> Needs(Cell cell, string where)
    {
        var node = Of(cell)?["needs"];
        return node switch
        {
            null => [],
            JsonValue v when v.TryGetValue<string>(out var one) => [one.Trim()],
            JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue<string>(out _)) => a.Select(x => x!.GetValue<string>().Trim()).ToList(),
            _ => throw new GraderFormatException($"{where}: metadata.grader.needs must be a question id or a list of them, got {node.ToJsonString()}"),
        };
    }

    /// <summary>The cell's <c>metadata.grader.forbid</c>: fully qualified namespaces, types or members (a member forbids
    /// all its overloads), as a list or one string; throws naming the cell otherwise.</summary>
    public static IReadOnlyList<string> Forbid(Cell cell, string where)
    {
        var node = Of(cell)?["forbid"];
        return node switch
        {
            null => [],
            JsonValue v when v.TryGetValue<string>(out var one) && one.Trim().Length > 0 => [one.Trim()],
            JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue<string>(out var s) && s.Trim().Length > 0) =>
                a.Select(x => x!.GetValue<string>().Trim()).ToList(),
            _ => throw new GraderFormatException($"{where}: metadata.grader.forbid must be a fully qualified API name or a list of them, got {node.ToJsonString()}"),
        };
    }

    /// <summary>The cell's <c>metadata.grader.points</c>, or null; throws naming the cell when it is not a non-negative number.</summary>
    public static double? Points(Cell cell, string where)
    {
        var node = Of(cell)?["points"];
        if (node is null) return null;
        if (node is JsonValue v && (v.TryGetValue<double>(out var p) || (v.TryGetValue<string>(out var s)
                && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out p))) && p >= 0 && double.IsFinite(p))
            return p;
        throw new GraderFormatException($"{where}: metadata.grader.points must be a non-negative number, got {node.ToJsonString()}");
    }

    /// <summary>
    /// The notebook's <c>metadata.grader.files</c>: files or folders beside the notebook that its cells read (e.g.
    /// <c>["data/"]</c>), which the grading worker may see read-only at the same relative paths. Each must be a relative
    /// path inside the notebook's folder (not the folder itself, no <c>..</c>, no absolute path); throws naming the
    /// notebook otherwise.
    /// </summary>
    public static IReadOnlyList<string> Files(Notebook nb, string where)
    {
        var node = (nb.Metadata[Key] as JsonObject)?["files"];
        var list = node switch
        {
            null => [],
            JsonValue v when v.TryGetValue<string>(out var one) => [one],
            JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue<string>(out _)) => a.Select(x => x!.GetValue<string>()).ToList(),
            _ => throw new GraderFormatException($"{where}: metadata.grader.files must be a relative path or a list of them, got {node.ToJsonString()}"),
        };
        var files = new List<string>();
        foreach (var raw in list)
        {
            var f = raw.Trim().Replace('\\', '/').TrimEnd('/');
            var parts = f.Split('/');
            if (f.Length == 0 || f.StartsWith('/') || Path.IsPathRooted(f) || parts.Any(p => p is ".." or "." or ""))
                throw new GraderFormatException($"{where}: metadata.grader.files entry \"{raw}\" must be a path inside the notebook's folder " +
                    "(e.g. \"data/\" or \"data/table.csv\"; not the folder itself, no \"..\", not absolute)");
            files.Add(f);
        }
        return files;
    }

    /// <summary>SHA-256 of a test cell's source, with line endings and trailing white space normalised.</summary>
    public static string Checksum(string source)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd());
        var normal = string.Join("\n", lines).TrimEnd('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }
}

using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>Builders for nbformat 4 output objects (stream, display_data, execute_result, error).</summary>
public static class Outputs
{
    /// <summary>A <c>stream</c> output (<paramref name="name"/> is <c>stdout</c> or <c>stderr</c>).</summary>
    public static JsonObject Stream(string name, string text) => new()
    {
        ["name"] = name,
        ["output_type"] = "stream",
        ["text"] = NotebookFile.ToLines(text),
    };

    /// <summary>A <c>display_data</c> output from a MIME bundle.</summary>
    public static JsonObject DisplayData(IReadOnlyDictionary<string, string> bundle) => new()
    {
        ["data"] = Data(bundle),
        ["metadata"] = new JsonObject(),
        ["output_type"] = "display_data",
    };

    /// <summary>An <c>execute_result</c> output (a cell's trailing value).</summary>
    public static JsonObject ExecuteResult(IReadOnlyDictionary<string, string> bundle, int executionCount) => new()
    {
        ["data"] = Data(bundle),
        ["execution_count"] = executionCount,
        ["metadata"] = new JsonObject(),
        ["output_type"] = "execute_result",
    };

    /// <summary>An <c>error</c> output.</summary>
    public static JsonObject Error(string ename, string evalue, IEnumerable<string> traceback) => new()
    {
        ["ename"] = ename,
        ["evalue"] = evalue,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
    };

    static JsonObject Data(IReadOnlyDictionary<string, string> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, text) in bundle.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            data[mime] = IsJson(mime) && ParseJson(text) is { } json ? json : NotebookFile.ToLines(text);
        return data;
    }

    /// <summary>Whether nbformat stores MIME type <paramref name="mime"/> as JSON rather than text
    /// (<c>application/json</c>, <c>application/…+json</c>).</summary>
    public static bool IsJson(string mime) =>
        mime.StartsWith("application/", StringComparison.Ordinal) && (mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal));

    static JsonNode? ParseJson(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <summary>Concatenated text of a multiline nbformat field (a string or a list of strings).</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>() ?? "")),
        _ => node.GetValue<string>(),
    };
}

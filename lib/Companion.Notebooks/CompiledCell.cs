using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>An error a cell ends with before it runs (a directive error, a compile error), as an nbformat error output.</summary>
public sealed record CellError(string Ename, string Evalue, IReadOnlyList<string> Traceback);

/// <summary>
/// One cell as <see cref="SubmissionCompiler"/> compiled it, ready for a <see cref="SubmissionRunner"/> (in this process
/// or, through <see cref="ToJson"/>/<see cref="FromJson"/>, in a worker that has no Roslyn): the script submission's
/// assembly and portable PDB (null when the cell had no code to emit: only directives, usings or nothing), the type of
/// its <c>&lt;Factory&gt;</c>, the <c>#r</c> assemblies it adds to the session, whether it ends in a non-void expression
/// (a null value is then shown as <c>&lt;null&gt;</c>), the directive warnings for stderr, or the error it ends with.
/// A cell that re-runs the session's last submission unchanged carries no assembly: <see cref="RerunOf"/> names the cell
/// whose loaded submission runs again.
/// </summary>
public sealed record CompiledCell(int Cell, IReadOnlyList<string> Warnings, CellError? Error, byte[]? Assembly, byte[]? Pdb,
    string? EntryType, IReadOnlyList<string> References, bool Trailing)
{
    /// <summary>The cell whose submission (the session's last) this cell runs again, its source being the same; null
    /// for a newly compiled cell.</summary>
    public int? RerunOf { get; init; }

    /// <summary>The fields of a worker's <c>execute</c> request (not the error: a cell that failed to compile is
    /// answered without a worker).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["cell"] = Cell, ["trailing"] = Trailing };
        if (Assembly is not null) o["assembly"] = Convert.ToBase64String(Assembly);
        if (Pdb is not null) o["pdb"] = Convert.ToBase64String(Pdb);
        if (EntryType is not null) o["entry"] = EntryType;
        if (RerunOf is int rerun) o["rerun"] = rerun;
        o["references"] = new JsonArray([.. References.Select(r => (JsonNode)JsonValue.Create(r))]);
        o["warnings"] = new JsonArray([.. Warnings.Select(w => (JsonNode)JsonValue.Create(w))]);
        return o;
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="FormatException">A field is missing or malformed.</exception>
    public static CompiledCell FromJson(JsonObject o)
    {
        try
        {
            static byte[]? Bytes(JsonNode? n) => n is null ? null : Convert.FromBase64String(n.GetValue<string>());
            static List<string> Strings(JsonNode? n) => n is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [];
            return new CompiledCell(o["cell"]!.GetValue<int>(), Strings(o["warnings"]), null, Bytes(o["assembly"]), Bytes(o["pdb"]),
                o["entry"]?.GetValue<string>(), Strings(o["references"]), o["trailing"]?.GetValue<bool>() ?? false)
            {
                RerunOf = o["rerun"]?.GetValue<int>(),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new FormatException($"a malformed compiled cell: {e.Message}", e);
        }
    }
}

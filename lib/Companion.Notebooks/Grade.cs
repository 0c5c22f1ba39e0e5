using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Companion.Notebooks.Interactive;

/// <summary>
/// The autograder's value-emitting test form (imported in every session): a test cell calls
/// <c>Grade.Emit("name", value)</c> and the grader, outside the student's process, compares the value with the one the
/// solution emitted when the assignment was made. Outside the grader it shows the value as a line of text.
/// Values: numbers, booleans, strings, arrays and sequences of numbers (any rank), and any object with a
/// <c>ToArray()</c> or <c>ToRowArrays()</c> method returning one (e.g. MathNet vectors and matrices).
/// </summary>
public static class Grade
{
    static volatile Action<string, JsonObject>? sink;

    /// <summary>Emits <paramref name="value"/> under <paramref name="name"/>; numbers match the solution's within
    /// <paramref name="tolerance"/> (relative to the solution's magnitude, and absolute near zero).</summary>
    public static void Emit(string name, object? value, double tolerance = 1e-6)
    {
        var encoded = Encode(value);
        encoded["tolerance"] = tolerance;
        if (sink is { } s) s(name, encoded);
        else Console.WriteLine($"{name} = {Describe(encoded)}");
    }

    /// <summary>Sends every later <see cref="Emit"/> to <paramref name="receiver"/> (the grader's worker does this).</summary>
    public static void Redirect(Action<string, JsonObject>? receiver) => sink = receiver;

    /// <summary>A value as <c>{"kind":"number","shape":[…],"values":[…]}</c>, <c>{"kind":"text","text":…}</c> or
    /// <c>{"kind":"unsupported","type":…}</c>; NaN and infinities are written as strings.</summary>
    public static JsonObject Encode(object? value)
    {
        switch (value)
        {
            case null: return new JsonObject { ["kind"] = "text", ["text"] = null };
            case string s: return new JsonObject { ["kind"] = "text", ["text"] = s };
            case bool b: return Numbers([], [b ? 1 : 0]);
            case double or float or int or long or short or byte or decimal or uint or ulong:
                return Numbers([], [Convert.ToDouble(value, CultureInfo.InvariantCulture)]);
            case Array a:
                var shape = Enumerable.Range(0, a.Rank).Select(a.GetLength).ToList();
                var flat = new List<double>();
                foreach (var x in a)
                {
                    var inner = Encode(x);
                    if (inner["kind"]?.GetValue<string>() != "number" || ((JsonArray)inner["shape"]!).Count > 0)
                        return a.Rank == 1 ? Nested(a) : Unsupported(value);
                    flat.Add(Number(inner["values"]![0]!));
                }
                return Numbers(shape, flat);
        }
        var type = value.GetType();
        foreach (var method in new[] { "ToRowArrays", "ToArray" })
            if (type.GetMethod(method, Type.EmptyTypes) is { } m && m.ReturnType.IsArray)
                return Encode(m.Invoke(value, null));
        if (value is IEnumerable e) return Nested(e.Cast<object?>().ToArray());
        return Unsupported(value);
    }

    static JsonObject Nested(IEnumerable items)
    {
        var parts = items.Cast<object?>().Select(Encode).ToList();
        if (parts.Count > 0 && parts.All(p => p["kind"]?.GetValue<string>() == "number")
            && parts.Select(p => ((JsonArray)p["shape"]!).ToJsonString()).Distinct().Count() == 1)
        {
            var inner = ((JsonArray)parts[0]["shape"]!).Select(x => x!.GetValue<int>()).ToList();
            return Numbers([parts.Count, .. inner], parts.SelectMany(p => ((JsonArray)p["values"]!).Select(Number)).ToList());
        }
        return parts.Count == 0 ? Numbers([0], []) : Unsupported(items);
    }

    static JsonObject Unsupported(object value) => new() { ["kind"] = "unsupported", ["type"] = value.GetType().FullName };

    static JsonObject Numbers(IReadOnlyList<int> shape, IReadOnlyList<double> values) => new()
    {
        ["kind"] = "number",
        ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()),
        ["values"] = new JsonArray(values.Select(v => double.IsFinite(v) ? (JsonNode)v : v.ToString(CultureInfo.InvariantCulture)).ToArray()),
    };

    /// <summary>A number written by <see cref="Encode"/> (NaN and infinities are strings).</summary>
    public static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d
        : double.Parse(node?.GetValue<string>() ?? "NaN", CultureInfo.InvariantCulture);

    static string Describe(JsonObject o) => o["kind"]?.GetValue<string>() switch
    {
        "number" when ((JsonArray)o["shape"]!).Count == 0 => Number(o["values"]![0]).ToString("G6", CultureInfo.InvariantCulture),
        "number" => $"[{string.Join("×", (JsonArray)o["shape"]!)}] " + string.Join(", ",
            ((JsonArray)o["values"]!).Take(8).Select(x => Number(x).ToString("G6", CultureInfo.InvariantCulture)))
            + (((JsonArray)o["values"]!).Count > 8 ? ", …" : ""),
        "text" => o["text"]?.GetValue<string>() ?? "null",
        _ => $"(a {o["type"]} cannot be graded: emit numbers, arrays or text)",
    };
}

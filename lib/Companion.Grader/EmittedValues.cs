using System.Globalization;
using System.Text.Json.Nodes;
using Companion.Notebooks.Interactive;

namespace Companion.Grader;

/// <summary>
/// The verdict of a value-emitting test (<c>Grade.Emit</c>), decided in the grader: the submission's cell must emit
/// exactly the names the solution's emitted, each once, with the same kind and shape, numbers within the tolerance the
/// solution's call gave (|got − expected| ≤ tol · max(1, |expected|); NaN matches NaN), and text equal.
/// </summary>
public static class EmittedValues
{
    /// <summary>Why the emitted values do not match, or null when they do. The message never shows the expected values.</summary>
    public static string? Compare(IReadOnlyDictionary<string, JsonObject> expected, IReadOnlyList<(string Name, JsonObject Value)> got)
    {
        foreach (var g in got.GroupBy(x => x.Name).Where(g => g.Count() > 1))
            return $"\"{g.Key}\" was emitted {g.Count()} times (once is expected)";
        var byName = got.ToDictionary(x => x.Name, x => x.Value);
        foreach (var extra in byName.Keys.Where(n => !expected.ContainsKey(n)))
            return $"\"{extra}\" was emitted, which this test does not emit";
        foreach (var (name, want) in expected)
        {
            if (!byName.TryGetValue(name, out var have)) return $"\"{name}\" was not emitted (the cell did not reach Grade.Emit(\"{name}\", …))";
            var kind = want["kind"]?.GetValue<string>();
            if (have["kind"]?.GetValue<string>() != kind) return $"\"{name}\" is not the kind of value expected";
            if (kind == "text")
            {
                if (want["text"]?.GetValue<string>() != have["text"]?.GetValue<string>()) return $"\"{name}\" is not the expected text";
                continue;
            }
            if (kind != "number") return $"\"{name}\" cannot be compared";
            var ws = want["shape"]!.ToJsonString();
            var hs = have["shape"]?.ToJsonString();
            if (ws != hs) return $"\"{name}\" has shape {Shape(have)}, expected {Shape(want)}";
            var wv = ((JsonArray)want["values"]!).Select(Grade.Number).ToList();
            var hv = (have["values"] as JsonArray)?.Select(Grade.Number).ToList() ?? [];
            if (hv.Count != wv.Count) return $"\"{name}\" has {hv.Count} values, expected {wv.Count}";
            var tol = want["tolerance"] is JsonValue t && t.TryGetValue<double>(out var tv) && tv >= 0 ? tv : 1e-6;
            for (int i = 0; i < wv.Count; i++)
            {
                var (w, h) = (wv[i], hv[i]);
                bool ok = double.IsNaN(w) ? double.IsNaN(h) : double.IsInfinity(w) ? w == h : Math.Abs(h - w) <= tol * Math.Max(1, Math.Abs(w));
                if (!ok)
                    return string.Create(CultureInfo.InvariantCulture,
                        $"\"{name}\" does not match the expected values (first difference at flat index {i}; tolerance {tol:G3})");
            }
        }
        return null;
    }

    static string Shape(JsonObject o) => o["shape"] is JsonArray a && a.Count > 0 ? string.Join("×", a) : "scalar";
}

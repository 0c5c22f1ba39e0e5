using System.Globalization;
using System.Text.Json.Nodes;

namespace Companion.Publishing;

/// <summary>
/// The cartesian axes of a Plotly figure as plotly.js draws them, approximately: each axis's type, the values of the
/// drawn traces on it, its range in axis units (log10 on a log axis), its ticks and its length in pixels. Used by
/// <see cref="ChartRules"/>; where plotly.js's exact choice is not computed (automatic ticks, autorange padding) the
/// approximation leans towards passing the figure.
/// </summary>
internal static class ChartAxes
{
    /// <summary>One axis (<c>xaxis</c>, <c>yaxis2</c>, …) and the drawn values on it.</summary>
    internal sealed class Axis(string key, JsonObject spec, bool horizontal, int lengthPx)
    {
        public string Key { get; } = key;
        public JsonObject Spec { get; } = spec;
        public bool Horizontal { get; } = horizontal;
        public int LengthPx { get; } = lengthPx;
        public List<double> Numbers { get; } = [];
        public HashSet<string> Categories { get; } = new(StringComparer.Ordinal);
        public bool CountsOnly { get; set; }

        public bool Log => Spec["type"]?.GetValue<string>() == "log";

        public bool Category => Spec["type"]?.GetValue<string>() == "category" || (Spec["type"] is null && Categories.Count > 0 && Numbers.Count == 0);

        /// <summary>A value in axis units (log10 on a log axis; NaN where it cannot be drawn).</summary>
        public double Unit(double v) => Log ? (v > 0 ? Math.Log10(v) : double.NaN) : v;

        /// <summary>The drawn range in axis units: the explicit <c>range</c>, else the data's; null when unknown.</summary>
        public (double Lo, double Hi, bool Explicit)? Range()
        {
            if (Spec["range"] is JsonArray { Count: 2 } r && r[0] is JsonValue a && r[1] is JsonValue b
                && a.TryGetValue(out double lo) && b.TryGetValue(out double hi))
                return (Math.Min(lo, hi), Math.Max(lo, hi), true);
            var u = Numbers.Select(Unit).Where(double.IsFinite).ToList();
            return u.Count == 0 ? null : (u.Min(), u.Max(), false);
        }

        /// <summary>The screen position (pixels from the axis start) of a value, or NaN.</summary>
        public double Pixel(double v)
        {
            if (Range() is not { } r || r.Hi - r.Lo <= 0) return double.NaN;
            return (Unit(v) - r.Lo) / (r.Hi - r.Lo) * LengthPx;
        }

        public IEnumerable<ChartRuleViolation> TickViolations()
        {
            string name = $"{Key} ('{ChartRules.PlainText(Spec["title"]?["text"]?.GetValue<string>() ?? "")}')";
            if (Spec["visible"] is JsonValue vis && vis.TryGetValue(out bool visible) && !visible) yield break;
            if (Spec["showticklabels"] is JsonValue stl && stl.TryGetValue(out bool show) && !show)
            {
                yield return new(ChartRules.AxisTicks, $"{name} hides its tick labels");
                yield break;
            }
            if (CountsOnly) yield break;  // histogram counts: automatic ticks from 0 to the highest bar
            var tickvals = Spec["tickvals"] as JsonArray;
            var ticktext = Spec["ticktext"] as JsonArray;
            if (Category && tickvals is null)
            {
                if (Categories.Count < 2)
                    yield return new(ChartRules.AxisTicks, $"{name} has {Categories.Count} category: one labelled tick");
                yield break;
            }
            if (Range() is not { } range)
            {
                if (Numbers.Count > 0) yield return new(ChartRules.AxisTicks, $"{name} has no drawable values (non-positive on a log axis?)");
                yield break;
            }
            if (!range.Explicit && range.Hi - range.Lo <= 1e-12 * Math.Max(1, Math.Abs(range.Hi)))
            {
                yield return new(ChartRules.AxisTicks, string.Create(CultureInfo.InvariantCulture,
                    $"{name}: all its data are at one value ({(Log ? Math.Pow(10, range.Lo) : range.Lo):G4}), so it has no scale to read"));
                yield break;
            }
            double pad = range.Explicit ? 1e-9 * (range.Hi - range.Lo) : 0.05 * (range.Hi - range.Lo);
            double lo = range.Lo - pad, hi = range.Hi + pad;
            int ticks;
            if (tickvals is not null)
            {
                ticks = 0;
                for (int i = 0; i < tickvals.Count; i++)
                {
                    if (tickvals[i] is not JsonValue tv || !tv.TryGetValue(out double t)) continue;
                    var label = ticktext is not null && i < ticktext.Count ? ticktext[i]?.ToString() : "x";
                    double u = Unit(t);
                    if (u >= lo && u <= hi && !string.IsNullOrWhiteSpace(label)) ticks++;
                }
            }
            else if (Spec["dtick"] is JsonValue dv && dv.TryGetValue(out double dtick) && dtick > 0)
            {
                // On a log axis plotly.js reads a numeric dtick and tick0 in decades (log10 units), as the range.
                double tick0 = Spec["tick0"] is JsonValue t0 && t0.TryGetValue(out double z) ? z : 0;
                ticks = (int)(Math.Floor((hi - tick0) / dtick + 1e-9) - Math.Ceiling((lo - tick0) / dtick - 1e-9) + 1);
            }
            else
            {
                yield break;  // automatic ticks: plotly.js puts several on a range that is not a single value
            }
            if (ticks < 2)
                yield return new(ChartRules.AxisTicks, string.Create(CultureInfo.InvariantCulture,
                    $"{name} shows {ticks} labelled tick{(ticks == 1 ? "" : "s")} on its range " +
                    $"[{Show(range.Lo)}, {Show(range.Hi)}]: widen the range or give more ticks"));
        }

        string Show(double u) => (Log ? Math.Pow(10, u) : u).ToString("G4", CultureInfo.InvariantCulture);
    }

    /// <summary>The axes of a figure, with the drawn traces' values on them.</summary>
    internal sealed class Set(Dictionary<string, Axis> byKey)
    {
        /// <summary>Every axis that a drawn trace uses.</summary>
        public IReadOnlyList<Axis> All { get; } = [.. byKey.Values];

        public Axis? X(JsonObject t) => byKey.GetValueOrDefault(Key(t["xaxis"], "x"));

        public Axis? Y(JsonObject t) => byKey.GetValueOrDefault(Key(t["yaxis"], "y"));

        public bool SameAxes(JsonObject a, JsonObject b) => X(a) == X(b) && Y(a) == Y(b);

        /// <summary>Whether two traces draw the same points (within <paramref name="tolerance"/> of each axis's span).</summary>
        public bool Coincide(JsonObject a, JsonObject b, double tolerance)
        {
            var (pa, pb) = (Points(a), Points(b));
            if (pa is null || pb is null || pa.Count != pb.Count || pa.Count == 0) return false;
            double sx = Span(X(a)), sy = Span(Y(a));
            bool Same(List<(double X, double Y)> p, List<(double X, double Y)> q) => p.Zip(q).All(z =>
                Close(z.First.X, z.Second.X, sx * tolerance) && Close(z.First.Y, z.Second.Y, sy * tolerance));
            return Same(pa, pb) || Same([.. pa.OrderBy(p => p.X).ThenBy(p => p.Y)], [.. pb.OrderBy(p => p.X).ThenBy(p => p.Y)]);
        }

        static bool Close(double a, double b, double tol) => (double.IsNaN(a) && double.IsNaN(b)) || Math.Abs(a - b) <= tol;

        static double Span(Axis? axis) => axis?.Range() is { } r && r.Hi > r.Lo ? r.Hi - r.Lo : 1;

        /// <summary>A trace's points in axis units (category x as its index), or null when it has none.</summary>
        List<(double X, double Y)>? Points(JsonObject t)
        {
            if (t["y"] is not JsonArray ys) return null;
            var xs = t["x"] as JsonArray;
            var (xa, ya) = (X(t), Y(t));
            var cats = new Dictionary<string, int>(StringComparer.Ordinal);
            double XValue(int i)
            {
                if (xs is null) return i;
                var n = xs[i];
                if (n is JsonValue v && v.TryGetValue(out double d)) return xa?.Unit(d) ?? d;
                var s = n?.ToString() ?? "";
                return cats.TryGetValue(s, out var k) ? k : cats[s] = cats.Count;
            }
            var list = new List<(double, double)>();
            for (int i = 0; i < ys.Count; i++)
            {
                double y = ys[i] is JsonValue v && v.TryGetValue(out double d) ? (ya?.Unit(d) ?? d) : double.NaN;
                list.Add((xs is not null && i >= xs.Count ? double.NaN : XValue(i), y));
            }
            return list;
        }

        /// <summary>
        /// The fraction of <paramref name="lower"/>'s line (sampled at 100 evenly spaced pixel columns over its x extent)
        /// that <paramref name="upper"/>'s line passes within <paramref name="px"/> pixels of; 0 unless both lines run
        /// left to right (x non-decreasing).
        /// </summary>
        public double Covered(JsonObject lower, JsonObject upper, double px)
        {
            var (a, b) = (Pixels(lower), Pixels(upper));
            if (a.Count < 2 || b.Count < 2 || !Rising(a) || !Rising(b) || a[^1].X - a[0].X < 1) return 0;
            int near = 0;
            const int Samples = 100;
            for (int i = 0; i < Samples; i++)
            {
                double x = a[0].X + (a[^1].X - a[0].X) * i / (Samples - 1);
                if (At(b, x) is double yb && At(a, x) is double ya && Math.Abs(ya - yb) <= px) near++;
            }
            return near / (double)Samples;
        }

        static bool Rising(List<(double X, double Y)> p) => p.Zip(p.Skip(1)).All(z => z.Second.X >= z.First.X);

        /// <summary>The polyline's y at pixel column <paramref name="x"/> (null outside its x extent).</summary>
        static double? At(List<(double X, double Y)> p, double x)
        {
            if (x < p[0].X - 1e-9 || x > p[^1].X + 1e-9) return null;
            for (int i = 1; i < p.Count; i++)
            {
                if (x > p[i].X + 1e-9) continue;
                double w = p[i].X - p[i - 1].X;
                return w <= 0 ? p[i].Y : p[i - 1].Y + (p[i].Y - p[i - 1].Y) * (x - p[i - 1].X) / w;
            }
            return p[^1].Y;
        }

        /// <summary>A trace's finite points in pixels of its axes (empty when a range is unknown).</summary>
        public List<(double X, double Y)> Pixels(JsonObject t)
        {
            var (xa, ya) = (X(t), Y(t));
            if (xa is null || ya is null || Points(t) is not { } pts) return [];
            var rx = xa.Range();
            var ry = ya.Range();
            if (rx is not { } x || ry is not { } y || x.Hi <= x.Lo || y.Hi <= y.Lo) return [];
            return pts.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))
                .Select(p => ((p.X - x.Lo) / (x.Hi - x.Lo) * xa.LengthPx, (p.Y - y.Lo) / (y.Hi - y.Lo) * ya.LengthPx)).ToList();
        }
    }

    static string Key(JsonNode? reference, string fallback)
    {
        var r = reference?.GetValue<string>() ?? fallback;
        return r[..1] + "axis" + r[1..];
    }

    static readonly HashSet<string> Cartesian = new(StringComparer.Ordinal) { "scatter", "scattergl", "bar", "histogram", "heatmap", "contour", "box", "violin" };

    /// <summary>The cartesian axes that drawn traces use, with their values.</summary>
    internal static Set Of(JsonObject layout, IReadOnlyList<JsonObject> drawn)
    {
        int width = (int)Num(layout["width"], 700), height = (int)Num(layout["height"], 450);
        var margin = layout["margin"] as JsonObject;
        int plotW = width - (int)Num(margin?["l"], 80) - (int)Num(margin?["r"], 80);
        int plotH = height - (int)Num(margin?["t"], 100) - (int)Num(margin?["b"], 80);
        var axes = new Dictionary<string, Axis>(StringComparer.Ordinal);
        Axis Get(string key)
        {
            if (axes.TryGetValue(key, out var a)) return a;
            var spec = layout[key] as JsonObject ?? [];
            bool horizontal = key[0] == 'x';
            double d0 = 0, d1 = 1;
            if (spec["domain"] is JsonArray { Count: 2 } dom) (d0, d1) = (Num(dom[0], 0), Num(dom[1], 1));
            return axes[key] = new Axis(key, spec, horizontal, (int)Math.Max(50, (horizontal ? plotW : plotH) * (d1 - d0)));
        }
        foreach (var t in drawn)
        {
            var type = t["type"]?.GetValue<string>() ?? "scatter";
            if (!Cartesian.Contains(type)) continue;
            var (x, y) = (Get(Key(t["xaxis"], "x")), Get(Key(t["yaxis"], "y")));
            if (type is "heatmap" or "contour")
            {
                var z = t["z"] as JsonArray ?? [];
                int rows = z.Count, cols = z.OfType<JsonArray>().Select(r => r.Count).DefaultIfEmpty(0).Max();
                AddCells(x, t["x"] as JsonArray, cols);
                AddCells(y, t["y"] as JsonArray, rows);
                continue;
            }
            if (type == "histogram")
            {
                Add(x, t["x"] as JsonArray);
                y.CountsOnly = true;
                continue;
            }
            Add(x, t["x"] as JsonArray ?? Indices((t["y"] as JsonArray)?.Count ?? 0));
            Add(y, t["y"] as JsonArray);
            if (type == "bar") y.Numbers.Add(0);
        }
        return new Set(axes);
    }

    static JsonArray Indices(int n) => new(Enumerable.Range(0, n).Select(i => (JsonNode)JsonValue.Create(i)).ToArray());

    static void AddCells(Axis axis, JsonArray? values, int count)
    {
        if (values is not null) Add(axis, values);
        else if (count > 0) axis.Numbers.AddRange([-0.5, count - 0.5]);
    }

    static void Add(Axis axis, JsonArray? values)
    {
        foreach (var v in values ?? [])
        {
            if (v is JsonValue n && n.TryGetValue(out double d)) { if (double.IsFinite(d)) axis.Numbers.Add(d); }
            else if (v is JsonValue s && s.TryGetValue(out string? text) && text is not null)
            {
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)) axis.Numbers.Add(p);
                else axis.Categories.Add(text);
            }
        }
    }

    static double Num(JsonNode? n, double fallback) => n is JsonValue v && v.TryGetValue(out double d) ? d : fallback;

    /// <summary>A trace's relative variation in y: (max − min) / max |y| (0 for a flat or empty trace).</summary>
    internal static double YSpan(JsonObject t)
    {
        var ys = (t["y"] as JsonArray ?? []).Select(n => Num(n, double.NaN)).Where(double.IsFinite).ToList();
        if (ys.Count == 0) return 0;
        double scale = Math.Max(Math.Abs(ys.Max()), Math.Abs(ys.Min()));
        return scale == 0 ? 0 : (ys.Max() - ys.Min()) / scale;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Companion.Publishing;

/// <summary>A chart rule a figure breaks: which rule, and what in the figure breaks it.</summary>
/// <param name="Rule">The rule's name (<see cref="ChartRules.HiddenTrace"/>, …).</param>
/// <param name="Detail">What breaks it, naming the traces or axis.</param>
public sealed record ChartRuleViolation(string Rule, string Detail)
{
    public override string ToString() => $"{Rule}: {Detail}";
}

/// <summary>
/// Rules a chart must follow so that it shows what the sentence beside it says, checked on a figure's Plotly JSON
/// (<c>data</c> and <c>layout</c>, as drawn in its static state: traces with <c>visible: false</c> are not drawn):
/// <list type="bullet">
/// <item><see cref="HiddenTrace"/>: no two traces drawn on top of each other so that one cannot be seen: markers at
/// the same points (within 0.1 % of the axis spans), or lines within 2 px of each other over 90 % of one's extent,
/// unless a dash of another colour, another width or other markers tell them apart.</item>
/// <item><see cref="AxisTicks"/>: every drawn cartesian axis has at least two labelled ticks in its range. Ticks are
/// those plotly.js draws: explicit <c>tickvals</c> inside the range (the explicit <c>range</c>, else the drawn data's
/// range, widened by 5 %), multiples of <c>dtick</c> from <c>tick0</c>, or automatic ticks (at least two whenever the
/// range is not a single value); an axis whose data collapse to one value, or with hidden tick labels, fails.</item>
/// <item><see cref="LegendEntries"/>: where a legend shows, its entries are non-empty and distinct.</item>
/// <item><see cref="SparseCurve"/>: a line drawn without markers turns by more than <see cref="MaxTurnDegrees"/>° (in
/// the plot's pixels) at a point where it has fewer than <see cref="DenseCurvePoints"/> points, or between two
/// segments at least <see cref="CornerSegmentPx"/> px long: it shows a polygon, not a curve; sample it densely, or
/// mark the measured points.</item>
/// <item><see cref="StillSlider"/>: a slider's active step (the static picture) shows only flat curves (each varies
/// by at most 0.1 % of its size) while another step shows a curve that varies by 5 % or more.</item>
/// </list>
/// </summary>
public static partial class ChartRules
{
    public const string HiddenTrace = "hidden-trace";
    public const string AxisTicks = "axis-ticks";
    public const string LegendEntries = "legend-entries";
    public const string SparseCurve = "sparse-curve";
    public const string StillSlider = "still-slider";
    public const string Unreadable = "unreadable";

    /// <summary>A line with at least this many points is dense enough whatever its turns.</summary>
    public const int DenseCurvePoints = 20;

    /// <summary>The largest turn, in degrees, allowed at a vertex of a sparse line drawn without markers.</summary>
    public const double MaxTurnDegrees = 30;

    /// <summary>Coinciding points: within this fraction of the axis span.</summary>
    const double Coincide = 1e-3;

    /// <summary>Coinciding lines: within this many pixels of each other.</summary>
    const double CoincidePx = 2;

    /// <summary>A line is hidden when another covers at least this fraction of its x extent.</summary>
    const double HiddenFraction = 0.9;

    /// <summary>Adjacent segments at least this long (pixels) make a turn at their shared point visible as a corner.</summary>
    public const double CornerSegmentPx = 25;

    /// <summary>Every rule on a figure of an executed notebook.</summary>
    public static IReadOnlyList<ChartRuleViolation> Check(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        try
        {
            return Check(Parse(figure.Fragment));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return [new ChartRuleViolation(Unreadable, $"its data and layout could not be read: {e.Message}")];
        }
    }

    /// <summary>The figure (<c>{"data": […], "layout": {…}}</c>) in a chart's HTML fragment
    /// (<c>var data = …; var layout = …;</c>, as Plotly.NET writes it).</summary>
    public static JsonObject Parse(string fragment)
    {
        var m = DataAndLayout().Match(fragment);
        if (!m.Success) throw new FormatException("no 'var data = [...]; var layout = {...};' in the chart's HTML");
        return new JsonObject
        {
            ["data"] = JsonNode.Parse(m.Groups["data"].Value),
            ["layout"] = JsonNode.Parse(m.Groups["layout"].Value),
        };
    }

    [GeneratedRegex(@"var data = (?<data>\[.*?\]);\s*var layout = (?<layout>\{.*?\});\s*var config", RegexOptions.Singleline)]
    private static partial Regex DataAndLayout();

    /// <summary>Every rule on a Plotly figure <c>{"data": […], "layout": {…}}</c>.</summary>
    public static IReadOnlyList<ChartRuleViolation> Check(JsonObject figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var traces = (figure["data"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var layout = figure["layout"] as JsonObject ?? [];
        var drawn = traces.Select((t, i) => (Trace: t, Index: i)).Where(p => Drawn(p.Trace)).ToList();
        var found = new List<ChartRuleViolation>();
        var axes = ChartAxes.Of(layout, drawn.Select(p => p.Trace).ToList());
        found.AddRange(Hidden(drawn, axes));
        found.AddRange(axes.All.SelectMany(a => a.TickViolations()));
        found.AddRange(Legend(drawn, layout));
        found.AddRange(Sparse(drawn, axes));
        found.AddRange(Slider(traces, layout));
        return found;
    }

    static bool Drawn(JsonObject t) => t["visible"] is not JsonValue v
        || (v.TryGetValue(out bool b) ? b : v.TryGetValue(out string? s) && s != "legendonly");

    internal static string NameOf(JsonObject t, int index) =>
        t["name"]?.GetValue<string>() is { Length: > 0 } n ? $"'{PlainText(n)}'" : $"trace {index}";

    internal static string PlainText(string markup) =>
        System.Net.WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(markup, @"<br\s*/?>", " ", RegexOptions.IgnoreCase), "<[^<>]*>", "")).Trim();

    static string Mode(JsonObject t) => t["mode"]?.GetValue<string>() ?? (t["type"]?.GetValue<string>() is "scatter" or "scattergl" or null ? "lines+markers" : "");

    static bool IsLine(JsonObject t) => t["type"]?.GetValue<string>() is null or "scatter" or "scattergl";

    static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    static double Num(JsonNode? n, double fallback) => n is JsonValue v && v.TryGetValue(out double d) ? d : fallback;

    // ---- hidden traces ---------------------------------------------------------------------------------------------

    static IEnumerable<ChartRuleViolation> Hidden(List<(JsonObject Trace, int Index)> drawn, ChartAxes.Set axes)
    {
        var lines = drawn.Where(p => IsLine(p.Trace)).ToList();
        for (int a = 0; a < lines.Count; a++)
        {
            for (int b = a + 1; b < lines.Count; b++)
            {
                var (lower, upper) = (lines[a].Trace, lines[b].Trace);
                if (!axes.SameAxes(lower, upper) || ShowsThrough(lower, upper)) continue;
                bool bothLines = Mode(lower).Contains("lines", StringComparison.Ordinal) && Mode(upper).Contains("lines", StringComparison.Ordinal);
                bool under = bothLines
                    ? Math.Max(axes.Covered(lower, upper, CoincidePx), axes.Covered(upper, lower, CoincidePx)) >= HiddenFraction
                    : axes.Coincide(lower, upper, Coincide);
                if (!under) continue;
                yield return new(HiddenTrace, $"{NameOf(lower, lines[a].Index)} and {NameOf(upper, lines[b].Index)} are drawn on top of " +
                    "each other (the same points, or the same line over most of its length) in a way that hides one: draw one " +
                    "dashed in another colour or with other markers, or draw it once with both names");
                break;
            }
        }
    }

    /// <summary>Whether the lower of two coinciding traces still shows under the upper one, and the upper over the
    /// lower: a dashed line on top shows a line of another colour through its gaps (a solid one on top hides it); a wider line shows around a narrower
    /// one; different markers show side by side. Two lines of one colour look like one line whatever their dash.</summary>
    static bool ShowsThrough(JsonObject lower, JsonObject upper)
    {
        string ml = Mode(lower), mu = Mode(upper);
        string? cl = Str(lower["line"]?["color"]) ?? Str(lower["marker"]?["color"]), cu = Str(upper["line"]?["color"]) ?? Str(upper["marker"]?["color"]);
        bool sameColour = cl is not null && cl == cu;
        string dl = Str(lower["line"]?["dash"]) ?? "solid", du = Str(upper["line"]?["dash"]) ?? "solid";
        bool lineShows = ml.Contains("lines", StringComparison.Ordinal) && (!mu.Contains("lines", StringComparison.Ordinal)
            || (du != "solid" && du != dl && !sameColour)
            || Math.Abs(Num(lower["line"]?["width"], 2) - Num(upper["line"]?["width"], 2)) > 0.5);
        bool markersShow = ml.Contains("markers", StringComparison.Ordinal) && (!mu.Contains("markers", StringComparison.Ordinal)
            || (Str(lower["marker"]?["symbol"]) ?? "circle") != (Str(upper["marker"]?["symbol"]) ?? "circle")
            || Math.Abs(Num(lower["marker"]?["size"], 6) - Num(upper["marker"]?["size"], 6)) > 1);
        return lineShows || markersShow;
    }

    // ---- legend -----------------------------------------------------------------------------------------------------

    static IEnumerable<ChartRuleViolation> Legend(List<(JsonObject Trace, int Index)> drawn, JsonObject layout)
    {
        var entries = drawn.Where(p => p.Trace["showlegend"] is not JsonValue v || !v.TryGetValue(out bool b) || b).ToList();
        bool shows = layout["showlegend"] is JsonValue s && s.TryGetValue(out bool sl) ? sl : entries.Count > 1;
        if (!shows) yield break;
        foreach (var (t, i) in entries.Where(p => string.IsNullOrWhiteSpace(PlainText(p.Trace["name"]?.GetValue<string>() ?? ""))))
            yield return new(LegendEntries, $"trace {i} is in the legend without a name (plotly.js shows 'trace {i}')");
        foreach (var dup in entries.GroupBy(p => PlainText(p.Trace["name"]?.GetValue<string>() ?? "")).Where(g => g.Key.Length > 0 && g.Count() > 1))
            yield return new(LegendEntries, $"the legend shows '{dup.Key}' {dup.Count()} times (traces {string.Join(", ", dup.Select(p => p.Index))})");
    }

    // ---- sparse curves ----------------------------------------------------------------------------------------------

    static IEnumerable<ChartRuleViolation> Sparse(List<(JsonObject Trace, int Index)> drawn, ChartAxes.Set axes)
    {
        foreach (var (t, i) in drawn)
        {
            if (!IsLine(t) || Mode(t) != "lines") continue;
            var pixels = axes.Pixels(t);
            if (pixels.Count < 3) continue;
            double worst = 0;
            for (int j = 1; j + 1 < pixels.Count; j++)
            {
                var (ax, ay) = (pixels[j].X - pixels[j - 1].X, pixels[j].Y - pixels[j - 1].Y);
                var (bx, by) = (pixels[j + 1].X - pixels[j].X, pixels[j + 1].Y - pixels[j].Y);
                bool corner = pixels.Count < DenseCurvePoints
                    || Math.Min(Math.Sqrt(ax * ax + ay * ay), Math.Sqrt(bx * bx + by * by)) >= CornerSegmentPx;
                if (!corner || Math.Sqrt(ax * ax + ay * ay) < 2 || Math.Sqrt(bx * bx + by * by) < 2) continue;
                double turn = Math.Abs(Math.Atan2(ax * by - ay * bx, ax * bx + ay * by)) * 180 / Math.PI;
                worst = Math.Max(worst, turn);
            }
            if (worst > MaxTurnDegrees)
                yield return new(SparseCurve, string.Create(CultureInfo.InvariantCulture,
                    $"{NameOf(t, i)} is a line through {pixels.Count} points without markers with a visible corner ({worst:0}° between segments of ≥ {CornerSegmentPx} px, or a line of < {DenseCurvePoints} points): sample it densely, or draw markers at the measured points"));
        }
    }

    // ---- sliders ----------------------------------------------------------------------------------------------------

    static IEnumerable<ChartRuleViolation> Slider(List<JsonObject> traces, JsonObject layout)
    {
        if (layout["sliders"] is not JsonArray { Count: > 0 } sliders || sliders[0] is not JsonObject slider) yield break;
        if (slider["steps"] is not JsonArray steps || steps.Count < 2) yield break;
        int active = (int)Num(slider["active"], 0);
        var spans = new List<double>();
        foreach (var step in steps.OfType<JsonObject>())
        {
            if (step["args"] is not JsonArray { Count: > 0 } args || args[0]?["visible"] is not JsonArray visible)
            {
                yield break;
            }
            double span = 0;
            for (int i = 0; i < Math.Min(visible.Count, traces.Count); i++)
                if (visible[i] is JsonValue v && v.TryGetValue(out bool on) && on)
                    span = Math.Max(span, ChartAxes.YSpan(traces[i]));
            spans.Add(span);
        }
        if (active < 0 || active >= spans.Count) yield break;
        if (spans[active] <= 1e-3 && spans.Max() >= 0.05)
        {
            var label = PlainText(Str(steps[active]?["label"]) ?? active.ToString(CultureInfo.InvariantCulture));
            yield return new(StillSlider, $"the slider's static step '{label}' shows only flat curves while other steps do not: " +
                "start the slider at a step that shows the result");
        }
    }
}

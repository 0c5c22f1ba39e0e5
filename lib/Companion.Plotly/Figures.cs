using Plotly.NET;
using static Companion.Plotly.PlotStyle;

namespace Companion.Plotly;

/// <summary>
/// The Plotly.NET figures behind <c>Companion.Charts.Plot</c> (whose doc comments describe each chart): each builds a
/// <see cref="GenericChart"/> with a title, axis titles, the house white template and a legend whenever there is more
/// than one named trace. Runs inside Companion's isolated load context; arguments arrive validated.
/// </summary>
public static partial class Figures
{
    /// <summary>Line chart of y against x for each series (loss curves, norms against step k, …).</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">x axis title, with units or symbol.</param>
    /// <param name="yLabel">y axis title, with units or symbol.</param>
    /// <param name="series">One trace per series; a dashed series is drawn dashed, a markers-only one as dots.</param>
    /// <param name="logY">Logarithmic y axis (non-positive values are not drawn).</param>
    /// <param name="logX">Logarithmic x axis.</param>
    /// <param name="markers">Also mark each point.</param>
    /// <exception cref="ArgumentException">No series, or a series is empty or has X and Y of different lengths.</exception>
    public static GenericChart Lines(string title, string xLabel, string yLabel, SeriesTuple[] series,
        bool logY = false, bool logX = false, bool markers = false)
    {
        var list = Series.From(series);
        var colours = Colours(list.Select(s => s.ColourKey));
        // Dots first, so that lines (e.g. a dashed prediction through measured points) are drawn over them.
        var traces = list.OrderBy(s => s.MarkersOnly ? 0 : 1).Select(s => (Trace)ScatterTrace(
            s.Name, s.X, s.Y, s.MarkersOnly ? "markers" : markers ? "lines+markers" : "lines", colours[s.ColourKey],
            legendGroup: s.LegendGroup, dash: s.Dashed ? "dash" : null, markerSize: 6));
        var layout = BaseLayout(title, Width, Height, showLegend: list.Count > 1);
        Set(layout,
            ("xaxis", Axis(xLabel, logX, list.SelectMany(s => s.X))),
            ("yaxis", Axis(yLabel, logY, list.SelectMany(s => s.Y))));
        return Figure(traces, layout);
    }

    /// <summary>Scatter plot: one marker per point, one colour per series.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">x axis title.</param>
    /// <param name="yLabel">y axis title.</param>
    /// <param name="series">One trace per series.</param>
    /// <exception cref="ArgumentException">No series, or a series is empty or has X and Y of different lengths.</exception>
    public static GenericChart Scatter(string title, string xLabel, string yLabel, SeriesTuple[] series)
    {
        var list = Series.From(series);
        var colours = Colours(list.Select(s => s.ColourKey));
        var traces = list.Select(s => (Trace)ScatterTrace(
            s.Name, s.X, s.Y, "markers", colours[s.ColourKey], legendGroup: s.LegendGroup, markerSize: 7));
        var layout = BaseLayout(title, Width, Height, showLegend: list.Count > 1);
        Set(layout,
            ("xaxis", Axis(xLabel, false, list.SelectMany(s => s.X))),
            ("yaxis", Axis(yLabel, false, list.SelectMany(s => s.Y))));
        return Figure(traces, layout);
    }

    /// <summary>
    /// Paths in a plane, e.g. iterates (d_k, g_k) of an optimiser: each path is a line whose start is marked with a
    /// circle and whose end with a cross, in the path's colour. Traces: all paths' lines first, then per path its
    /// start and end markers (named "<c>name</c> start" / "<c>name</c> end", not in the legend but toggled with it),
    /// then two data-less grey legend keys named "start" (○) and "end" (×).
    /// </summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Horizontal axis title.</param>
    /// <param name="yLabel">Vertical axis title.</param>
    /// <param name="paths">One path per series; point i is (X[i], Y[i]).</param>
    /// <param name="equalAxes">One unit on the y axis is as long as one unit on the x axis (circles look round).</param>
    /// <exception cref="ArgumentException">No paths, or a path is empty or has X and Y of different lengths.</exception>
    public static GenericChart Trajectories(string title, string xLabel, string yLabel, SeriesTuple[] paths,
        bool equalAxes = true)
    {
        var list = Series.From(paths);
        var colours = Colours(list.Select(s => s.ColourKey));
        var traces = new List<Trace>();
        traces.AddRange(list.Select(s => (Trace)ScatterTrace(
            s.Name, s.X, s.Y, s.MarkersOnly ? "markers" : "lines", colours[s.ColourKey], legendGroup: s.LegendGroup,
            dash: s.Dashed ? "dash" : null, lineWidth: 1.8, markerSize: 5)));
        // Start and end markers after every path's line, so that they are drawn on top (also over other paths), in
        // the path's colour with a dark outline, so that a marker stays visible where its own path is dense. Paths that
        // start at the same point share one start marker, named after all of them and drawn in the key's grey, instead
        // of one marker hiding the others.
        foreach (var group in list.GroupBy(s => (s.X[0], s.Y[0])))
        {
            var first = group.First();
            bool shared = group.Skip(1).Any();
            traces.Add(EndMarker(ScatterTrace($"{string.Join(", ", group.Select(s => s.Name))} start", [first.X[0]],
                [first.Y[0]], "markers", shared ? KeyGrey : colours[first.ColourKey],
                legendGroup: shared ? null : first.LegendGroup, showLegend: false, symbol: "circle", markerSize: StartSize)));
        }
        foreach (var s in list)
        {
            int last = s.X.Length - 1;
            traces.Add(EndMarker(ScatterTrace($"{s.Name} end", [s.X[last]], [s.Y[last]], "markers", colours[s.ColourKey],
                legendGroup: s.LegendGroup, showLegend: false, symbol: "x", markerSize: EndSize)));
        }
        foreach (var (key, symbol, size) in new[] { ("start", "circle", StartSize), ("end", "x", EndSize) })
        {
            var legendKey = EndMarker(ScatterTrace(key, [double.NaN], [double.NaN], "markers", KeyGrey, symbol: symbol, markerSize: size));
            legendKey.SetProperty("legendrank", KeyLegendRank); // after the paths, also when panels share a grid legend
            traces.Add(legendKey);
        }
        var layout = BaseLayout(title, SquareWidth, SquareHeight, showLegend: true);
        var yAxis = Axis(yLabel, false, list.SelectMany(s => s.Y));
        if (equalAxes)
        {
            EqualScale(yAxis);
        }
        Set(layout, ("xaxis", Axis(xLabel, false, list.SelectMany(s => s.X))), ("yaxis", yAxis));
        return Figure(traces, layout);
    }

    private const double StartSize = 11, EndSize = 13, EndOutline = 1.2;
    private const string EndOutlineColour = "#1a1a1a";

    private static Trace2D EndMarker(Trace2D trace)
    {
        Set((DynamicObj.DynamicObj)Get(trace, "marker")!, ("line", Obj(("color", EndOutlineColour), ("width", EndOutline))));
        return trace;
    }

    /// <summary>
    /// Overlaid histograms of one or more groups of values on shared bins: <paramref name="bins"/> equal-width bins
    /// spanning the smallest to the largest value over all groups.
    /// </summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Title of the value axis.</param>
    /// <param name="yLabel">Title of the count axis (e.g. "count").</param>
    /// <param name="groups">Named groups of finite values, each non-empty.</param>
    /// <param name="bins">Number of bins, ≥ 1.</param>
    /// <exception cref="ArgumentException">No groups, an empty group, a non-finite value, or bins &lt; 1.</exception>
    public static GenericChart Histogram(string title, string xLabel, string yLabel,
        (string Name, string? Key, double[] Values)[] groups, int bins)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"Histogram '{title}': groups is empty; pass at least one group", nameof(groups));
        }
        if (bins < 1)
        {
            throw new ArgumentException($"Histogram '{title}': bins must be ≥ 1 but is {bins}", nameof(bins));
        }
        foreach (var (name, _, values) in list)
        {
            if (values is null || values.Length == 0)
            {
                throw new ArgumentException($"Histogram '{title}': group '{name}' has no values", nameof(groups));
            }
            int bad = Array.FindIndex(values, v => !double.IsFinite(v));
            if (bad >= 0)
            {
                throw new ArgumentException(
                    $"Histogram '{title}': group '{name}' has a non-finite value {values[bad]} at index {bad}", nameof(groups));
            }
        }
        double min = list.Min(g => g.Values.Min()), max = list.Max(g => g.Values.Max());
        // Widen by a hair so that the largest value falls inside the last bin rather than opening a new one.
        double size = max > min ? (max - min) / bins * (1 + 1e-9) : 1.0;
        double start = max > min ? min : min - 0.5;
        var colours = Colours(list.Select(g => g.Key ?? g.Name));
        var traces = list.Select(g =>
        {
            var t = new Trace2D("histogram");
            Set(t, ("name", ChartText.Markup(g.Name)), ("x", g.Values), ("legendgroup", g.Key ?? g.Name),
                ("opacity", list.Count > 1 ? 0.6 : 1.0),
                ("xbins", Obj(("start", start), ("end", start + size * bins), ("size", size))),
                ("marker", Obj(("color", colours[g.Key ?? g.Name]), ("line", Obj(("color", "white"), ("width", 0.5))))));
            return (Trace)t;
        });
        var layout = BaseLayout(title, Width, Height, showLegend: list.Count > 1);
        // Counts are integers: the count axis is ticked as one (from 0 to the fullest bin).
        int fullest = list.Max(g => g.Values.GroupBy(v => Math.Min(bins - 1, (int)Math.Floor((v - start) / size))).Max(b => b.Count()));
        Set(layout, ("xaxis", Axis(xLabel)), ("yaxis", Axis(yLabel, false, [0.0, fullest])), ("barmode", "overlay"), ("bargap", 0.02));
        return Figure(traces, layout);
    }
}

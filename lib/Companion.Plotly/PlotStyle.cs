using System.Globalization;
using Plotly.NET;

namespace Companion.Plotly;

/// <summary>
/// The house look of every chart and the small builders behind <see cref="Plot"/>. Figures are assembled from
/// Plotly.NET's dynamic objects (<see cref="Trace2D"/>, <see cref="Layout"/>) with plotly.js attribute names, so
/// no F# option or curried function reaches a caller, every chart is built from fresh objects (Plotly.NET's own
/// combinators mutate the layouts they merge), and the figure JSON reads like the plotly.js reference.
/// </summary>
internal static class PlotStyle
{
    /// <summary>Default colour cycle (the D3 / Matplotlib "tab10" colours).</summary>
    internal static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    /// <summary>Colour of reference curves (the unit circle).</summary>
    internal const string ReferenceGrey = "#8a8a8a"; // not a palette colour, so Grid never recolours it

    /// <summary>Colour of legend keys that explain a marker symbol.</summary>
    internal const string KeyGrey = "#444444";

    /// <summary>plotly.js lists legend entries by rank (default 1000); keys go last.</summary>
    internal const int KeyLegendRank = 2000;

    internal const int Width = 800;
    internal const int Height = 500;
    internal const int SquareWidth = 760;
    internal const int SquareHeight = 640;

    /// <summary>A plotly.js object with the given attributes; null values are left out.</summary>
    internal static DynamicObj.DynamicObj Obj(params (string Key, object? Value)[] attributes)
    {
        var o = new DynamicObj.DynamicObj();
        Set(o, attributes);
        return o;
    }

    internal static void Set(DynamicObj.DynamicObj target, params (string Key, object? Value)[] attributes)
    {
        foreach (var (key, value) in attributes)
        {
            if (value is not null)
            {
                target.SetProperty(key, value);
            }
        }
    }

    internal static object? Get(DynamicObj.DynamicObj o, string key) =>
        o.TryGetPropertyValue(key) is { } v ? v.Value : null;

    /// <summary>Colour per key in order of first appearance, cycling through <see cref="Palette"/>.</summary>
    internal static Dictionary<string, string> Colours(IEnumerable<string> keys)
    {
        var map = new Dictionary<string, string>();
        foreach (var k in keys)
        {
            if (!map.ContainsKey(k))
            {
                map[k] = Palette[map.Count % Palette.Length];
            }
        }
        return map;
    }

    /// <summary>Non-finite values become null so that the JSON is standard and plotly.js leaves a gap.</summary>
    internal static double?[] Gapped(double[] values) =>
        Array.ConvertAll(values, v => double.IsFinite(v) ? v : (double?)null);

    /// <summary>A scatter-type trace (lines and/or markers).</summary>
    internal static Trace2D ScatterTrace(
        string name, double[] x, double[] y, string mode, string colour,
        string? legendGroup = null, bool showLegend = true, string? dash = null, double lineWidth = 2,
        string? symbol = null, double markerSize = 7, string? hoverTemplate = null)
    {
        var t = new Trace2D("scatter");
        Set(t,
            ("name", name), ("x", Gapped(x)), ("y", Gapped(y)), ("mode", mode),
            ("legendgroup", legendGroup ?? name), ("showlegend", showLegend), ("hovertemplate", hoverTemplate));
        if (mode.Contains("lines", StringComparison.Ordinal))
        {
            t.SetProperty("line", Obj(("color", colour), ("width", lineWidth), ("dash", dash)));
        }
        if (mode.Contains("markers", StringComparison.Ordinal))
        {
            t.SetProperty("marker", Obj(("color", colour), ("size", markerSize), ("symbol", symbol)));
        }
        return t;
    }

    /// <summary>A cartesian axis with a title; <paramref name="log"/> makes it logarithmic with 10^k tick labels.</summary>
    internal static DynamicObj.DynamicObj Axis(string title, bool log = false) =>
        Obj(("title", Obj(("text", title))),
            ("type", log ? "log" : null),
            ("exponentformat", log ? "power" : null));

    /// <summary>
    /// An axis for the given values. On a log axis spanning half a decade to two decades, plotly.js's automatic ticks
    /// either crowd or shrink to small print, so ticks are set at 1, 2 and 5 times powers of ten, labelled plainly.
    /// </summary>
    internal static DynamicObj.DynamicObj Axis(string title, bool log, IEnumerable<double> values)
    {
        var axis = Axis(title, log);
        if (log)
        {
            var positive = values.Where(v => v > 0 && double.IsFinite(v)).ToArray();
            if (positive.Length > 0)
            {
                double min = positive.Min(), max = positive.Max(), decades = Math.Log10(max / min);
                if (decades is >= 0.5 and <= 2)
                {
                    var ticks = OneTwoFive(min, max);
                    Set(axis, ("tickmode", "array"), ("tickvals", ticks),
                        ("ticktext", ticks.Select(t => t.ToString("G3", CultureInfo.InvariantCulture)).ToArray()));
                }
            }
        }
        return axis;
    }

    /// <summary>The numbers m·10^e (m = 1, 2, 5) from just below <paramref name="min"/> to just above <paramref name="max"/>.</summary>
    internal static double[] OneTwoFive(double min, double max)
    {
        var ticks = new List<double>();
        for (int e = (int)Math.Floor(Math.Log10(min)) - 1; e <= (int)Math.Ceiling(Math.Log10(max)); e++)
        {
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
            {
                // Round to 12 significant digits so that 0.1·2 prints as 0.2, not 0.20000000000000001.
                double t = double.Parse((m * Math.Pow(10, e)).ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                if (t >= min / 2.5 && t <= max * 2.5)
                {
                    ticks.Add(t);
                }
            }
        }
        return [.. ticks];
    }

    /// <summary>Ties the y axis scale to the x axis (one unit of y is as long as one unit of x).</summary>
    internal static void EqualScale(DynamicObj.DynamicObj yAxis, string xAxisRef = "x")
    {
        Set(yAxis, ("scaleanchor", xAxisRef), ("scaleratio", 1.0));
    }

    /// <summary>The layout every chart starts from: title, size, legend switch and the white template.</summary>
    internal static Layout BaseLayout(string title, int width, int height, bool showLegend)
    {
        var layout = new Layout();
        Set(layout,
            ("title", Obj(("text", title), ("x", 0.5), ("xanchor", "center"), ("font", Obj(("size", 18))))),
            ("width", width), ("height", height),
            ("showlegend", showLegend),
            ("legend", Obj(("bgcolor", "rgba(255,255,255,0.85)"), ("bordercolor", "#d0d0d0"), ("borderwidth", 1))),
            ("margin", Obj(("l", 70), ("r", 30), ("t", 70), ("b", 60))),
            ("template", WhiteTemplate()));
        return layout;
    }

    /// <summary>White background, light grid, boxed axes with outside ticks, tab10 colours.</summary>
    private static DynamicObj.DynamicObj WhiteTemplate()
    {
        static DynamicObj.DynamicObj AxisStyle() => Obj(
            ("showgrid", true), ("gridcolor", "#e8e8e8"),
            ("zeroline", true), ("zerolinecolor", "#c8c8c8"), ("zerolinewidth", 1),
            ("showline", true), ("linecolor", "#444444"), ("linewidth", 1), ("mirror", true),
            ("ticks", "outside"), ("tickcolor", "#444444"), ("ticklen", 5),
            ("automargin", true), ("title", Obj(("standoff", 10))));
        var layout = Obj(
            ("paper_bgcolor", "white"), ("plot_bgcolor", "white"),
            ("font", Obj(("family", "Arial, Helvetica, sans-serif"), ("size", 13), ("color", "#222222"))),
            ("colorway", Palette),
            ("hovermode", "closest"),
            ("xaxis", AxisStyle()), ("yaxis", AxisStyle()));
        return Obj(("layout", layout));
    }

    /// <summary>Wraps traces and a layout into a chart (no Plotly.NET defaults added).</summary>
    internal static GenericChart Figure(IEnumerable<Trace> traces, Layout layout) =>
        GenericChart.setLayout(layout, GenericChart.ofTraceObjects(false, traces.ToArray()));
}

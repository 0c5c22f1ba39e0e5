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

    /// <summary>Colour per key: the key's notebook-wide colour (<see cref="KeyColours"/>), distinct within the chart.</summary>
    internal static Dictionary<string, string> Colours(IEnumerable<string> keys) => KeyColours.ForChart(keys);

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
            ("name", ChartText.Markup(name)), ("x", Gapped(x)), ("y", Gapped(y)), ("mode", mode),
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

    /// <summary>Log axes spanning more decades than this are ticked at powers of ten, narrower ones at 1-2-5.</summary>
    internal const double MaxOneTwoFiveDecades = 2.5;

    /// <summary>At most this many decade ticks; wider axes tick every second (third, …) decade.</summary>
    internal const int MaxDecadeTicks = 8;

    /// <summary>An integer axis spanning at most this much is ticked at every integer (plotly.js would tick halves).</summary>
    internal const double MaxUnitTickSpan = 12;

    /// <summary>A cartesian axis with a title; <paramref name="log"/> makes it logarithmic.</summary>
    internal static DynamicObj.DynamicObj Axis(string title, bool log = false) =>
        Obj(("title", Obj(("text", ChartText.Markup(title)))),
            ("type", log ? "log" : null));

    /// <summary>
    /// An axis for the given values, ticked by the house rules. A log axis gets explicit ticks, all labels in one font
    /// size: 1, 2 and 5 times powers of ten when the data span at most <see cref="MaxOneTwoFiveDecades"/> decades
    /// (the range widened to the neighbouring ticks when fewer than two would show), else powers of ten only (every
    /// k-th decade, at most <see cref="MaxDecadeTicks"/>), written plainly from 0.001 to 10000 and as 10<sup>k</sup>
    /// beyond. A linear axis whose values are all integers (steps, ranks, depths, counts) gets integer ticks.
    /// </summary>
    internal static DynamicObj.DynamicObj Axis(string title, bool log, IEnumerable<double> values)
    {
        var axis = Axis(title, log);
        var finite = values.Where(double.IsFinite).ToArray();
        if (log)
        {
            var positive = finite.Where(v => v > 0).ToArray();
            if (positive.Length > 0)
            {
                LogTicks(axis, positive.Min(), positive.Max());
            }
        }
        else
        {
            IntegerTicks(axis, finite);
        }
        return axis;
    }

    /// <summary>Sets the log-axis ticks of the house rule for data spanning [<paramref name="min"/>, <paramref name="max"/>].</summary>
    internal static void LogTicks(DynamicObj.DynamicObj axis, double min, double max)
    {
        double[] ticks;
        double[]? range = null;
        if (Math.Log10(max / min) <= MaxOneTwoFiveDecades)
        {
            var all = OneTwoFive(min, max);
            ticks = all; // a few beyond the data too: they show where plotly.js pads the range (markers)
            if (all.Count(t => t >= min * (1 - 1e-12) && t <= max * (1 + 1e-12)) < 2)
            {
                double below = all.Where(t => t <= min).DefaultIfEmpty(all[0]).Max();
                double above = all.Where(t => t >= max).DefaultIfEmpty(all[^1]).Min();
                ticks = all.Where(t => t >= below && t <= above).ToArray();
                range = [Math.Log10(below), Math.Log10(above)];
            }
        }
        else
        {
            int lo = (int)Math.Ceiling(Math.Log10(min) - 1e-12), hi = (int)Math.Floor(Math.Log10(max) + 1e-12);
            int every = Math.Max(1, (int)Math.Ceiling((hi - lo + 1) / (double)MaxDecadeTicks));
            ticks = Enumerable.Range(lo, hi - lo + 1).Where(e => e % every == 0).Select(e => Math.Pow(10, e)).ToArray();
        }
        bool plain = ticks.All(t => t is >= 1e-3 and <= 1e4);
        Set(axis, ("tickmode", "array"), ("tickvals", ticks),
            ("ticktext", ticks.Select(t => plain ? t.ToString("G4", CultureInfo.InvariantCulture) : PowerOfTen(t)).ToArray()),
            ("range", range));
    }

    /// <summary>"10<sup>k</sup>" for a power of ten, else m·10<sup>k</sup>.</summary>
    private static string PowerOfTen(double t)
    {
        int e = (int)Math.Floor(Math.Log10(t) + 1e-9);
        double m = Math.Round(t / Math.Pow(10, e), 6);
        string power = $"10<sup>{(e < 0 ? "−" + (-e).ToString(CultureInfo.InvariantCulture) : e.ToString(CultureInfo.InvariantCulture))}</sup>";
        return m == 1 ? power : $"{m.ToString("G3", CultureInfo.InvariantCulture)}·{power}";
    }

    /// <summary>Integer ticks (dtick 1 from 0) when every value is an integer and their span is at most <see cref="MaxUnitTickSpan"/>;
    /// wider integer spans get plotly.js's automatic ticks, which are integers there.</summary>
    internal static void IntegerTicks(DynamicObj.DynamicObj axis, IReadOnlyCollection<double> values)
    {
        if (values.Count == 0 || !values.All(v => Math.Abs(v - Math.Round(v)) <= 1e-9 * Math.Max(1, Math.Abs(v))))
        {
            return;
        }
        double span = values.Max() - values.Min();
        if (span <= MaxUnitTickSpan)
        {
            Set(axis, ("tick0", 0), ("dtick", 1), ("tickformat", "d"));
        }
        else
        {
            Set(axis, ("tickformat", "d"));
        }
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
    /// <summary>Width of one title character in pixels (18 px Arial, a little over its average).</summary>
    private const int TitleCharWidth = 10;

    /// <summary>Height added per extra title line, in pixels.</summary>
    private const int TitleLineHeight = 24;

    private static List<string> TitleLines(string title, int width) =>
        ChartText.Wrap(ChartText.Markup(title) ?? "", Math.Max(20, (width - 40) / TitleCharWidth));

    /// <summary>The height a title takes beyond one line (added to the figure's height and top margin).</summary>
    internal static int TitleExtraHeight(string title, int width) => TitleLineHeight * (TitleLines(title, width).Count - 1);

    internal static Layout BaseLayout(string title, int width, int height, bool showLegend)
    {
        var layout = new Layout();
        // plotly.js does not wrap titles: one longer than the figure is wide runs off both edges, so break it at
        // spaces into lines that fit (18 px Arial: ~10 px per character) and give each extra line room at the top.
        var lines = TitleLines(title, width);
        Set(layout,
            ("title", Obj(("text", string.Join("<br>", lines)), ("x", 0.5), ("xanchor", "center"), ("font", Obj(("size", 18))))),
            ("width", width), ("height", height + TitleExtraHeight(title, width)),
            ("showlegend", showLegend),
            ("legend", Obj(("bgcolor", "rgba(255,255,255,0.85)"), ("bordercolor", "#d0d0d0"), ("borderwidth", 1))),
            ("margin", Obj(("l", 70), ("r", 30), ("t", 70 + TitleExtraHeight(title, width)), ("b", 60))),
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

using Plotly.NET;
using static Companion.Plotly.PlotStyle;

namespace Companion.Plotly;

public static partial class Figures
{
    /// <summary>Up to this many rows (columns) every row (column) index is written on the axis.</summary>
    private const int MaxUnitTicks = 25;

    /// <summary>ColorBrewer RdBu, blue for negative, white at 0, red for positive.</summary>
    private static readonly object[][] Diverging =
    [
        [0.0, "#2166ac"], [0.25, "#67a9cf"], [0.5, "#f7f7f7"], [0.75, "#ef8a62"], [1.0, "#b2182b"],
    ];

    /// <summary>Heatmap of a matrix given as rows (each of the same length); see the <c>double[,]</c> overload.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Title of the column axis.</param>
    /// <param name="yLabel">Title of the row axis.</param>
    /// <param name="z">Rows of values, rows×cols; every row must have cols entries.</param>
    /// <param name="colorbarTitle">Title of the colour bar.</param>
    /// <param name="xTicks">Column labels, length cols.</param>
    /// <param name="yTicks">Row labels, length rows.</param>
    /// <param name="annotate">Write each cell's value in the cell.</param>
    /// <param name="reverseY">Row 0 on top.</param>
    /// <exception cref="ArgumentException">Empty or ragged matrix, or tick labels whose count does not match.</exception>
    public static GenericChart Heatmap(string title, string xLabel, string yLabel, double[][] z,
        string? colorbarTitle = null, string[]? xTicks = null, string[]? yTicks = null, bool annotate = false,
        bool reverseY = false, (double Value, string Label)[]? categories = null)
    {
        string chart = $"Heatmap '{title}'";
        ArgumentNullException.ThrowIfNull(z);
        if (z.Length == 0 || z[0] is null || z[0].Length == 0)
        {
            throw new ArgumentException($"{chart}: z is empty; it must have at least one row and one column", nameof(z));
        }
        int rows = z.Length, cols = z[0].Length;
        for (int i = 1; i < rows; i++)
        {
            if (z[i] is null || z[i].Length != cols)
            {
                throw new ArgumentException(
                    $"{chart}: z is ragged: row {i} has {z[i]?.Length ?? 0} entries but row 0 has {cols}", nameof(z));
            }
        }
        if (xTicks is not null && xTicks.Length != cols)
        {
            throw new ArgumentException($"{chart}: xTicks has {xTicks.Length} labels but z has {cols} columns", nameof(xTicks));
        }
        if (yTicks is not null && yTicks.Length != rows)
        {
            throw new ArgumentException($"{chart}: yTicks has {yTicks.Length} labels but z has {rows} rows", nameof(yTicks));
        }

        var finite = z.SelectMany(r => r).Where(double.IsFinite).ToArray();
        bool signed = finite.Length > 0 && finite.Min() < 0 && finite.Max() > 0;
        if (categories is not null)
        {
            return CategoryHeatmap(chart, title, xLabel, yLabel, z, xTicks, yTicks, annotate, reverseY, categories, signed);
        }
        var colorbar = Obj(("thickness", 16));
        if (colorbarTitle is not null)
        {
            colorbar.SetProperty("title", Obj(("text", ChartText.Markup(colorbarTitle)), ("side", "right")));
        }
        var trace = HeatmapTrace(title, z, xTicks, yTicks, annotate, "%{z:.4g}");
        Set(trace, ("colorscale", signed ? Diverging : "Viridis"), ("colorbar", colorbar));
        if (signed)
        {
            trace.SetProperty("zmid", 0.0);
        }

        return Figure([trace], HeatmapLayout(title, xLabel, yLabel, rows, cols, xTicks, yTicks, reverseY, showLegend: false));
    }

    /// <summary>The heatmap trace both kinds share: name, z (NaN as gaps), tick labels, hover text, optional cell labels.</summary>
    private static Trace2D HeatmapTrace(string title, double[][] z, string[]? xTicks, string[]? yTicks, bool annotate, string zFormat)
    {
        var trace = new Trace2D("heatmap");
        Set(trace,
            ("name", ChartText.Markup(title)),
            ("z", z.Select(Gapped).ToArray()),
            ("x", xTicks),
            ("y", yTicks),
            ("hovertemplate", $"row %{{y}}, column %{{x}}: {zFormat}<extra></extra>"));
        if (annotate)
        {
            trace.SetProperty("texttemplate", "%{z:.3~g}");
        }
        return trace;
    }

    private static Layout HeatmapLayout(string title, string xLabel, string yLabel, int rows, int cols,
        string[]? xTicks, string[]? yTicks, bool reverseY, bool showLegend)
    {
        var layout = BaseLayout(title, SquareWidth, SquareHeight, showLegend);
        var xAxis = Axis(xLabel);
        var yAxis = Axis(yLabel);
        // Given labels are categories, every one written (plotly.js would read "1" … "11" as numbers and thin them).
        Set(xAxis, ("showgrid", false), ("zeroline", false), ("ticks", ""),
            ("dtick", xTicks is null && cols <= MaxUnitTicks ? 1 : null), ("type", xTicks is null ? null : "category"));
        Set(yAxis, ("showgrid", false), ("zeroline", false), ("ticks", ""), ("autorange", reverseY ? "reversed" : null),
            ("dtick", yTicks is null && rows <= MaxUnitTicks ? 1 : null), ("type", yTicks is null ? null : "category"));
        Set(layout, ("xaxis", xAxis), ("yaxis", yAxis));
        return layout;
    }

    /// <summary>Outline of a category's legend square, so that a near-white category still shows.</summary>
    private const string CategoryOutline = "#9a9a9a";

    /// <summary>
    /// A heatmap of categories (a mask's kept/zeroed, a receptive field's in/out/blind): a stepped colour scale with
    /// one colour per category (the colour the continuous scale gives its value, so the picture looks the same), no
    /// colour bar, and one legend square per category named by its label.
    /// </summary>
    private static GenericChart CategoryHeatmap(string chart, string title, string xLabel, string yLabel, double[][] z,
        string[]? xTicks, string[]? yTicks, bool annotate, bool reverseY, (double Value, string Label)[] categories, bool signed)
    {
        var cats = categories.OrderBy(c => c.Value).ToArray();
        if (cats.Length == 0 || cats.Select(c => c.Value).Distinct().Count() != cats.Length || cats.Any(c => !double.IsFinite(c.Value) || c.Label is null))
        {
            throw new ArgumentException($"{chart}: categories must be distinct finite values, each with a label", nameof(categories));
        }
        for (int i = 0; i < z.Length; i++)
        {
            for (int j = 0; j < z[i].Length; j++)
            {
                if (double.IsFinite(z[i][j]) && !cats.Any(c => c.Value == z[i][j]))
                {
                    throw new ArgumentException(
                        $"{chart}: cell ({i}, {j}) is {z[i][j]}, which is none of the categories {string.Join(", ", cats.Select(c => c.Value))}",
                        nameof(categories));
                }
            }
        }
        double lo = cats[0].Value, hi = cats[^1].Value;
        string ColourOf(double v)
        {
            if (signed || lo < 0 && hi > 0)
            {
                double m = Math.Max(Math.Abs(lo), Math.Abs(hi));
                return Interpolate(Diverging, m == 0 ? 0.5 : (v + m) / (2 * m));
            }
            return Interpolate(ViridisStops, hi == lo ? 1 : (v - lo) / (hi - lo));
        }
        var colours = cats.Select(c => ColourOf(c.Value)).ToArray();
        // Stepped scale over [zmin, zmax] = [lo − ½, hi + ½] in value units: category k owns the band between the
        // midpoints to its neighbours.
        double zmin = lo - 0.5, zmax = hi + 0.5, width = zmax - zmin;
        var scale = new List<object[]>();
        for (int k = 0; k < cats.Length; k++)
        {
            double from = k == 0 ? 0 : ((cats[k - 1].Value + cats[k].Value) / 2 - zmin) / width;
            double to = k == cats.Length - 1 ? 1 : ((cats[k].Value + cats[k + 1].Value) / 2 - zmin) / width;
            scale.Add([from, colours[k]]);
            scale.Add([to, colours[k]]);
        }
        var trace = HeatmapTrace(title, z, xTicks, yTicks, annotate, "%{z}");
        Set(trace, ("colorscale", scale.ToArray()), ("zmin", zmin), ("zmax", zmax), ("showscale", false));
        var traces = new List<Trace> { trace };
        for (int k = 0; k < categories.Length; k++) // legend in the caller's order
        {
            int c = Array.FindIndex(cats, x => x.Value == categories[k].Value);
            var key = ScatterTrace(cats[c].Label, [double.NaN], [double.NaN], "markers", colours[c], symbol: "square", markerSize: 14);
            Set((DynamicObj.DynamicObj)Get(key, "marker")!, ("line", Obj(("color", CategoryOutline), ("width", 1))));
            key.SetProperty("legendrank", KeyLegendRank + k);
            traces.Add(key);
        }
        return Figure(traces, HeatmapLayout(title, xLabel, yLabel, z.Length, z[0].Length, xTicks, yTicks, reverseY, showLegend: true));
    }

    /// <summary>Plotly's Viridis scale (as plotly.js defines it).</summary>
    private static readonly object[][] ViridisStops =
    [
        [0.0, "#440154"], [0.06274509803921569, "#48186a"], [0.12549019607843137, "#472d7b"], [0.18823529411764706, "#424086"],
        [0.25098039215686274, "#3b528b"], [0.3137254901960784, "#33638d"], [0.3764705882352941, "#2c728e"], [0.4392156862745098, "#26828e"],
        [0.5019607843137255, "#21918c"], [0.5647058823529412, "#1fa088"], [0.6274509803921569, "#28ae80"], [0.6901960784313725, "#3fbc73"],
        [0.7529411764705882, "#5ec962"], [0.8156862745098039, "#84d44b"], [0.8784313725490196, "#addc30"], [0.9411764705882353, "#d8e219"],
        [1.0, "#fde725"],
    ];

    /// <summary>The colour of a scale at position t ∈ [0, 1], interpolated in RGB as plotly.js does.</summary>
    private static string Interpolate(object[][] stops, double t)
    {
        t = Math.Clamp(t, 0, 1);
        int k = 1;
        while (k < stops.Length - 1 && (double)stops[k][0] < t)
        {
            k++;
        }
        double t0 = (double)stops[k - 1][0], t1 = (double)stops[k][0], f = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
        var (r0, g0, b0) = Rgb((string)stops[k - 1][1]);
        var (r1, g1, b1) = Rgb((string)stops[k][1]);
        int Mix(int a, int b) => (int)Math.Round(a + (b - a) * f);
        return $"#{Mix(r0, r1):x2}{Mix(g0, g1):x2}{Mix(b0, b1):x2}";
    }

    private static (int R, int G, int B) Rgb(string hex) =>
        (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
}

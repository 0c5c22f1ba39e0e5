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
        bool reverseY = false)
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
        var colorbar = Obj(("thickness", 16));
        if (colorbarTitle is not null)
        {
            colorbar.SetProperty("title", Obj(("text", colorbarTitle), ("side", "right")));
        }
        var trace = new Trace2D("heatmap");
        Set(trace,
            ("name", title),
            ("z", z.Select(Gapped).ToArray()),
            ("x", xTicks),
            ("y", yTicks),
            ("colorscale", signed ? Diverging : "Viridis"),
            ("colorbar", colorbar),
            ("hovertemplate", "row %{y}, column %{x}: %{z:.4g}<extra></extra>"));
        if (signed)
        {
            trace.SetProperty("zmid", 0.0);
        }
        if (annotate)
        {
            trace.SetProperty("texttemplate", "%{z:.3~g}");
        }

        var layout = BaseLayout(title, SquareWidth, SquareHeight, showLegend: false);
        var xAxis = Axis(xLabel);
        var yAxis = Axis(yLabel);
        Set(xAxis, ("showgrid", false), ("zeroline", false), ("ticks", ""),
            ("dtick", xTicks is null && cols <= MaxUnitTicks ? 1 : null));
        Set(yAxis, ("showgrid", false), ("zeroline", false), ("ticks", ""), ("autorange", reverseY ? "reversed" : null),
            ("dtick", yTicks is null && rows <= MaxUnitTicks ? 1 : null));
        Set(layout, ("xaxis", xAxis), ("yaxis", yAxis));
        return Figure([trace], layout);
    }
}

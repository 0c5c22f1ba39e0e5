using Plotly.NET;
using static Companion.Plotly.PlotStyle;

namespace Companion.Plotly;

public static partial class Figures
{
    /// <summary>Colour of the outline that <see cref="WithMarkedCell"/> draws.</summary>
    private const string MarkColour = "#111111";

    /// <summary>
    /// A copy of a heatmap (made by <c>Heatmap</c>)
    /// with a text written in each cell instead of its value, e.g. pixel labels "11" … "55" as in a homework figure.
    /// The hover still shows the value. The original is unchanged.
    /// </summary>
    /// <param name="heatmap">A chart with exactly one heatmap trace, rows×cols.</param>
    /// <param name="text">One text per cell, rows×cols; text[i, j] goes in row i, column j.</param>
    /// <exception cref="ArgumentException">No single heatmap trace, or text of another shape than z.</exception>
    public static GenericChart WithCellText(object heatmapFigure, string[,] text)
    {
        var heatmap = (GenericChart)heatmapFigure;
        ArgumentNullException.ThrowIfNull(text);
        var (traces, index, rows, cols) = CopyHeatmapTraces(heatmap, nameof(WithCellText));
        if (text.GetLength(0) != rows || text.GetLength(1) != cols)
        {
            throw new ArgumentException(
                $"WithCellText: text is {text.GetLength(0)}×{text.GetLength(1)} but the heatmap is {rows}×{cols}", nameof(text));
        }
        var jagged = new string[rows][];
        for (int i = 0; i < rows; i++)
        {
            jagged[i] = new string[cols];
            for (int j = 0; j < cols; j++)
            {
                jagged[i][j] = text[i, j];
            }
        }
        Set(traces[index], ("text", jagged), ("texttemplate", "%{text}"), ("textfont", Obj(("size", 13))));
        return Figure(traces, CopyLayout(heatmap));
    }

    /// <summary>
    /// A copy of a heatmap with cell (row, col) outlined by an open square marker, e.g. the target pixel of a
    /// receptive field. The marker is a scatter trace named <paramref name="name"/>, so it survives <see cref="Grid"/>.
    /// The original is unchanged.
    /// </summary>
    /// <param name="heatmap">A chart with exactly one heatmap trace.</param>
    /// <param name="row">Row index (0-based, as in z).</param>
    /// <param name="col">Column index (0-based).</param>
    /// <param name="name">Legend / hover name of the mark.</param>
    /// <param name="size">Side of the square in pixels (about a cell's size on screen).</param>
    /// <exception cref="ArgumentException">No single heatmap trace, or a cell outside it.</exception>
    public static GenericChart WithMarkedCell(object heatmapFigure, int row, int col, string name, double size = 40)
    {
        var heatmap = (GenericChart)heatmapFigure;
        var (traces, index, rows, cols) = CopyHeatmapTraces(heatmap, nameof(WithMarkedCell));
        if (row < 0 || row >= rows || col < 0 || col >= cols)
        {
            throw new ArgumentException($"WithMarkedCell: cell ({row}, {col}) is outside the {rows}×{cols} heatmap", nameof(row));
        }
        object x = Get(traces[index], "x") is string[] xs ? xs[col] : col;
        object y = Get(traces[index], "y") is string[] ys ? ys[row] : row;
        var mark = new Trace2D("scatter");
        name = ChartText.Markup(name)!;
        Set(mark, ("name", name), ("x", new[] { x }), ("y", new[] { y }), ("mode", "markers"), ("showlegend", false),
            ("marker", Obj(("symbol", "square-open"), ("size", size), ("color", MarkColour), ("line", Obj(("width", 4))))),
            ("hovertemplate", $"{name}<extra></extra>"));
        traces.Add(mark);
        return Figure(traces, CopyLayout(heatmap));
    }

    private static (List<Trace> Traces, int Index, int Rows, int Cols) CopyHeatmapTraces(GenericChart chart, string caller)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var traces = new List<Trace>();
        foreach (var source in GenericChart.getTraces(chart))
        {
            var copy = new Trace2D(Get(source, "type") as string ?? "scatter");
            source.DeepCopyPropertiesTo(copy, Microsoft.FSharp.Core.FSharpOption<bool>.Some(true),
                Microsoft.FSharp.Core.FSharpOption<bool>.None);
            traces.Add(copy);
        }
        var heatmaps = traces.Select((t, i) => (t, i)).Where(p => Get(p.t, "type") as string == "heatmap").ToList();
        if (heatmaps.Count != 1)
        {
            throw new ArgumentException($"{caller}: the chart must have exactly one heatmap trace but has {heatmaps.Count}", nameof(chart));
        }
        var z = (double?[][])Get(heatmaps[0].t, "z")!;
        return (traces, heatmaps[0].i, z.Length, z[0].Length);
    }
}

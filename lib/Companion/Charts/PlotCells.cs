namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>
    /// A copy of a heatmap (made by <c>Heatmap</c>)
    /// with a text written in each cell instead of its value, e.g. pixel labels "11" … "55" as in a homework figure.
    /// The hover still shows the value. The original is unchanged.
    /// </summary>
    /// <param name="heatmap">A chart with exactly one heatmap trace, rows×cols.</param>
    /// <param name="text">One text per cell, rows×cols; text[i, j] goes in row i, column j.</param>
    /// <exception cref="ArgumentException">No single heatmap trace, or text of another shape than z.</exception>
    public static Chart WithCellText(Chart heatmap, string[,] text) =>
        PlotlyFigures.Call("WithCellText", Inner(heatmap), text);

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
    public static Chart WithMarkedCell(Chart heatmap, int row, int col, string name, double size = 40) =>
        PlotlyFigures.Call("WithMarkedCell", Inner(heatmap), row, col, name, size);
}

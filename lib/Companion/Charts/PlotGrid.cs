namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>
    /// Panels side by side: panel i goes to row i / cols, column i % cols (row 0 on top) with its own axes
    /// (xaxis{i+1}/yaxis{i+1}, keeping each panel's axis titles, log type, equal scale and reversed rows) and a
    /// subtitle above it (a layout annotation). Colours are reassigned across the grid so that each legend group
    /// (a series name, or a <see cref="Series.Group"/>) has one colour in every panel and different groups differ;
    /// a legend entry that repeats in several panels is shown once. The panels themselves are copied, not changed.
    /// </summary>
    /// <param name="title">Title of the whole figure.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="cols">Number of columns, ≥ 1.</param>
    /// <param name="panels">At most rows×cols charts made by this class, filled row by row.</param>
    /// <param name="subtitles">One per panel; default: each panel's own title.</param>
    /// <exception cref="ArgumentException">Bad grid size, too many or no panels, or a subtitle count that differs.</exception>
    public static Chart Grid(string title, int rows, int cols, IEnumerable<Chart> panels,
        IEnumerable<string>? subtitles = null) =>
        PlotlyFigures.Call("Grid", title, rows, cols, panels?.Select(Inner).ToArray()!, subtitles?.ToArray());
}

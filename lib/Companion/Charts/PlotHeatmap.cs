namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>
    /// Heatmap of a matrix: cell (i, j) is row i, column j of <paramref name="z"/>. Data with both signs get a
    /// diverging colour scale centred on 0 (blue negative, red positive); otherwise Viridis.
    /// </summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Title of the column axis.</param>
    /// <param name="yLabel">Title of the row axis.</param>
    /// <param name="z">Values, rows×cols (at least 1×1). NaN cells are left blank.</param>
    /// <param name="colorbarTitle">Title of the colour bar.</param>
    /// <param name="xTicks">Column labels, length cols; default 0..cols−1.</param>
    /// <param name="yTicks">Row labels, length rows; default 0..rows−1.</param>
    /// <param name="annotate">Write each cell's value (3 significant digits) in the cell.</param>
    /// <param name="reverseY">Row 0 on top, as a matrix or an image is read.</param>
    /// <param name="categories">For a binary or categorical matrix (a mask, a receptive field): the values it takes
    /// and their names. Each category gets the colour its value has on the continuous scale and a legend entry; no
    /// colour bar is drawn.</param>
    /// <exception cref="ArgumentException">Empty matrix, tick labels whose count does not match the matrix, or a cell
    /// whose value is none of the categories.</exception>
    public static Chart Heatmap(string title, string xLabel, string yLabel, double[,] z,
        string? colorbarTitle = null, string[]? xTicks = null, string[]? yTicks = null, bool annotate = false,
        bool reverseY = false, IEnumerable<(double Value, string Label)>? categories = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        int rows = z.GetLength(0), cols = z.GetLength(1);
        var jagged = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            jagged[i] = new double[cols];
            for (int j = 0; j < cols; j++)
            {
                jagged[i][j] = z[i, j];
            }
        }
        return Heatmap(title, xLabel, yLabel, jagged, colorbarTitle, xTicks, yTicks, annotate, reverseY, categories);
    }

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
    /// <param name="categories">The values of a categorical matrix and their names (legend instead of colour bar).</param>
    /// <exception cref="ArgumentException">Empty or ragged matrix, tick labels whose count does not match, or a cell
    /// whose value is none of the categories.</exception>
    public static Chart Heatmap(string title, string xLabel, string yLabel, double[][] z,
        string? colorbarTitle = null, string[]? xTicks = null, string[]? yTicks = null, bool annotate = false,
        bool reverseY = false, IEnumerable<(double Value, string Label)>? categories = null) =>
        PlotlyFigures.Call("Heatmap", title, xLabel, yLabel, z, colorbarTitle, xTicks, yTicks, annotate, reverseY,
            categories?.ToArray());
}

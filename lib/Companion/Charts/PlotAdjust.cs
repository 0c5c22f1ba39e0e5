namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>A copy of the chart drawn at another size (pixels); the original is unchanged.</summary>
    /// <exception cref="ArgumentException">A size below 100 px.</exception>
    public static Chart WithSize(Chart chart, int width, int height) =>
        PlotlyFigures.Call("WithSize", Inner(chart), width, height);

    /// <summary>
    /// A copy of the chart with fixed axis ranges, e.g. to zoom in on eigenvalues near 1; null keeps an axis
    /// automatic. On an equal-scale chart plotly.js widens one range to keep the scale. On a log axis give the
    /// range in data units; it is converted to the powers of ten that plotly.js expects. The original is unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">A range with Min ≥ Max, or a non-positive bound on a log axis.</exception>
    public static Chart WithRange(Chart chart, (double Min, double Max)? x = null,
        (double Min, double Max)? y = null) =>
        PlotlyFigures.Call("WithRange", Inner(chart), x, y);
}

namespace Companion.Charts;

/// <summary>
/// Chart builders for the notebooks: each takes plain arrays and returns a <see cref="Chart"/> (a Plotly figure) with
/// a title, axis titles, the house white template and a legend whenever there is more than one named trace. The
/// figures are built by Plotly.NET inside an isolated load context (see <see cref="Chart"/>). A chart is shown as a
/// notebook cell's trailing expression or with <c>display(chart)</c>; tests read it through <see cref="ToFigureJson"/>.
/// </summary>
public static partial class Plot
{
    /// <summary>The colour cycle the charts use, in order (tab10).</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>
    /// The colour of a key (a series' <see cref="Series.Key"/>, else its group or name; a histogram's or a complex
    /// plane's group key). Keys get <see cref="Palette"/> colours in the order they are first used in this process,
    /// i.e. in this notebook: a key has the same colour in every chart of the notebook. After ten keys the palette
    /// cycles (two keys of one chart that would share a colour are told apart in that chart).
    /// </summary>
    public static string ColourOf(string key) =>
        (string)PlotlyFigures.Value("ColourOf", key ?? throw new ArgumentNullException(nameof(key)))!;

    /// <summary>Forgets every key's colour (a host that runs several notebooks in one process calls it between them).</summary>
    public static void ResetColours() => PlotlyFigures.Value("ResetColours");

    /// <summary>Line chart of y against x for each series (loss curves, norms against step k, …).</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">x axis title, with units or symbol.</param>
    /// <param name="yLabel">y axis title, with units or symbol.</param>
    /// <param name="series">One trace per series; a dashed series is drawn dashed, a markers-only one as dots.</param>
    /// <param name="logY">Logarithmic y axis (non-positive values are not drawn).</param>
    /// <param name="logX">Logarithmic x axis.</param>
    /// <param name="markers">Also mark each point.</param>
    /// <exception cref="ArgumentException">No series, or a series is empty or has X and Y of different lengths.</exception>
    public static Chart Lines(string title, string xLabel, string yLabel, IEnumerable<Series> series,
        bool logY = false, bool logX = false, bool markers = false) =>
        PlotlyFigures.Call("Lines", title, xLabel, yLabel, Series.Validate(series, $"Lines '{title}'", nameof(series)), logY, logX, markers);

    /// <summary>Scatter plot: one marker per point, one colour per series.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">x axis title.</param>
    /// <param name="yLabel">y axis title.</param>
    /// <param name="series">One trace per series.</param>
    /// <exception cref="ArgumentException">No series, or a series is empty or has X and Y of different lengths.</exception>
    public static Chart Scatter(string title, string xLabel, string yLabel, IEnumerable<Series> series) =>
        PlotlyFigures.Call("Scatter", title, xLabel, yLabel, Series.Validate(series, $"Scatter '{title}'", nameof(series)));

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
    public static Chart Trajectories(string title, string xLabel, string yLabel, IEnumerable<Series> paths,
        bool equalAxes = true) =>
        PlotlyFigures.Call("Trajectories", title, xLabel, yLabel, Series.Validate(paths, $"Trajectories '{title}'", nameof(paths)), equalAxes);

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
    public static Chart Histogram(string title, string xLabel, string yLabel,
        IEnumerable<(string Name, double[] Values)> groups, int bins = 40) =>
        Histogram(title, xLabel, yLabel, groups?.Select(g => (g.Name, (string?)null, g.Values))!, bins);

    /// <summary>Overlaid histograms whose groups carry a colour key (see <see cref="ColourOf"/>); else as above.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Title of the value axis.</param>
    /// <param name="yLabel">Title of the count axis.</param>
    /// <param name="groups">Named groups of finite values with their key (null: the name).</param>
    /// <param name="bins">Number of bins, ≥ 1.</param>
    /// <exception cref="ArgumentException">No groups, an empty group, a non-finite value, or bins &lt; 1.</exception>
    public static Chart Histogram(string title, string xLabel, string yLabel,
        IEnumerable<(string Name, string? Key, double[] Values)> groups, int bins = 40) =>
        PlotlyFigures.Call("Histogram", title, xLabel, yLabel, groups?.ToArray()!, bins);
}

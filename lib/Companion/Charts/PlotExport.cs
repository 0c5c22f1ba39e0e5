namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>The Plotly figure as JSON: <c>{"data": [...], "layout": {...}, "frames": []}</c> (for tests).</summary>
    public static string ToFigureJson(Chart chart) => (chart ?? throw new ArgumentNullException(nameof(chart))).ToFigureJson();

    /// <summary>
    /// A complete HTML page that draws the chart offline: plotly.js (the copy embedded in Plotly.NET, ~3.6 MB) is
    /// inlined in a script tag, nothing is fetched from the network.
    /// </summary>
    public static string ToStandaloneHtml(Chart chart) => (chart ?? throw new ArgumentNullException(nameof(chart))).ToStandaloneHtml();

    /// <summary>
    /// The chart as an HTML fragment (a <c>div</c> and a script calling <c>Plotly.newPlot</c>) for a page that has
    /// already loaded plotly.js as the global <c>Plotly</c>, e.g. after a first <see cref="ToStandaloneHtml"/> output.
    /// </summary>
    public static string ToHtmlFragment(Chart chart) => (chart ?? throw new ArgumentNullException(nameof(chart))).ToHtmlFragment();

    /// <summary>The figure inside <paramref name="chart"/>, to hand back to the builder.</summary>
    private static object Inner(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart.Figure;
    }
}

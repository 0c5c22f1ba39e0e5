using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>The Plotly figure as JSON: <c>{"data": [...], "layout": {...}, "frames": []}</c> (for tests).</summary>
    public static string ToFigureJson(GenericChart chart) => GenericChart.toFigureJson(chart);

    /// <summary>
    /// A complete HTML page that draws the chart offline: plotly.js (the copy embedded in Plotly.NET, ~3.6 MB) is
    /// inlined in a script tag, nothing is fetched from the network.
    /// </summary>
    public static string ToStandaloneHtml(GenericChart chart)
    {
        var title = GenericChart.getLayout(chart).TryGetPropertyValue("title") is { } t
            && t.Value is DynamicObj.DynamicObj o && o.TryGetPropertyValue("text") is { } text
            ? text.Value as string : null;
        var options = DisplayOptions.init(
            DocumentTitle: title is null ? FSharpOption<string>.None : FSharpOption<string>.Some(title),
            DocumentCharset: FSharpOption<string>.Some("utf-8"),
            DocumentDescription: FSharpOption<string>.None,
            DocumentFavicon: null,
            AdditionalHeadTags: null,
            ChartDescription: null,
            PlotlyJSReference: FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full));
        return GenericChart.toEmbeddedHTML(GenericChart.setDisplayOptions(options, chart));
    }

    /// <summary>
    /// The chart as an HTML fragment (a <c>div</c> and a script calling <c>Plotly.newPlot</c>) for a page that has
    /// already loaded plotly.js as the global <c>Plotly</c>, e.g. after a first <see cref="ToStandaloneHtml"/> output.
    /// </summary>
    public static string ToHtmlFragment(GenericChart chart) => GenericChart.toChartHTML(chart);
}

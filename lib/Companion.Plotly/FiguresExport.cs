using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Companion.Plotly;

public static partial class Figures
{
    /// <summary>The Plotly figure as JSON: <c>{"data": [...], "layout": {...}, "frames": []}</c>.</summary>
    public static string ToFigureJson(object figure) => GenericChart.toFigureJson((GenericChart)figure);

    /// <summary>A complete HTML page that draws the chart offline (plotly.js inlined, nothing fetched).</summary>
    public static string ToStandaloneHtml(object figure)
    {
        var chart = (GenericChart)figure;
        var title = GenericChart.getLayout(chart).TryGetPropertyValue("title") is { } t
            && t.Value is DynamicObj.DynamicObj o && o.TryGetPropertyValue("text") is { } text
            ? ChartText.Plain(text.Value as string) : null;
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

    /// <summary>A <c>div</c> and a script calling <c>Plotly.newPlot</c>, for a page that has loaded plotly.js.</summary>
    public static string ToHtmlFragment(object figure) => GenericChart.toChartHTML((GenericChart)figure);

    /// <summary>The notebook-wide colour of a key (<see cref="KeyColours"/>).</summary>
    public static string ColourOf(string key) => KeyColours.Of(key);

    /// <summary>Forgets every key's colour.</summary>
    public static void ResetColours() => KeyColours.Reset();

    /// <summary>The minified plotly.js that Plotly.NET embeds (v2.28.0).</summary>
    public static string PlotlyJs()
    {
        var asm = typeof(GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

namespace Companion.Charts;

/// <summary>
/// A Plotly figure made by <see cref="Plot"/>: what a notebook cell shows as a drawn chart. It holds the Plotly.NET
/// figure built inside the isolated load context of <see cref="PlotlyFigures"/>, but exposes only strings, so no
/// Plotly.NET or FSharp.Core type reaches the notebook's session. Charts are immutable: every <c>Plot.With…</c>
/// returns a new one.
/// </summary>
public sealed class Chart
{
    internal Chart(object figure) => Figure = figure;

    /// <summary>The Plotly.NET <c>GenericChart</c>, typed as object (its type lives in the isolated context).</summary>
    internal object Figure { get; }

    /// <summary>The Plotly figure as JSON: <c>{"data": [...], "layout": {...}, "frames": []}</c>.</summary>
    public string ToFigureJson() => PlotlyFigures.Text("ToFigureJson", Figure);

    /// <summary>A complete HTML page that draws the chart offline (plotly.js inlined, nothing fetched).</summary>
    public string ToStandaloneHtml() => PlotlyFigures.Text("ToStandaloneHtml", Figure);

    /// <summary>A <c>div</c> and a script calling <c>Plotly.newPlot</c>, for a page that has loaded plotly.js.</summary>
    public string ToHtmlFragment() => PlotlyFigures.Text("ToHtmlFragment", Figure);

    /// <summary>The minified plotly.js (v2.28.0, as Plotly.NET embeds it) that the HTML outputs use.</summary>
    public static string PlotlyJs => PlotlyFigures.PlotlyJs;

    /// <summary>"Plotly chart: title" (what a text-only front end shows): the title's markup removed, its line breaks
    /// (a long title wraps onto lines joined by <c>&lt;br&gt;</c>) read as spaces.</summary>
    public override string ToString()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(ToFigureJson());
        return doc.RootElement.TryGetProperty("layout", out var layout) && layout.TryGetProperty("title", out var t)
            && t.ValueKind == System.Text.Json.JsonValueKind.Object && t.TryGetProperty("text", out var text)
            ? $"Plotly chart: {PlainTitle(text.GetString() ?? "")}" : "Plotly chart";
    }

    /// <summary>A chart title's markup as plain text: <c>&lt;br&gt;</c> becomes a space, other tags are removed, entities
    /// (<c>&amp;#95;</c>) decoded.</summary>
    internal static string PlainTitle(string markup)
    {
        var spaced = System.Text.RegularExpressions.Regex.Replace(markup, @"\s*<br\s*/?>\s*", " ",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(spaced, "<[^<>]*>", "")).Trim();
    }
}

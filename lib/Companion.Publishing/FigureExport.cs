using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Companion.Notebooks;

namespace Companion.Publishing;

/// <summary>
/// A chart found in an executed notebook: the cell it came from (1-based, counting every cell), its position among that
/// cell's charts, its HTML fragment (without plotly.js), the output it came from, and its layout size and title.
/// Its number on pages and in file names is <c>CellNumber.IndexInCell</c> ("Figure 10.1" is <c>cell10-1.html</c>).
/// </summary>
public sealed record Figure(int CellNumber, int IndexInCell, string Fragment, int Width, int Height, string? Title, JsonObject Output)
{
    /// <summary>"10.1": the figure's number on pages (cell 10, its first chart).</summary>
    public string Number => FormattableString.Invariant($"{CellNumber}.{IndexInCell}");

    /// <summary>The file name the runner gives it, without extension: <c>cell10-1</c>.</summary>
    public string FileStem => FormattableString.Invariant($"cell{CellNumber:00}-{IndexInCell}");

    /// <summary>
    /// A complete HTML document that draws the chart. <paramref name="plotlySrc"/> is the (relative or file://) address of
    /// the output folder's one plotly.min.js; null inlines plotly.js (3.6 MB) so the file stands alone.
    /// </summary>
    public string Document(string? plotlySrc, bool withToolbar = true)
    {
        var script = plotlySrc is null
            ? "<script type=\"text/javascript\">" + PlotlyJs.Source + "</script>"
            : $"<script src=\"{System.Net.WebUtility.HtmlEncode(plotlySrc)}\"></script>";
        var hide = withToolbar ? "" : "<style>.modebar-container{display:none !important}</style>";
        var title = System.Net.WebUtility.HtmlEncode(Title ?? "Figure " + Number);
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
               $"<title>{title}</title>{script}{hide}</head><body style=\"margin:0;background:#fff\">" + Fragment + "</body></html>\n";
    }
}

/// <summary>Finds the Plotly charts among a notebook's outputs and turns each into a standalone offline HTML file.</summary>
public static partial class FigureExport
{
    [GeneratedRegex(@"var layout = (?<json>\{.*?\});\s*var config", RegexOptions.Singleline)]
    private static partial Regex LayoutJson();

    [GeneratedRegex(@"var layout = (?<layout>\{.*?\});(?<between>\s*)var config = (?<config>\{.*?\});", RegexOptions.Singleline)]
    private static partial Regex LayoutAndConfig();

    /// <summary>Whether an output is a Plotly chart (HTML that calls <c>Plotly.newPlot</c>).</summary>
    public static bool IsChart(JsonObject output) =>
        output["data"] is JsonObject data && data["text/html"] is { } node && Outputs.Text(node).Contains("Plotly.newPlot", StringComparison.Ordinal);

    /// <summary>Every chart output of the notebook, in order.</summary>
    public static IReadOnlyList<Figure> Find(Notebook nb)
    {
        var figures = new List<Figure>();
        for (int i = 0; i < nb.Cells.Count; i++)
        {
            int k = 0;
            foreach (var o in nb.Cells[i].Outputs)
                if (IsChart(o)) figures.Add(FromOutput(i + 1, ++k, o));
        }
        return figures;
    }

    const string PictureStart = "<!-- nbrun: picture for viewers without JavaScript -->", PictureEnd = "<!-- nbrun: end of picture -->";

    /// <summary>
    /// Gives chart output <paramref name="output"/> its picture: <c>image/png</c> (base64) beside <c>text/html</c> in the
    /// bundle, as Plotly's "notebook+png" renderer does, and the same PNG inside the HTML ahead of the chart, removed by a
    /// script as soon as plotly.js is there to draw it. Viewers that show <c>text/html</c> but run no scripts (GitHub,
    /// an untrusted VS Code or Jupyter notebook) then show the picture; every other viewer draws the chart alone.
    /// </summary>
    public static void AddPicture(JsonObject output, byte[] png, string alt)
    {
        var data = output["data"]!.AsObject();
        var base64 = Convert.ToBase64String(png);
        data["image/png"] = base64;
        var html = WithoutPicture(Outputs.Text(data["text/html"]));
        var id = "nbrun-png-" + Guid.NewGuid().ToString("N");
        var picture = $"{PictureStart}<img id=\"{id}\" alt=\"{System.Net.WebUtility.HtmlEncode(alt)}\" style=\"max-width:100%\" src=\"data:image/png;base64,{base64}\">" +
                      $"<script>(function () {{ var p = document.getElementById(\"{id}\"); if (p && window.Plotly) p.remove(); }})();</script>{PictureEnd}";
        var prefix = PlotlyJs.InlineScript + "\n";
        data["text/html"] = html.StartsWith(prefix, StringComparison.Ordinal) ? prefix + picture + html[prefix.Length..] : picture + html;
    }

    /// <summary>The chart HTML without the picture <see cref="AddPicture"/> put in.</summary>
    public static string WithoutPicture(string html)
    {
        var start = html.IndexOf(PictureStart, StringComparison.Ordinal);
        var end = start < 0 ? -1 : html.IndexOf(PictureEnd, start, StringComparison.Ordinal);
        return end < 0 ? html : html[..start] + html[(end + PictureEnd.Length)..];
    }

    /// <summary>The chart fragment without the plotly.js copy the first chart of a session carries (nor its picture).</summary>
    public static string WithoutInlinePlotly(string html)
    {
        html = WithoutPicture(html);
        var prefix = PlotlyJs.InlineScript + "\n";
        if (html.StartsWith(prefix, StringComparison.Ordinal)) return html[prefix.Length..];
        // Under .NET Interactive (Companion.Charts' formatter) plotly.js comes in a plain script element.
        var start = html.IndexOf("<script type=\"text/javascript\">/**\n* plotly.js v", StringComparison.Ordinal);
        if (start < 0) return html;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        return end < 0 ? html : html[..start] + html[(end + "</script>".Length)..];
    }

    /// <summary>
    /// The fragment made to follow its container's width, for pages: the layout's fixed width is dropped and Plotly's
    /// <c>responsive</c> config set (the chart then redraws when the window, or the printed page, is narrower; the page
    /// caps its container at the original width). The fragment is returned unchanged when it is not Plotly.NET's format.
    /// </summary>
    public static string Responsive(string fragment) =>
        LayoutAndConfig().Replace(fragment, m =>
        {
            try
            {
                if (JsonNode.Parse(m.Groups["layout"].Value) is not JsonObject layout || JsonNode.Parse(m.Groups["config"].Value) is not JsonObject config)
                    return m.Value;
                layout.Remove("width");
                layout["autosize"] = true;
                config["responsive"] = true;
                return $"var layout = {layout.ToJsonString()};{m.Groups["between"].Value}var config = {config.ToJsonString()};";
            }
            catch (System.Text.Json.JsonException)
            {
                return m.Value;
            }
        }, 1);

    /// <summary>The layout's width, height (900×600 when the chart does not set them) and title text.</summary>
    static (int Width, int Height, string? Title) Layout(string fragment)
    {
        var m = LayoutJson().Match(fragment);
        if (!m.Success) return (900, 600, null);
        try
        {
            var layout = JsonNode.Parse(m.Groups["json"].Value);
            int Read(string key, int fallback) => layout?[key] is JsonValue v && v.TryGetValue<double>(out var x) ? (int)Math.Ceiling(x) : fallback;
            var title = layout?["title"] switch
            {
                JsonObject t when t["text"] is JsonValue s && s.TryGetValue<string>(out var text) => text,
                JsonValue s when s.TryGetValue<string>(out var text) => text,
                _ => null,
            };
            return (Read("width", 900), Read("height", 600), string.IsNullOrWhiteSpace(title) ? null : PlainTitle(title));
        }
        catch (System.Text.Json.JsonException)
        {
            return (900, 600, null);
        }
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    /// <summary>A Plotly title as text: its &lt;br&gt; become spaces, other tags (sub/sup) are dropped.</summary>
    static string PlainTitle(string title) =>
        System.Net.WebUtility.HtmlDecode(Tags().Replace(title.Replace("<br>", " ", StringComparison.OrdinalIgnoreCase), ""));

    /// <summary>The figure of chart output <paramref name="output"/> (see <see cref="IsChart"/>), the
    /// <paramref name="index"/>-th chart of cell <paramref name="cell"/>.</summary>
    public static Figure FromOutput(int cell, int index, JsonObject output)
    {
        var fragment = WithoutInlinePlotly(Outputs.Text(output["data"]!["text/html"]));
        var (w, h, title) = Layout(fragment);
        return new Figure(cell, index, fragment, w, h, title, output);
    }
}

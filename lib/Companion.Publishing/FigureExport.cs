using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using Companion.Notebooks;

namespace Companion.Publishing;

/// <summary>A chart found in an executed notebook: the cell it came from, its position there, and a standalone page.</summary>
/// <param name="Html">A complete offline HTML document (plotly.js inlined) that draws the chart.</param>
/// <param name="Width">The chart's layout width in pixels (for screenshots).</param>
public sealed record Figure(int CellNumber, int IndexInCell, string Html, int Width, int Height);

/// <summary>Finds the Plotly charts among a notebook's outputs and turns each into a standalone offline HTML file.</summary>
public static partial class FigureExport
{
    [GeneratedRegex(@"var layout = (?<json>\{.*?\});\s*var config", RegexOptions.Singleline)]
    private static partial Regex LayoutJson();

    /// <summary>Every chart output of the notebook, in order.</summary>
    public static IReadOnlyList<Figure> Find(Notebook nb)
    {
        var figures = new List<Figure>();
        for (int i = 0; i < nb.Cells.Count; i++)
        {
            int k = 0;
            foreach (var o in nb.Cells[i].Outputs)
            {
                if (o["data"] is not JsonObject data || data["text/html"] is not { } node) continue;
                var html = Outputs.Text(node);
                if (!html.Contains("Plotly.newPlot", StringComparison.Ordinal)) continue;
                figures.Add(MakeFigure(i + 1, ++k, WithoutInlinePlotly(html)));
            }
        }
        return figures;
    }

    /// <summary>The chart fragment without the plotly.js copy the first chart of a session carries.</summary>
    static string WithoutInlinePlotly(string html)
    {
        var prefix = PlotlyJs.InlineScript + "\n";
        return html.StartsWith(prefix, StringComparison.Ordinal) ? html[prefix.Length..] : html;
    }

    /// <summary>The layout's width and height in pixels (900×600 when the chart does not set them).</summary>
    static (int Width, int Height) LayoutSize(string fragment)
    {
        var m = LayoutJson().Match(fragment);
        if (!m.Success) return (900, 600);
        try
        {
            var layout = JsonNode.Parse(m.Groups["json"].Value);
            int Read(string key, int fallback) => layout?[key] is JsonValue v && v.TryGetValue<double>(out var x) ? (int)Math.Ceiling(x) : fallback;
            return (Read("width", 900), Read("height", 600));
        }
        catch (System.Text.Json.JsonException)
        {
            return (900, 600);
        }
    }

    static Figure MakeFigure(int cell, int index, string fragment)
    {
        var (w, h) = LayoutSize(fragment);
        var page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><script type=\"text/javascript\">" + PlotlyJs.Source +
                   "</script></head><body style=\"margin:0;background:#fff\">" + fragment + "</body></html>\n";
        return new Figure(cell, index, page, w, h);
    }
}

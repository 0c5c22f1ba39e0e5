using System.Globalization;
using System.Net;
using System.Text;

namespace Companion.Networks.ImageClassification;

/// <summary>
/// A block diagram of a traced network (CS189 HW7 Question 4(c): "a diagram summarizing the network architecture …
/// the number of dimensions for each layer"): one box per stage, top to bottom, with its output shape and parameter
/// count, as self-contained SVG. The box width grows with the channel count, its height with the spatial size.
/// </summary>
public static class ArchitectureDiagram
{
    /// <summary>The diagram as an SVG document.</summary>
    public static string ToSvg(IReadOnlyList<LayerTrace> trace, string title)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.Count == 0)
        {
            throw new ArgumentException("ArchitectureDiagram: the trace is empty", nameof(trace));
        }
        const int rowHeight = 34, gap = 10, left = 20, textLeft = 420, top = 40;
        int height = top + trace.Count * (rowHeight + gap) + 30;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"820\" height=\"{height}\" font-family=\"Arial, sans-serif\" font-size=\"13\">");
        sb.Append(inv, $"<rect width=\"820\" height=\"{height}\" fill=\"white\"/>");
        sb.Append(inv, $"<text x=\"{left}\" y=\"24\" font-size=\"16\">{WebUtility.HtmlEncode(title)}</text>");
        long total = trace.Sum(t => t.Parameters);
        for (int i = 0; i < trace.Count; i++)
        {
            var t = trace[i];
            long channels = t.OutputShape[0];
            double w = 60 + 300 * Math.Log2(Math.Max(2, channels)) / Math.Log2(512);
            int y = top + i * (rowHeight + gap);
            string fill = t.Name.Contains("BasicBlock", StringComparison.Ordinal) ? "#c6dbef" : t.Name == "input" ? "#eeeeee" : "#fdd0a2";
            sb.Append(inv, $"<rect x=\"{left}\" y=\"{y}\" width=\"{w:0}\" height=\"{rowHeight}\" rx=\"4\" fill=\"{fill}\" stroke=\"#555\"/>");
            sb.Append(inv, $"<text x=\"{left + 8}\" y=\"{y + 21}\">{WebUtility.HtmlEncode(t.Name)}</text>");
            string shape = string.Join(" × ", t.OutputShape);
            sb.Append(inv, $"<text x=\"{textLeft}\" y=\"{y + 21}\">out {shape}</text>");
            sb.Append(inv, $"<text x=\"{textLeft + 190}\" y=\"{y + 21}\" fill=\"#555\">{t.Parameters:N0} params</text>");
            if (i + 1 < trace.Count)
            {
                sb.Append(inv, $"<line x1=\"{left + 30}\" y1=\"{y + rowHeight}\" x2=\"{left + 30}\" y2=\"{y + rowHeight + gap}\" stroke=\"#555\"/>");
            }
        }
        sb.Append(inv, $"<text x=\"{left}\" y=\"{height - 10}\" fill=\"#555\">total {total:N0} trainable parameters; blue: residual blocks (two 3×3 convolutions + shortcut)</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }
}

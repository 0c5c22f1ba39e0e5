using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;

using Companion.Notebooks;

namespace Companion.Publishing;

/// <summary>
/// A self-contained HTML page of an executed notebook: markdown rendered, code, and outputs (charts draw offline because
/// the first chart output carries plotly.js inline). Math is rendered with KaTeX when its files are found (see
/// <see cref="KatexAssets"/>); otherwise it stays as TeX source.
/// </summary>
public static class NotebookPage
{
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().UseAutoLinks().UseListExtras().Build();

    const string Style = """
        body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0; background: #fafafa; color: #222; }
        main { max-width: 1000px; margin: 0 auto; padding: 24px; background: #fff; }
        .md { line-height: 1.55; margin: 12px 0; }
        .cell { margin: 14px 0; }
        .prompt { color: #888; font: 12px monospace; margin-bottom: 2px; }
        pre { margin: 0; padding: 8px 10px; overflow-x: auto; font: 13px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        pre.code { background: #f4f5f7; border-left: 3px solid #7a8bd6; }
        pre.stream { background: #fff; border-left: 3px solid #ddd; }
        pre.stderr { background: #fff8e6; }
        pre.error { background: #fdecea; color: #8a1c1c; border-left: 3px solid #d33; }
        .output { margin-top: 4px; }
        .matrix table, .vector table { border-collapse: collapse; font: 12px monospace; }
        .matrix td, .vector td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
        header.status { font: 13px monospace; color: #555; border-bottom: 1px solid #eee; padding-bottom: 8px; }
        """;

    /// <summary>The page's HTML. <paramref name="status"/> is a line shown on top (e.g. "executed in 4.2 s, all cells ok").</summary>
    public static string Render(Notebook nb, string title, string status, KatexAssets? katex = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
          .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title><style>").Append(Style).Append("</style>");
        if (katex is not null) sb.Append(katex.HeadHtml);
        sb.Append("</head><body><main>\n<header class=\"status\">").Append(WebUtility.HtmlEncode(title)).Append(" — ")
          .Append(WebUtility.HtmlEncode(status)).Append("</header>\n");
        foreach (var cell in nb.Cells)
        {
            switch (cell.Kind)
            {
                case CellKind.Markdown:
                    sb.Append("<div class=\"md\">").Append(RenderMarkdown(cell.Source)).Append("</div>\n");
                    break;
                case CellKind.Raw:
                    sb.Append("<pre class=\"stream\">").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre>\n");
                    break;
                default:
                    sb.Append("<div class=\"cell\"><div class=\"prompt\">In [").Append(cell.ExecutionCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " ")
                      .Append("]:</div><pre class=\"code\">").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre>");
                    foreach (var o in cell.Outputs) sb.Append("<div class=\"output\">").Append(OutputHtml(o)).Append("</div>");
                    sb.Append("</div>\n");
                    break;
            }
        }
        return sb.Append("</main></body></html>\n").ToString();
    }

    static string RenderMarkdown(string source) => MarkdownMath.ToHtml(source, md => Markdig.Markdown.ToHtml(md, Markdown));

    static string OutputHtml(JsonObject o)
    {
        switch (o["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = o["name"]?.GetValue<string>() ?? "stdout";
                return $"<pre class=\"stream {name}\">{WebUtility.HtmlEncode(Outputs.Text(o["text"]))}</pre>";
            case "error":
                var tb = o["traceback"] is JsonArray a ? string.Join("\n", a.Select(x => x?.GetValue<string>())) : "";
                return $"<pre class=\"error\">{WebUtility.HtmlEncode($"{o["ename"]}: {o["evalue"]}\n{tb}")}</pre>";
            default:
                if (o["data"] is not JsonObject data) return "";
                if (data["text/html"] is { } html) return Outputs.Text(html);
                if (data["text/markdown"] is { } md) return RenderMarkdown(Outputs.Text(md));
                return $"<pre class=\"stream\">{WebUtility.HtmlEncode(Outputs.Text(data["text/plain"]))}</pre>";
        }
    }
}

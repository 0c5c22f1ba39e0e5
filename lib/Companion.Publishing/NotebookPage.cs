using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Companion.Notebooks;
using Markdig;

namespace Companion.Publishing;

/// <summary>A link to another page: its address relative to this page, and its title.</summary>
public sealed record PageLink(string Href, string Title);

/// <summary>
/// Where a page sits in its output folder: the shared assets (null: plotly.js stays inline, no KaTeX or highlighting),
/// the page's folder (for relative addresses), the index, the previous and next notebooks, and the folder of its figure
/// files (captions link to them).
/// </summary>
public sealed record PageContext(SiteAssets? Assets = null, string? PageDir = null, string? IndexHref = null, PageLink? Previous = null,
    PageLink? Next = null, string? FiguresHref = null);

/// <summary>
/// The HTML page of an executed notebook: its title is the notebook's first heading; headings carry id anchors listed in
/// a side table of contents; links lead back to the index and to the previous and next notebooks; markdown is rendered
/// (math by KaTeX, see <see cref="MarkdownMath"/>), code cells are highlighted (highlight.js), and each chart is a
/// numbered figure ("Figure 10.1": cell 10's first chart, the name of its file <c>cell10-1.html</c>) with a caption. Charts
/// follow the page's width up to their own; print CSS keeps a chart on one page, hides the toolbars, the navigation and
/// the scrollbars, and wraps long code lines.
/// </summary>
public static partial class NotebookPage
{
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().UseAutoLinks().UseListExtras().Build();

    const string Style = """
        body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0; background: #fafafa; color: #222; }
        .layout { display: flex; justify-content: center; align-items: flex-start; }
        main { flex: 0 1 1000px; min-width: 0; padding: 24px; background: #fff; }
        aside.toc { flex: 0 0 230px; position: sticky; top: 0; max-height: 100vh; overflow-y: auto; box-sizing: border-box;
          padding: 24px 12px 24px 16px; font-size: 13px; line-height: 1.35; }
        aside.toc .head { font-weight: 600; margin-bottom: 6px; }
        aside.toc ul { list-style: none; margin: 0; padding: 0; }
        aside.toc li { margin: 3px 0; }
        aside.toc li.l3 { padding-left: 12px; } aside.toc li.l4 { padding-left: 24px; }
        aside.toc a, nav.pager a { color: #2a4fb0; text-decoration: none; }
        aside.toc a:hover, nav.pager a:hover { text-decoration: underline; }
        nav.pager { display: flex; justify-content: space-between; gap: 12px; font-size: 14px; padding: 8px 0; }
        nav.pager.top { border-bottom: 1px solid #eee; margin-bottom: 8px; }
        nav.pager.bottom { border-top: 1px solid #eee; margin-top: 24px; }
        .md { line-height: 1.55; margin: 12px 0; }
        .md h1, .md h2, .md h3, .md h4 { scroll-margin-top: 8px; }
        a.anchor { color: #bbb; text-decoration: none; margin-left: 6px; font-weight: normal; visibility: hidden; }
        h1:hover a.anchor, h2:hover a.anchor, h3:hover a.anchor, h4:hover a.anchor { visibility: visible; }
        .cell { margin: 14px 0; }
        .prompt { color: #888; font: 12px monospace; margin-bottom: 2px; }
        .prompt .cellno { color: #bbb; margin-left: 6px; }
        pre { margin: 0; padding: 8px 10px; overflow-x: auto; font: 13px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        pre code.hljs { padding: 0; background: transparent; }
        pre.code { background: #f4f5f7; border-left: 3px solid #7a8bd6; }
        pre.stream { background: #fff; border-left: 3px solid #ddd; }
        pre.stderr { background: #fff8e6; }
        pre.error { background: #fdecea; color: #8a1c1c; border-left: 3px solid #d33; }
        .output { margin-top: 4px; }
        figure.chart { margin: 8px 0; }
        figure.chart .plot { width: 100%; }
        figure.chart figcaption { font-size: 13px; color: #444; margin-top: 4px; }
        figure.chart figcaption a { color: #2a4fb0; }
        .matrix table, .vector table { border-collapse: collapse; font: 12px monospace; }
        .matrix td, .vector td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
        .output img { max-width: 100%; height: auto; }
        header.status { font: 13px monospace; color: #555; border-bottom: 1px solid #eee; padding-bottom: 8px; }
        header.status.skipped { white-space: pre-wrap; color: #6b4e00; background: #fff8e0; border: 1px solid #e6c200; padding: 8px; }
        @media (max-width: 900px) {
          .layout { display: block; }
          aside.toc { position: static; max-height: none; padding: 12px 16px; border-bottom: 1px solid #eee; background: #fff; }
          main { padding: 12px; }
        }
        @media print {
          body { background: #fff; }
          .layout { display: block; }
          aside.toc, nav.pager, a.anchor, .modebar-container { display: none !important; }
          main { padding: 0; max-width: none; }
          pre { overflow: visible; white-space: pre-wrap; overflow-wrap: anywhere; }
          figure.chart, .output img, .matrix, .vector { break-inside: avoid; page-break-inside: avoid; }
          h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
        }
        """;

    /// <summary>Resizes every chart to its container once before printing (Plotly's <c>responsive</c> follows the window only).</summary>
    const string PrintResize = """
        <script>(function () {
          function resize() { if (window.Plotly) document.querySelectorAll(".js-plotly-plot").forEach(function (el) { Plotly.Plots.resize(el); }); }
          window.addEventListener("beforeprint", resize);
          if (window.matchMedia) window.matchMedia("print").addEventListener("change", function (e) { if (e.matches) resize(); });
        })();</script>
        """;

    [GeneratedRegex(@"<h(?<level>[1-6])(?<attrs>[^>]*)>(?<inner>.*?)</h\k<level>>", RegexOptions.Singleline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex MarkdownHeading();

    /// <summary>The notebook's first markdown heading as plain text (markdown emphasis and code marks removed); null when it has none.</summary>
    public static string? Title(Notebook nb)
    {
        foreach (var cell in nb.Cells.Where(c => c.Kind == CellKind.Markdown))
        {
            var m = MarkdownHeading().Match(cell.Source);
            if (m.Success) return m.Groups["text"].Value.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Trim();
        }
        return null;
    }

    /// <summary>A title for places that show text only (the window title): TeX's <c>$</c> delimiters and spacing commands removed.</summary>
    public static string PlainTitle(string title) =>
        Regex.Replace(title.Replace("$", "", StringComparison.Ordinal), @"\\[,;:! ]", " ").Trim();

    /// <summary>A title as inline HTML: text escaped, <c>$…$</c> math kept for KaTeX (see <see cref="MarkdownMath"/>).</summary>
    public static string TitleHtml(string title) => MarkdownMath.ToHtml(title, WebUtility.HtmlEncode);

    /// <summary>
    /// The page's HTML. <paramref name="title"/> is the page title when the notebook has no heading (usually its file
    /// name); <paramref name="status"/> is a line shown on top (e.g. "executed in 4.2 s, all cells ok"); a status that
    /// starts with "SKIPPED" is shown as a banner, its lines kept.
    /// </summary>
    public static string Render(Notebook nb, string title, string status, PageContext? context = null)
    {
        context ??= new PageContext();
        var pageTitle = Title(nb) ?? title;
        var body = new StringBuilder();
        // A notebook that could not run here (e.g. a dataset that cannot be had) says so, with the whole reason, in a banner.
        body.Append(status.StartsWith("SKIPPED", StringComparison.Ordinal) ? "<header class=\"status skipped\">" : "<header class=\"status\">").Append(WebUtility.HtmlEncode(title)).Append(" — ").Append(WebUtility.HtmlEncode(status)).Append("</header>\n");
        for (int i = 0; i < nb.Cells.Count; i++)
        {
            var cell = nb.Cells[i];
            switch (cell.Kind)
            {
                case CellKind.Markdown:
                    body.Append("<div class=\"md\">").Append(RenderMarkdown(cell.Source)).Append("</div>\n");
                    break;
                case CellKind.Raw:
                    body.Append("<pre class=\"stream\">").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre>\n");
                    break;
                default:
                    body.Append("<div class=\"cell\" id=\"cell-").Append(i + 1).Append("\"><div class=\"prompt\">In [")
                        .Append(cell.ExecutionCount?.ToString(CultureInfo.InvariantCulture) ?? " ")
                        .Append("]: <span class=\"cellno\">cell ").Append(i + 1).Append("</span></div><pre class=\"code\"><code class=\"language-csharp\">").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre>");
                    int k = 0;
                    foreach (var o in cell.Outputs)
                        body.Append("<div class=\"output\">").Append(FigureExport.IsChart(o) ? ChartHtml(o, i + 1, ++k, context) : OutputHtml(o)).Append("</div>");
                    body.Append("</div>\n");
                    break;
            }
        }
        var (html, toc) = Anchor(body.ToString());

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append("<title>").Append(WebUtility.HtmlEncode(PlainTitle(pageTitle))).Append("</title>");
        if (context.Assets is not null) sb.Append(context.Assets.PageHead(context.PageDir ?? "."));
        sb.Append("<style>").Append(Style).Append("</style>");
        sb.Append("</head><body><div class=\"layout\">\n");
        if (toc.Count > 0)
        {
            sb.Append("<aside class=\"toc\"><div class=\"head\">Contents</div><ul>");
            foreach (var (level, id, text) in toc)
                sb.Append(CultureInfo.InvariantCulture, $"<li class=\"l{level}\"><a href=\"#{id}\">{text}</a></li>");
            sb.Append("</ul></aside>\n");
        }
        sb.Append("<main>\n");
        var pager = Pager(context);
        if (pager.Length > 0) sb.Append("<nav class=\"pager top\">").Append(pager).Append("</nav>\n");
        sb.Append(html);
        if (pager.Length > 0) sb.Append("<nav class=\"pager bottom\">").Append(pager).Append("</nav>\n");
        sb.Append("</main></div>\n").Append(PrintResize).Append("</body></html>\n");
        return sb.ToString();
    }

    static string Pager(PageContext c)
    {
        if (c.IndexHref is null && c.Previous is null && c.Next is null) return "";
        string Link(PageLink? l, string arrowLeft, string arrowRight) => l is null ? "<span></span>"
            : $"<a href=\"{WebUtility.HtmlEncode(l.Href)}\">{arrowLeft}{TitleHtml(l.Title)}{arrowRight}</a>";
        var index = c.IndexHref is null ? "<span></span>" : $"<a href=\"{WebUtility.HtmlEncode(c.IndexHref)}\">↑ all notebooks</a>";
        return Link(c.Previous, "← ", "") + index + Link(c.Next, "", " →");
    }

    /// <summary>Gives every heading a unique id (from its text) and an anchor link; returns the page and its contents (levels 1–4).</summary>
    static (string Html, List<(int Level, string Id, string Text)> Toc) Anchor(string html)
    {
        var toc = new List<(int, string, string)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = Heading().Replace(html, m =>
        {
            int level = m.Groups["level"].Value[0] - '0';
            var inner = m.Groups["inner"].Value;
            var slug = Slug(WebUtility.HtmlDecode(Tag().Replace(inner, "")));
            var id = slug;
            for (int n = 2; !used.Add(id); n++) id = FormattableString.Invariant($"{slug}-{n}");
            if (level <= 4) toc.Add((level, id, Tag().Replace(inner, "")));
            return $"<h{level} id=\"{id}\"{m.Groups["attrs"].Value}>{inner}<a class=\"anchor\" href=\"#{id}\" aria-label=\"link to this section\">#</a></h{level}>";
        });
        return (result, toc);
    }

    /// <summary>An id from a heading's text: letters and digits kept (lower case), runs of anything else become one dash.</summary>
    public static string Slug(string text)
    {
        var sb = new StringBuilder();
        foreach (var ch in text.ToLowerInvariant())
            if (char.IsLetterOrDigit(ch)) sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        var s = sb.ToString().Trim('-');
        return s.Length == 0 ? "section" : s;
    }

    static string ChartHtml(JsonObject output, int cell, int index, PageContext c)
    {
        var figure = FigureExport.FromOutput(cell, index, output);
        // Without shared assets, the first chart keeps its inline plotly.js (the page then stands alone).
        var drawn = c.Assets is null ? FigureExport.WithoutPicture(Outputs.Text(output["data"]!["text/html"])) : figure.Fragment;
        var id = "figure-" + figure.Number.Replace('.', '-');
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{id}\"><div class=\"plot\" style=\"max-width:{figure.Width}px\">")
          .Append(FigureExport.Responsive(drawn)).Append("</div><figcaption><a href=\"#").Append(id).Append("\"><b>Figure ").Append(figure.Number).Append("</b></a>");
        if (figure.Title is not null) sb.Append(". ").Append(WebUtility.HtmlEncode(figure.Title));
        if (c.FiguresHref is not null)
        {
            var stem = c.FiguresHref.TrimEnd('/') + "/" + figure.FileStem;
            sb.Append(" <span class=\"files\">(<a href=\"").Append(WebUtility.HtmlEncode(stem)).Append(".html\">open alone</a>");
            if (output["data"]?["image/png"] is not null) sb.Append(", <a href=\"").Append(WebUtility.HtmlEncode(stem)).Append(".png\">PNG</a>");
            sb.Append(")</span>");
        }
        return sb.Append("</figcaption></figure>").ToString();
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
                if (data["image/png"] is { } png) return $"<img alt=\"output\" src=\"data:image/png;base64,{Outputs.Text(png).Trim()}\">";
                if (data["text/markdown"] is { } md) return RenderMarkdown(Outputs.Text(md));
                return $"<pre class=\"stream\">{WebUtility.HtmlEncode(Outputs.Text(data["text/plain"]))}</pre>";
        }
    }
}

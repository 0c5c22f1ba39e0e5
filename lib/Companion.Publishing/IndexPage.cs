using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Companion.Publishing;

/// <summary>
/// <c>index.html</c> of an output folder, from the notebooks of a run report (<c>report.json</c>): grouped by homework
/// (the notebook's first folder), each with its title (its first heading), status, time, number of figures, and a
/// thumbnail (the PNG of its first figure, when one was rendered).
/// </summary>
public static class IndexPage
{
    const string Style = """
        body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; max-width: 1000px; margin: 24px auto; padding: 0 16px; color: #222; }
        h2 { border-bottom: 1px solid #eee; padding-bottom: 4px; margin-top: 28px; }
        ul.notebooks { list-style: none; padding: 0; margin: 0; }
        ul.notebooks li { display: flex; gap: 16px; align-items: center; padding: 8px 0; border-bottom: 1px solid #f2f2f2; break-inside: avoid; }
        .thumb { flex: 0 0 160px; height: 110px; display: flex; align-items: center; justify-content: center; background: #f7f7f7; }
        .thumb img { max-width: 160px; max-height: 110px; }
        .title { font-size: 16px; } .title a { color: #2a4fb0; text-decoration: none; } .title a:hover { text-decoration: underline; }
        ul.notebooks li > div:last-child { min-width: 0; }
        .meta { font: 12px monospace; color: #666; margin-top: 3px; overflow-wrap: anywhere; }
        .bad { color: #b00; }
        .skipped { color: #8a6d00; }
        @media (max-width: 600px) { .thumb { flex-basis: 96px; height: 70px; } .thumb img { max-width: 96px; max-height: 70px; } }
        """;

    /// <summary>The homework a notebook belongs to: its first folder ("ift6135-generative-ssl"), or "notebooks" when it has none.</summary>
    public static string Homework(string notebook)
    {
        var slash = notebook.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? notebook[..slash] : "notebooks";
    }

    /// <summary>The index page of the report's notebooks (addresses in the report are relative to the output folder).</summary>
    /// <param name="assets">The output folder's assets (KaTeX renders math in titles), or null.</param>
    /// <param name="outDir">The output folder (where index.html goes), for the assets' addresses.</param>
    public static string Render(JsonObject report, SiteAssets? assets = null, string outDir = ".")
    {
        var sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Executed notebooks</title>" +
            (assets?.HasKatex == true ? assets.PageHead(outDir, plotly: false) : "") + "<style>" + Style + "</style></head><body><h1>Executed notebooks</h1>\n");
        var notebooks = report["notebooks"]!.AsArray().Select(n => n!.AsObject()).ToList();
        int ok = notebooks.Count(n => n["status"]?.GetValue<string>() == "ok");
        int skipped = notebooks.Count(n => n["status"]?.GetValue<string>() == "skipped");
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"<p>{ok} of {notebooks.Count} notebooks ran without an error"))
          .Append(skipped > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {skipped} skipped because a dataset could not be had (hover for why)") : "")
          .Append(".</p>\n");
        foreach (var group in notebooks.GroupBy(n => Homework(n["notebook"]!.GetValue<string>())))
        {
            sb.Append("<h2 id=\"").Append(NotebookPage.Slug(group.Key)).Append("\">").Append(WebUtility.HtmlEncode(group.Key)).Append("</h2>\n<ul class=\"notebooks\">\n");
            foreach (var n in group)
            {
                var file = n["notebook"]!.GetValue<string>();
                var title = NotebookPage.TitleHtml(n["title"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(file));
                var alt = WebUtility.HtmlEncode(NotebookPage.PlainTitle(n["title"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(file)));
                var page = n["page"]?.GetValue<string>();
                var thumb = n["thumbnail"]?.GetValue<string>();
                var status = n["status"]!.GetValue<string>();
                var statusHtml = status == "ok" ? "ok"
                    : status == "skipped" ? $"<span class=\"skipped\" title=\"{WebUtility.HtmlEncode(n["reason"]?.GetValue<string>() ?? "")}\">skipped: " +
                        $"{WebUtility.HtmlEncode((n["reason"]?.GetValue<string>() ?? "").Split('\n')[0])}</span>"
                    : $"<span class=\"bad\" title=\"{WebUtility.HtmlEncode(n["error"]?.GetValue<string>() ?? "")}\">{WebUtility.HtmlEncode(status)}</span>";
                var secs = n["seconds"]?.GetValue<double>() is double s ? s.ToString("0.0 s", CultureInfo.InvariantCulture) : "";
                var figures = n["figures"]?.GetValue<int>() ?? 0;
                sb.Append("<li><div class=\"thumb\">");
                if (thumb is not null)
                {
                    var img = $"<img alt=\"first figure of {alt}\" src=\"{WebUtility.HtmlEncode(thumb)}\" loading=\"lazy\">";
                    sb.Append(page is null ? img : $"<a href=\"{WebUtility.HtmlEncode(page)}\">{img}</a>");
                }
                sb.Append("</div><div><div class=\"title\">").Append(page is null ? title : $"<a href=\"{WebUtility.HtmlEncode(page)}\">{title}</a>")
                  .Append(CultureInfo.InvariantCulture, $"</div><div class=\"meta\">{WebUtility.HtmlEncode(file)} · {statusHtml} · {secs} · {figures} figure{(figures == 1 ? "" : "s")}</div></div></li>\n");
            }
            sb.Append("</ul>\n");
        }
        return sb.Append("</body></html>\n").ToString();
    }
}

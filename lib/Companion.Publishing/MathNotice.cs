using System.Net;

namespace Companion.Publishing;

/// <summary>
/// The line at the top of a page with math that says the math is shown as TeX source. It is in the HTML from the
/// start and KaTeX's render script removes it (<see cref="KatexAssets"/>), so it stays exactly where math is not
/// typeset: a page written without KaTeX, a page opened away from its <c>assets/</c> folder, a browser that runs no
/// scripts.
/// </summary>
public static class MathNotice
{
    /// <summary>The notice's element id, which the KaTeX script looks for.</summary>
    public const string Id = "math-notice";

    /// <summary>CSS for the notice.</summary>
    public const string Style = ".math-notice { background: #fff8e6; border: 1px solid #f0d28a; padding: 6px 10px; margin: 8px 0; font-size: 14px; }";

    /// <summary>
    /// The notice for a page in <paramref name="pageDir"/> whose math KaTeX should typeset from <paramref name="assets"/>
    /// (null, or assets without KaTeX: the page was written without it, and the notice says so).
    /// </summary>
    public static string Html(SiteAssets? assets, string pageDir)
    {
        var why = assets is { HasKatex: true }
            ? $"KaTeX ({WebUtility.HtmlEncode(assets.Href(pageDir, SiteAssets.KatexJs))}) did not run. Open the page from its output "
              + "folder, with the assets/ folder beside it, in a browser that runs scripts."
            : "this page was written without KaTeX.";
        return $"<div class=\"math-notice\" id=\"{Id}\" role=\"note\">Math on this page is shown as TeX source: {why}</div>\n";
    }
}

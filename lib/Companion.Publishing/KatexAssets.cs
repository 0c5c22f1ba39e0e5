using System.Text.RegularExpressions;

namespace Companion.Publishing;

/// <summary>
/// KaTeX 0.19.1 (vendored release files, <c>Vendor/katex</c>, MIT), so pages typeset math offline with no npm step: its
/// CSS with the woff2 fonts as data URIs (one file, no font folder to copy), the library, and the auto-render extension
/// with the delimiters the pages use (<c>\(…\)</c>, <c>\[…\]</c>, see <see cref="MarkdownMath"/>). Once the math is
/// rendered, the script removes the page's <see cref="MathNotice"/>, which otherwise says that math is shown as TeX.
/// </summary>
public sealed partial class KatexAssets
{
    /// <summary>The vendored KaTeX version.</summary>
    public const string Version = "0.19.1";

    /// <summary>katex.min.css with its woff2 fonts inlined.</summary>
    public string Css { get; }

    /// <summary>katex.min.js, then auto-render.min.js, then the call that renders the page's math once it is loaded.</summary>
    public string Script { get; }

    KatexAssets(string css, string script) => (Css, Script) = (css, script);

    static readonly Lazy<KatexAssets> Embedded = new(Load);

    /// <summary>The vendored KaTeX, read once from this assembly's resources.</summary>
    public static KatexAssets Vendored => Embedded.Value;

    [GeneratedRegex(@"url\(fonts/(?<f>[^)]+?\.woff2)\)")]
    private static partial Regex Woff2Url();

    [GeneratedRegex(@",\s*url\(fonts/[^)]+\.(woff|ttf)\)\s*format\(""(woff|truetype)""\)")]
    private static partial Regex OtherFontUrls();

    static KatexAssets Load()
    {
        var css = Woff2Url().Replace(VendoredFiles.Text("katex/katex.min.css"),
            m => $"url(data:font/woff2;base64,{Convert.ToBase64String(VendoredFiles.Bytes("katex/fonts/" + m.Groups["f"].Value))})");
        css = OtherFontUrls().Replace(css, "");
        var render = $$"""
            document.addEventListener("DOMContentLoaded", function () {
              renderMathInElement(document.body, { delimiters: [
                { left: "\\[", right: "\\]", display: true }, { left: "\\(", right: "\\)", display: false } ],
                ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code"], throwOnError: false });
              var notice = document.getElementById("{{MathNotice.Id}}");
              if (notice) notice.remove();
            });
            """;
        return new KatexAssets(css, VendoredFiles.Text("katex/katex.min.js") + "\n" + VendoredFiles.Text("katex/contrib/auto-render.min.js") + "\n" + render);
    }
}

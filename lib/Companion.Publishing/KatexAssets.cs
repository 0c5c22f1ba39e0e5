using System.Text.RegularExpressions;

namespace Companion.Publishing;

/// <summary>
/// KaTeX (npm package <c>katex</c>, installed at build time by <c>npm ci</c>, never committed), so pages render math
/// offline: its CSS with the woff2 fonts as data URIs (one file, no font folder to copy), the library, and the
/// auto-render extension with the delimiters the pages use (<c>\(…\)</c>, <c>\[…\]</c>, see <see cref="MarkdownMath"/>).
/// </summary>
public sealed class KatexAssets
{
    /// <summary>katex.min.css with its woff2 fonts inlined.</summary>
    public string Css { get; }

    /// <summary>katex.min.js, then auto-render.min.js, then the call that renders the page's math once it is loaded.</summary>
    public string Script { get; }

    KatexAssets(string css, string script) => (Css, Script) = (css, script);

    /// <summary>Looks for <c>node_modules/katex/dist</c> in <paramref name="searchFrom"/> and its parents; null when absent.</summary>
    public static KatexAssets? Find(string searchFrom) =>
        NodeModules.Find(searchFrom, Path.Combine("katex", "dist", "katex.min.js")) is { } js ? Load(Path.GetDirectoryName(js)!) : null;

    static KatexAssets Load(string dist)
    {
        var css = Regex.Replace(File.ReadAllText(Path.Combine(dist, "katex.min.css")),
            @"url\(fonts/(?<f>[^)]+?\.woff2)\)",
            m => $"url(data:font/woff2;base64,{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(dist, "fonts", m.Groups["f"].Value)))})");
        css = Regex.Replace(css, @",\s*url\(fonts/[^)]+\.(woff|ttf)\)\s*format\(""(woff|truetype)""\)", "");
        var js = File.ReadAllText(Path.Combine(dist, "katex.min.js"));
        var auto = File.ReadAllText(Path.Combine(dist, "contrib", "auto-render.min.js"));
        const string render = """
            document.addEventListener("DOMContentLoaded", function () {
              renderMathInElement(document.body, { delimiters: [
                { left: "\\[", right: "\\]", display: true }, { left: "\\(", right: "\\)", display: false } ],
                ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code"], throwOnError: false });
            });
            """;
        return new KatexAssets(css, js + "\n" + auto + "\n" + render);
    }
}

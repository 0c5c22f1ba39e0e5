namespace Companion.Publishing;

/// <summary>
/// KaTeX (npm package <c>katex</c>, installed at build time, never committed) inlined into pages so math renders offline:
/// its CSS with the woff2 fonts as data URIs, the library, and the auto-render extension.
/// </summary>
public sealed class KatexAssets
{
    /// <summary>The <c>&lt;style&gt;</c> and <c>&lt;script&gt;</c> elements to put in a page's head.</summary>
    public string HeadHtml { get; }

    KatexAssets(string headHtml) => HeadHtml = headHtml;

    /// <summary>Looks for <c>node_modules/katex/dist</c> in <paramref name="searchFrom"/> and its parents; null when absent.</summary>
    public static KatexAssets? Find(string searchFrom)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(searchFrom)); dir is not null; dir = dir.Parent)
        {
            var dist = Path.Combine(dir.FullName, "node_modules", "katex", "dist");
            if (File.Exists(Path.Combine(dist, "katex.min.js"))) return Load(dist);
        }
        return null;
    }

    static KatexAssets Load(string dist)
    {
        var css = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(dist, "katex.min.css")),
            @"url\(fonts/(?<f>[^)]+?\.woff2)\)",
            m => $"url(data:font/woff2;base64,{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(dist, "fonts", m.Groups["f"].Value)))})");
        css = System.Text.RegularExpressions.Regex.Replace(css, @",\s*url\(fonts/[^)]+\.(woff|ttf)\)\s*format\(""(woff|truetype)""\)", "");
        var js = File.ReadAllText(Path.Combine(dist, "katex.min.js"));
        var auto = File.ReadAllText(Path.Combine(dist, "contrib", "auto-render.min.js"));
        const string render = """
            document.addEventListener("DOMContentLoaded", function () {
              renderMathInElement(document.body, { delimiters: [
                { left: "\\[", right: "\\]", display: true }, { left: "\\(", right: "\\)", display: false } ],
                ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code"], throwOnError: false });
            });
            """;
        return new KatexAssets($"<style>{css}</style><script>{js}</script><script>{auto}</script><script>{render}</script>");
    }
}

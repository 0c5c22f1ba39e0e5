namespace Companion.Publishing;

/// <summary>
/// highlight.js (npm package <c>@highlightjs/cdn-assets</c>, the browser build with C# among its common languages) and
/// its GitHub style, so code cells are highlighted offline.
/// </summary>
public sealed class HighlightAssets
{
    public string Css { get; }

    /// <summary>highlight.min.js, then the call that highlights every <c>pre code</c> once the page is loaded.</summary>
    public string Script { get; }

    HighlightAssets(string css, string script) => (Css, Script) = (css, script);

    /// <summary>Looks for <c>node_modules/@highlightjs/cdn-assets</c> in <paramref name="searchFrom"/> and its parents; null when absent.</summary>
    public static HighlightAssets? Find(string searchFrom)
    {
        if (NodeModules.Find(searchFrom, Path.Combine("@highlightjs", "cdn-assets", "highlight.min.js")) is not { } js) return null;
        var css = Path.Combine(Path.GetDirectoryName(js)!, "styles", "github.min.css");
        if (!File.Exists(css)) return null;
        const string run = """
            document.addEventListener("DOMContentLoaded", function () {
              hljs.configure({ languages: ["csharp"] });
              document.querySelectorAll("pre code").forEach(function (el) { hljs.highlightElement(el); });
            });
            """;
        return new HighlightAssets(File.ReadAllText(css), File.ReadAllText(js) + "\n" + run);
    }
}

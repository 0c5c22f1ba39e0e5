namespace Companion.Publishing;

/// <summary>
/// highlight.js 11.11.1 (vendored release files of the npm package <c>@highlightjs/cdn-assets</c>, <c>Vendor/highlight.js</c>,
/// BSD 3-clause: the browser build with C# among its common languages) and its GitHub style, so code cells are
/// highlighted offline with no npm step.
/// </summary>
public sealed class HighlightAssets
{
    /// <summary>The vendored highlight.js version.</summary>
    public const string Version = "11.11.1";

    public string Css { get; }

    /// <summary>highlight.min.js, then the call that highlights every <c>pre code</c> once the page is loaded.</summary>
    public string Script { get; }

    HighlightAssets(string css, string script) => (Css, Script) = (css, script);

    static readonly Lazy<HighlightAssets> Embedded = new(() =>
    {
        const string run = """
            document.addEventListener("DOMContentLoaded", function () {
              hljs.configure({ languages: ["csharp"] });
              document.querySelectorAll("pre code").forEach(function (el) { hljs.highlightElement(el); });
            });
            """;
        return new HighlightAssets(VendoredFiles.Text("highlight.js/styles/github.min.css"), VendoredFiles.Text("highlight.js/highlight.min.js") + "\n" + run);
    });

    /// <summary>The vendored highlight.js, read once from this assembly's resources.</summary>
    public static HighlightAssets Vendored => Embedded.Value;
}

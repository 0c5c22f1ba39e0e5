using Companion.Notebooks;

namespace Companion.Publishing;

/// <summary>
/// What pages and figure files load, written once per output folder into <c>assets/</c>: plotly.min.js (3.6 MB, so that
/// the figure files and pages are fragments of tens of kilobytes that share it), KaTeX (math) and highlight.js (code),
/// both vendored into this assembly (<see cref="KatexAssets"/>, <see cref="HighlightAssets"/>). Every reference is a
/// relative path, so a page or figure opened by double-click (file://) still draws offline as long as the output folder
/// stays together.
/// </summary>
public sealed class SiteAssets
{
    public const string FolderName = "assets";
    public const string PlotlyFile = "plotly.min.js";
    public const string KatexJs = "katex.min.js";
    const string KatexCss = "katex.min.css", HighlightCss = "highlight-github.min.css", HighlightJs = "highlight.min.js";

    /// <summary>The output folder's <c>assets</c> folder (full path).</summary>
    public string Folder { get; }

    /// <summary>Whether the folder holds KaTeX (always, when written by <see cref="Write"/>; an older run's folder may not).</summary>
    public bool HasKatex { get; }

    /// <summary>Whether the folder holds highlight.js (as <see cref="HasKatex"/>).</summary>
    public bool HasHighlight { get; }

    SiteAssets(string folder, bool katex, bool highlight) => (Folder, HasKatex, HasHighlight) = (folder, katex, highlight);

    /// <summary>Writes plotly.js, KaTeX and highlight.js (with their licence files) into
    /// <c><paramref name="outDir"/>/assets</c>; unchanged files are not rewritten.</summary>
    public static SiteAssets Write(string outDir)
    {
        var folder = Path.Combine(Path.GetFullPath(outDir), FolderName);
        Directory.CreateDirectory(folder);
        WriteIfChanged(Path.Combine(folder, PlotlyFile), PlotlyJs.Source);
        var katex = KatexAssets.Vendored;
        WriteIfChanged(Path.Combine(folder, KatexCss), katex.Css);
        WriteIfChanged(Path.Combine(folder, KatexJs), katex.Script);
        var hl = HighlightAssets.Vendored;
        WriteIfChanged(Path.Combine(folder, HighlightCss), hl.Css);
        WriteIfChanged(Path.Combine(folder, HighlightJs), hl.Script);
        // Their licences travel with the copies (KaTeX's minified files carry no notice of their own).
        WriteIfChanged(Path.Combine(folder, "katex-LICENSE.txt"), VendoredFiles.Text("katex/LICENSE"));
        WriteIfChanged(Path.Combine(folder, "highlight.js-LICENSE.txt"), VendoredFiles.Text("highlight.js/LICENSE"));
        return new SiteAssets(folder, katex: true, highlight: true);
    }

    /// <summary>The assets already written into <paramref name="outDir"/> (e.g. by the shards of a merged run); null when there are none.</summary>
    public static SiteAssets? Existing(string outDir)
    {
        var folder = Path.Combine(Path.GetFullPath(outDir), FolderName);
        if (!File.Exists(Path.Combine(folder, PlotlyFile))) return null;
        return new SiteAssets(folder, File.Exists(Path.Combine(folder, KatexJs)), File.Exists(Path.Combine(folder, HighlightJs)));
    }

    static void WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && new FileInfo(path).Length == System.Text.Encoding.UTF8.GetByteCount(text) && File.ReadAllText(path) == text) return;
        NotebookFile.WriteTextAtomically(path, text);
    }

    /// <summary>The address of asset <paramref name="file"/> relative to folder <paramref name="fromDir"/> (forward slashes).</summary>
    public string Href(string fromDir, string file) =>
        Path.GetRelativePath(Path.GetFullPath(fromDir), Path.Combine(Folder, file)).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>plotly.js's address for a figure or page in <paramref name="fromDir"/>.</summary>
    public string PlotlyHref(string fromDir) => Href(fromDir, PlotlyFile);

    /// <summary>The file:// address of plotly.js, for a copy rendered from a temporary folder.</summary>
    public string PlotlyFileUri => new Uri(Path.Combine(Folder, PlotlyFile)).AbsoluteUri;

    /// <summary>The head elements of a page in <paramref name="fromDir"/>: plotly.js (unless not <paramref name="plotly"/>), KaTeX and highlight.js.</summary>
    public string PageHead(string fromDir, bool plotly = true)
    {
        string Css(string f) => $"<link rel=\"stylesheet\" href=\"{System.Net.WebUtility.HtmlEncode(Href(fromDir, f))}\">";
        string Js(string f) => $"<script src=\"{System.Net.WebUtility.HtmlEncode(Href(fromDir, f))}\"></script>";
        var head = plotly ? Js(PlotlyFile) : "";
        if (HasKatex) head += Css(KatexCss) + Js(KatexJs);
        if (HasHighlight) head += Css(HighlightCss) + Js(HighlightJs);
        return head;
    }
}

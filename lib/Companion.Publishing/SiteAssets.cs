using Companion.Notebooks;

namespace Companion.Publishing;

/// <summary>
/// What pages and figure files load, written once per output folder into <c>assets/</c>: plotly.min.js (3.6 MB, so that
/// the figure files and pages are fragments of tens of kilobytes that share it), KaTeX and highlight.js when their npm
/// packages are installed. Every reference is a relative path, so a page or figure opened by double-click (file://)
/// still draws offline as long as the output folder stays together.
/// </summary>
public sealed class SiteAssets
{
    public const string FolderName = "assets";
    public const string PlotlyFile = "plotly.min.js";
    const string KatexCss = "katex.min.css", KatexJs = "katex.min.js", HighlightCss = "highlight-github.min.css", HighlightJs = "highlight.min.js";

    /// <summary>The output folder's <c>assets</c> folder (full path).</summary>
    public string Folder { get; }

    public bool HasKatex { get; }

    public bool HasHighlight { get; }

    SiteAssets(string folder, bool katex, bool highlight) => (Folder, HasKatex, HasHighlight) = (folder, katex, highlight);

    /// <summary>Writes the assets into <c><paramref name="outDir"/>/assets</c> (KaTeX and highlight.js when found in a
    /// <c>node_modules</c> at or above one of <paramref name="searchFrom"/>).</summary>
    public static SiteAssets Write(string outDir, params string[] searchFrom)
    {
        var folder = Path.Combine(Path.GetFullPath(outDir), FolderName);
        Directory.CreateDirectory(folder);
        WriteIfChanged(Path.Combine(folder, PlotlyFile), PlotlyJs.Source);
        var katex = searchFrom.Select(KatexAssets.Find).FirstOrDefault(k => k is not null);
        if (katex is not null)
        {
            WriteIfChanged(Path.Combine(folder, KatexCss), katex.Css);
            WriteIfChanged(Path.Combine(folder, KatexJs), katex.Script);
        }
        var hl = searchFrom.Select(HighlightAssets.Find).FirstOrDefault(h => h is not null);
        if (hl is not null)
        {
            WriteIfChanged(Path.Combine(folder, HighlightCss), hl.Css);
            WriteIfChanged(Path.Combine(folder, HighlightJs), hl.Script);
        }
        return new SiteAssets(folder, katex is not null, hl is not null);
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

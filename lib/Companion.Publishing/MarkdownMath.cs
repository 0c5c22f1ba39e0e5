using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Companion.Publishing;

/// <summary>
/// Keeps TeX math away from the markdown parser, as Jupyter front ends do: <c>$…$</c> and <c>$$…$$</c> spans (which may
/// run over several lines of a paragraph) are replaced by placeholders before markdown is rendered and put back after,
/// HTML-escaped and delimited as <c>\(…\)</c> and <c>\[…\]</c> for KaTeX. Code spans and fenced code are left alone.
/// </summary>
public static partial class MarkdownMath
{
    [GeneratedRegex(@"(?<code>```.*?```|`[^`\n]*`)|(?<!\\)\$\$(?<display>.+?)\$\$|(?<![\\$])\$(?![\s$])(?<inline>(?:[^$\n]|\n(?!\s*\n))+?)(?<![\s\\])\$",
        RegexOptions.Singleline)]
    private static partial Regex Spans();

    const string Marker = "MATHSPANX";

    /// <summary>Whether <paramref name="markdown"/> holds a math span (outside code) that KaTeX is to typeset.</summary>
    public static bool HasMath(string markdown) => Spans().Matches(markdown).Any(m => !m.Groups["code"].Success);

    /// <summary>Renders markdown to HTML with math spans preserved verbatim for KaTeX.</summary>
    public static string ToHtml(string markdown, Func<string, string> render)
    {
        var spans = new List<string>();
        var protectedText = Spans().Replace(markdown, m =>
        {
            if (m.Groups["code"].Success) return m.Value;
            var display = m.Groups["display"].Success;
            var tex = display ? m.Groups["display"].Value : m.Groups["inline"].Value;
            spans.Add(display ? $"\\[{WebUtility.HtmlEncode(tex)}\\]" : $"\\({WebUtility.HtmlEncode(tex)}\\)");
            return $"{Marker}{spans.Count - 1}{Marker}";
        });
        var html = render(protectedText);
        var sb = new StringBuilder(html);
        for (int i = spans.Count - 1; i >= 0; i--) sb.Replace($"{Marker}{i}{Marker}", spans[i]);
        return sb.ToString();
    }
}

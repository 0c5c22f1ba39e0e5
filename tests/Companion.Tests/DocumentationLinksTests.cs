using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Companion.Tests;

/// <summary>
/// Every relative link in README.md, docs/*.md and data/README.md leads to a file that exists and, where it names an
/// anchor (<c>page.md#section</c>), to a heading of that page (anchors made as GitHub makes them).
/// </summary>
public partial class DocumentationLinksTests
{
    [Fact]
    public void Relative_links_in_the_documentation_resolve()
    {
        var root = RepoRoot();
        var pages = new[] { Path.Combine(root, "README.md"), Path.Combine(root, "data", "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .Where(File.Exists).ToList();
        Assert.True(pages.Count >= 5, $"expected README.md and docs/*.md under {root}");

        var broken = new List<string>();
        int checkedLinks = 0;
        foreach (var page in pages)
        {
            foreach (var (line, target) in Links(File.ReadAllText(page)))
            {
                if (Uri.TryCreate(target, UriKind.Absolute, out var abs) && abs.Scheme is "http" or "https" or "mailto") continue;
                checkedLinks++;
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var file = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var full = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(file)));
                var where = $"{Path.GetRelativePath(root, page)}:{line}: ({target})";
                if (!File.Exists(full) && !Directory.Exists(full)) broken.Add($"{where} no such file {Path.GetRelativePath(root, full)}");
                else if (anchor is not null && (!full.EndsWith(".md", StringComparison.Ordinal) || !Anchors(File.ReadAllText(full)).Contains(anchor)))
                    broken.Add($"{where} no heading with anchor #{anchor} in {Path.GetRelativePath(root, full)}");
            }
        }
        Assert.True(checkedLinks > 10, $"only {checkedLinks} relative links found: is the link pattern still right?");
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Theory]
    [InlineData("## .NET Interactive vs the runner", "net-interactive-vs-the-runner")]
    [InlineData("## EECS 182 (Q3(a), Q5)", "eecs-182-q3a-q5")]
    [InlineData("### Charts in an isolated load context", "charts-in-an-isolated-load-context")]
    [InlineData("# The runner (`nbrun`) and the engine", "the-runner-nbrun-and-the-engine")]
    public void Anchors_are_made_as_GitHub_makes_them(string heading, string anchor) =>
        Assert.Contains(anchor, Anchors(heading + "\n"));

    [Fact]
    public void Headings_inside_code_blocks_and_repeated_headings_are_handled()
    {
        var anchors = Anchors("# A\n```sh\n# not a heading\n```\n## A\n");
        Assert.Equal(new[] { "a", "a-1" }, anchors.Order(StringComparer.Ordinal));
    }

    /// <summary>The markdown links <c>[text](target)</c> outside code blocks and code spans, with their line numbers.</summary>
    static IEnumerable<(int Line, string Target)> Links(string markdown)
    {
        bool fenced = false;
        var lines = markdown.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal)) { fenced = !fenced; continue; }
            if (fenced) continue;
            var text = CodeSpan().Replace(lines[i], "");
            foreach (Match m in Link().Matches(text)) yield return (i + 1, m.Groups[1].Value);
        }
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    static HashSet<string> Anchors(string markdown)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new HashSet<string>(StringComparer.Ordinal);
        bool fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { fenced = !fenced; continue; }
            var m = fenced ? Match.Empty : Heading().Match(line);
            if (!m.Success) continue;
            var slug = new StringBuilder();
            foreach (var c in m.Groups[1].Value.Trim().ToLowerInvariant())
            {
                var cat = char.GetUnicodeCategory(c);
                if (char.IsLetterOrDigit(c) || c is '-' or '_' || cat is UnicodeCategory.NonSpacingMark) slug.Append(c);
                else if (c == ' ') slug.Append('-');
            }
            var s = slug.ToString();
            var n = seen.GetValueOrDefault(s);
            seen[s] = n + 1;
            result.Add(n == 0 ? s : $"{s}-{n}");
        }
        return result;
    }

    static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Companion.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Companion.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();
}

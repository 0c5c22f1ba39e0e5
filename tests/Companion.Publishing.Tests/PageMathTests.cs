using System.Text.RegularExpressions;
using Companion.Publishing;
using Companion.Testing;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Publishing.Tests;

/// <summary>
/// Pages typeset math and highlight code with the vendored KaTeX and highlight.js alone (no npm, no network), opened
/// from file:// as a user double-clicks them; where KaTeX cannot run, the page says so at the top.
/// </summary>
public partial class PageMathTests
{
    /// <summary>Three math spans: two inline, one display.</summary>
    const string MathMarkdown = "md:# Energy $E = mc^2$\n\nThe loss $\\mathcal{L}(\\theta) = \\|x - \\hat x\\|^2$ and\n\n$$\\sum_{i=1}^n \\frac{1}{i^2} = \\frac{\\pi^2}{6}$$";

    /// <summary>A page of a notebook with math and code, written as the runner writes it: <c>out/hw/q.html</c> beside <c>out/assets/</c>.</summary>
    static (string Page, string OutDir) WritePage(string markdown = MathMarkdown)
    {
        var outDir = Path.Combine(TempDir(), "out");
        var assets = SiteAssets.Write(outDir);
        var pageDir = Path.Combine(outDir, "hw");
        Directory.CreateDirectory(pageDir);
        var html = NotebookPage.Render(Make(markdown, "var x = 1;"), "hw/q", "executed", new PageContext(assets, pageDir, "../index.html"));
        var page = Path.Combine(pageDir, "q.html");
        File.WriteAllText(page, html);
        return (page, outDir);
    }

    [GeneratedRegex("<span class=\"katex\">")]
    private static partial Regex KatexSpan();

    [SkippableFact]
    public void A_page_opened_from_file_typesets_its_math_offline_and_drops_the_notice()
    {
        ToolRequirements.Chromium();
        var (page, _) = WritePage();
        var dom = FigureRenderingTests.DumpDom(page);
        Assert.Equal(4, KatexSpan().Count(dom));                 // every span typeset: title, its contents entry, inline, display
        Assert.Contains("class=\"katex-display\"", dom);                 // $$…$$ as display math
        Assert.Contains("<annotation encoding=\"application/x-tex\">E = mc^2</annotation>", dom);
        Assert.DoesNotContain("\\(", dom[dom.IndexOf("<main>", StringComparison.Ordinal)..]);  // no TeX source left in the page body
        Assert.DoesNotContain($"id=\"{MathNotice.Id}\"", dom);
        Assert.Contains("<span class=\"hljs-keyword\">var</span>", dom);  // code highlighted by the vendored highlight.js
    }

    [SkippableFact]
    public void Where_katex_cannot_load_the_page_says_at_the_top_that_math_is_tex_source()
    {
        ToolRequirements.Chromium();
        var (page, outDir) = WritePage();
        File.Delete(Path.Combine(outDir, "assets", SiteAssets.KatexJs));  // the page opened away from its assets
        var dom = FigureRenderingTests.DumpDom(page);
        Assert.DoesNotContain("<span class=\"katex\">", dom);
        var notice = dom.IndexOf($"id=\"{MathNotice.Id}\"", StringComparison.Ordinal);
        Assert.True(notice > 0, "the notice stays");
        Assert.True(notice < dom.IndexOf("class=\"md\"", StringComparison.Ordinal), "the notice comes before the notebook's content");
        Assert.Contains("Math on this page is shown as TeX source: KaTeX (../assets/katex.min.js) did not run.", dom);
    }

    [Fact]
    public void Only_pages_with_math_carry_the_notice_and_a_page_without_katex_says_it_was_written_without()
    {
        Assert.Contains($"id=\"{MathNotice.Id}\"", File.ReadAllText(WritePage().Page));
        Assert.DoesNotContain($"id=\"{MathNotice.Id}\"", File.ReadAllText(WritePage("md:# Plain\n\nNo math here, only `$x$` in code, and\n\n```\n$$y$$\n```").Page));
        var standalone = NotebookPage.Render(Make(MathMarkdown), "q", "executed");
        Assert.Contains("Math on this page is shown as TeX source: this page was written without KaTeX.", standalone);
    }

    [Fact]
    public void The_vendored_katex_css_carries_every_font_inline_and_the_licences_travel_with_the_assets()
    {
        var (_, outDir) = WritePage();
        var assets = Path.Combine(outDir, "assets");
        var css = File.ReadAllText(Path.Combine(assets, "katex.min.css"));
        Assert.DoesNotContain("url(fonts/", css);                        // nothing to fetch beside the CSS
        Assert.Equal(20, Regex.Count(css, "url\\(data:font/woff2;base64,"));  // KaTeX 0.19.1 declares 20 font faces
        Assert.Contains("katex", File.ReadAllText(Path.Combine(assets, SiteAssets.KatexJs)), StringComparison.Ordinal);
        Assert.Contains("Khan Academy", File.ReadAllText(Path.Combine(assets, "katex-LICENSE.txt")), StringComparison.Ordinal);
        Assert.Contains("BSD 3-Clause", File.ReadAllText(Path.Combine(assets, "highlight.js-LICENSE.txt")), StringComparison.Ordinal);
        Assert.True(SiteAssets.Existing(outDir) is { HasKatex: true, HasHighlight: true });
    }

    [Fact]
    public void A_missing_python_module_is_named_with_the_package_that_provides_it()
    {
        Assert.Null(ToolRequirements.MissingPythonModules());
        var missing = ToolRequirements.MissingPythonModules("no_such_module_for_companion_tests");
        Assert.NotNull(missing);
        Assert.Contains("no_such_module_for_companion_tests", missing, StringComparison.Ordinal);
        Assert.Contains("apt-get install", missing, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_tool_skips_the_test_except_under_ci_where_it_fails()
    {
        ToolRequirements.Require(null, null);  // nothing missing: nothing happens
        var e = Record.Exception(() => ToolRequirements.Require("frobnicator is not installed (apt-get install frobnicator)", null, "no widget (apt-get install widget)"));
        Assert.Contains("frobnicator is not installed (apt-get install frobnicator); no widget (apt-get install widget)", e.Message, StringComparison.Ordinal);
        if (ToolRequirements.InCi) Assert.IsType<Xunit.Sdk.FailException>(e);
        else Assert.IsType<SkipException>(e);
    }
}

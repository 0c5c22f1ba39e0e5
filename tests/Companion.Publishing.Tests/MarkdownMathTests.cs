using Companion.Publishing;

namespace Companion.Publishing.Tests;

/// <summary>Math reaches the page verbatim (as Jupyter keeps it), whatever markdown would have done to it.</summary>
public class MarkdownMathTests
{
    static string Html(string md) => MarkdownMath.ToHtml(md, s => Markdig.Markdown.ToHtml(s));

    [Fact]
    public void Inline_math_over_two_lines_with_backslashes_and_underscores_is_kept_verbatim()
    {
        var html = Html("Matrix $\\begin{bmatrix} 1 & \\alpha \\\\ -\\alpha & 1\n\\end{bmatrix}$ and $a_k * b_k$ end.");
        Assert.Contains("\\(\\begin{bmatrix} 1 &amp; \\alpha \\\\ -\\alpha &amp; 1\n\\end{bmatrix}\\)", html);
        Assert.Contains("\\(a_k * b_k\\)", html);
        Assert.DoesNotContain("<em>", html);
    }

    [Fact]
    public void Display_math_code_and_prices_are_handled()
    {
        var html = Html("$$x^2_{i}$$\n\n`$not math$` costs 5 $ and 6 $.\n\n```\n$also code$\n```");
        Assert.Contains("\\[x^2_{i}\\]", html);
        Assert.Contains("<code>$not math$</code>", html);
        Assert.Contains("costs 5 $ and 6 $.", html);
        Assert.Contains("$also code$", html);
    }

    [Fact]
    public void Math_does_not_run_across_paragraphs()
    {
        var html = Html("a $x\n\ny$ b");
        Assert.DoesNotContain("\\(", html);
    }
}

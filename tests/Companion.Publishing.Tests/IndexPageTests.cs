using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Companion.Publishing;

namespace Companion.Publishing.Tests;

/// <summary>index.html groups notebooks by homework, with titles, status and thumbnails.</summary>
public class IndexPageTests
{
    static JsonObject Entry(string notebook, string? title, string status, string? thumbnail) => new()
    {
        ["notebook"] = notebook, ["title"] = title, ["status"] = status, ["seconds"] = 1.5, ["figures"] = 2,
        ["page"] = notebook.Replace(".ipynb", ".html", StringComparison.Ordinal), ["thumbnail"] = thumbnail,
        ["error"] = status == "ok" ? null : "cell 3: boom",
    };

    [Fact]
    public void Notebooks_are_grouped_by_homework_with_title_and_thumbnail()
    {
        var report = new JsonObject
        {
            ["notebooks"] = new JsonArray(
                Entry("cs189-hw7/q2.ipynb", "Linear networks", "ok", "figures/cs189-hw7/q2/cell04-1.png"),
                Entry("ift6135/q1.ipynb", "Amortised inference $q_\\phi$", "ok", null),
                Entry("ift6135/q4.ipynb", null, "failed", "figures/ift6135/q4/cell10-1.png")),
        };
        var html = IndexPage.Render(report);
        Assert.Equal(["cs189-hw7", "ift6135"], Regex.Matches(html, "<h2 id=\"[^\"]+\">([^<]+)</h2>").Select(m => m.Groups[1].Value));
        var ift = html[html.IndexOf("<h2 id=\"ift6135\">", StringComparison.Ordinal)..];
        Assert.Contains("<a href=\"ift6135/q1.html\">Amortised inference \\(q_\\phi\\)</a>", ift);
        Assert.Contains("<a href=\"ift6135/q4.html\">q4</a>", ift);  // no heading: its file name
        Assert.Contains("<img alt=\"first figure of q4\" src=\"figures/ift6135/q4/cell10-1.png\"", ift);
        Assert.Contains("title=\"cell 3: boom\">failed</span>", ift);
        Assert.Contains("<meta name=\"viewport\"", html);
        Assert.Contains("2 of 3 notebooks ran without an error.", html);
    }

    [Fact]
    public void Claims_are_shown_per_notebook_and_in_total_when_the_report_has_them()
    {
        var held = Entry("hw1/q1.ipynb", "Q1", "ok", null);
        held["claims"] = new JsonObject { ["checked"] = 7, ["failed"] = 0 };
        var broken = Entry("hw1/q2.ipynb", "Q2", "failed", null);
        broken["claims"] = new JsonObject { ["checked"] = 1, ["failed"] = 1 };
        var notRun = Entry("hw1/q3.ipynb", "Q3", "error", null);
        var html = IndexPage.Render(new JsonObject { ["notebooks"] = new JsonArray(held, broken, notRun) });
        Assert.Contains("2 figures · 7 claims</div>", html);
        Assert.Contains("2 figures · 1 claim, <span class=\"bad\">1 not holding</span></div>", html);
        Assert.Matches("hw1/q3.ipynb · .*error</span> · 1.5 s · 2 figures</div>", html);
        Assert.Contains("1 of 3 notebooks ran without an error. 8 claims checked, <span class=\"bad\">1 not holding</span>.", html);
        var none = IndexPage.Render(new JsonObject { ["notebooks"] = new JsonArray(Entry("a/b.ipynb", "B", "ok", null)) });
        Assert.Contains("1 of 1 notebooks ran without an error.</p>", none);
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Companion.Notebooks;
using Companion.Publishing;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Publishing.Tests;

/// <summary>Pages of executed notebooks: title, anchors, contents, navigation, numbered figures, print and small-screen CSS.</summary>
public class NotebookPageTests
{
    /// <summary>The HTML of a Plotly chart output as the engine formats it (the session's first chart carries plotly.js).</summary>
    static JsonObject ChartOutput(ValueFormatter formatter, string title)
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(new double[] { 1, 2, 3 }, new double[] { 1, 4, 9 }, Name: "squares");
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 640, 420);
        var bundle = formatter.Format(chart);
        // The title as Plotly.NET writes it into the layout ({"title":{"text":…}}).
        bundle["text/html"] = Regex.Replace(bundle["text/html"], @"var layout = (\{.*?\});", m =>
        {
            var layout = JsonNode.Parse(m.Groups[1].Value)!.AsObject();
            layout["title"] = new JsonObject { ["text"] = title };
            return $"var layout = {layout.ToJsonString()};";
        }, RegexOptions.Singleline);
        return Outputs.DisplayData(bundle);
    }

    /// <summary>A notebook with headings (two the same), code, and two charts in cell 3 and one in cell 5.</summary>
    static Notebook Sample()
    {
        var nb = Make("md:# Question 4 — GAN dynamics on $V(d, g) = d\\,g$\n\nIntro.", "var x = 1;", "chart", "md:## Results\n\ntext\n\n### Detail", "chart2",
            "md:## Results");
        var f = new ValueFormatter();
        nb.Cells[2].Outputs.Add(ChartOutput(f, "First"));
        nb.Cells[2].Outputs.Add(Outputs.Stream("stdout", "between\n"));
        nb.Cells[2].Outputs.Add(ChartOutput(f, "Second <sub>k</sub>"));
        nb.Cells[4].Outputs.Add(ChartOutput(f, "Third"));
        return nb;
    }

    static string Page(Notebook nb, out string outDir)
    {
        outDir = TempDir();
        var assets = SiteAssets.Write(outDir);
        var pageDir = Path.Combine(outDir, "hw");
        var context = new PageContext(assets, pageDir, "../index.html", new PageLink("q3.html", "Question 3"), new PageLink("q5.html", "Question 5 $x$"),
            "../figures/hw/q4");
        return NotebookPage.Render(nb, "hw/q4", "executed in 1.0 s", context);
    }

    [Fact]
    public void Title_is_the_first_heading_and_headings_get_unique_anchors_listed_in_the_contents()
    {
        var html = Page(Sample(), out _);
        Assert.Contains("<title>Question 4 — GAN dynamics on V(d, g) = d g</title>", html);
        Assert.Contains("<h2 id=\"results\">", html);
        Assert.Contains("<h2 id=\"results-2\">", html);
        Assert.Contains("<h3 id=\"detail\">", html);
        var toc = Regex.Match(html, "<aside class=\"toc\">(.*?)</aside>", RegexOptions.Singleline).Groups[1].Value;
        var links = Regex.Matches(toc, "href=\"#([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var ids = Regex.Matches(html, "<h[1-4] id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids, links);
        Assert.Equal(4, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Navigation_links_lead_to_the_index_and_the_neighbouring_notebooks()
    {
        var html = Page(Sample(), out _);
        Assert.Contains("<a href=\"../index.html\">↑ all notebooks</a>", html);
        Assert.Contains("<a href=\"q3.html\">← Question 3</a>", html);
        Assert.Contains("<a href=\"q5.html\">Question 5 \\(x\\) →</a>", html);
    }

    [Fact]
    public void Charts_are_numbered_by_cell_and_position_with_a_caption_and_links_to_their_files()
    {
        var html = Page(Sample(), out _);
        var numbers = Regex.Matches(html, "<b>Figure ([0-9.]+)</b>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["3.1", "3.2", "5.1"], numbers);
        Assert.Contains("id=\"figure-3-2\"", html);
        Assert.Contains("<b>Figure 3.2</b></a>. Second k", html);
        Assert.Contains("href=\"../figures/hw/q4/cell03-2.html\"", html);
    }

    [Fact]
    public void Page_loads_the_shared_plotly_js_and_its_charts_follow_the_page_width()
    {
        var html = Page(Sample(), out var outDir);
        Assert.Contains("<script src=\"../assets/plotly.min.js\"></script>", html);
        Assert.True(File.Exists(Path.Combine(outDir, "assets", "plotly.min.js")));
        Assert.DoesNotContain("plotly.js v2", html);
        Assert.True(html.Length < PlotlyJs.Source.Length / 10, $"the page ({html.Length} chars) does not carry plotly.js ({PlotlyJs.Source.Length})");
        // Each chart: its container is capped at the chart's own width; the layout drops its fixed width; Plotly resizes it.
        Assert.Equal(3, Regex.Count(html, "<div class=\"plot\" style=\"max-width:640px\">"));
        foreach (Match m in Regex.Matches(html, @"var layout = (\{.*?\});\s*var config = (\{.*?\});", RegexOptions.Singleline))
        {
            var layout = JsonNode.Parse(m.Groups[1].Value)!.AsObject();
            Assert.False(layout.ContainsKey("width"));
            Assert.Equal(420, layout["height"]!.GetValue<int>());
            Assert.True(JsonNode.Parse(m.Groups[2].Value)!["responsive"]!.GetValue<bool>());
        }
    }

    [Fact]
    public void Print_and_small_screen_rules_are_in_the_page()
    {
        var html = Page(Sample(), out _);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html);
        var print = Regex.Match(html, @"@media print \{(.*?)\n\}", RegexOptions.Singleline).Groups[1].Value;
        Assert.Matches(@"figure\.chart[^{]*\{[^}]*break-inside: avoid", print);
        Assert.Matches(@"\.modebar-container[^{]*\{ display: none", print);
        Assert.Matches(@"pre \{[^}]*white-space: pre-wrap", print);
        Assert.Contains("beforeprint", html);
        Assert.Contains("<code class=\"language-csharp\">var x = 1;</code>", html);
    }

    [Fact]
    public void Without_shared_assets_the_page_stands_alone_with_plotly_js_inline()
    {
        var html = NotebookPage.Render(Sample(), "q4", "ok");
        Assert.Single(Regex.Matches(html, "plotly.js v2"));
        Assert.DoesNotContain("<script src=", html);
    }

    [Fact]
    public void A_standalone_figure_document_refers_to_the_shared_plotly_js_or_inlines_it()
    {
        var figures = FigureExport.Find(Sample());
        Assert.Equal(["3.1", "3.2", "5.1"], figures.Select(f => f.Number));
        Assert.Equal(("cell03-2", 640, 420, "Second k"), (figures[1].FileStem, figures[1].Width, figures[1].Height, figures[1].Title));
        var shared = figures[0].Document("../../assets/plotly.min.js");
        Assert.Contains("<script src=\"../../assets/plotly.min.js\"></script>", shared);
        Assert.DoesNotContain("plotly.js v2", shared);
        Assert.Contains("Plotly.newPlot", shared);
        Assert.Contains("plotly.js v2", figures[0].Document(null));
    }
}

using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>
/// The library's own chart type (<c>Companion.Charts.Chart</c>, loaded by a cell's <c>#r</c> as notebooks do) shows in
/// this engine as it does under .NET Interactive: the first chart of a session inlines plotly.js, later ones are
/// fragments, text/plain names the chart.
/// </summary>
public class CompanionChartTests
{
    [Fact]
    public async Task Library_charts_display_as_offline_plotly_html_with_a_text_twin()
    {
        var dll = Path.Combine(RepoRoot(), "lib", "Companion", "bin", "Companion.dll");
        const string chart = "Plot.Lines(\"Loss\", \"x\", \"y\", new[] { new Series(\"s\", new[] { 1.0, 2.0 }, new[] { 3.0, 5.0 }) })";
        var (nb, report) = await NotebookExecutor.ExecuteAsync(
            Make($"#r \"{dll}\"\nusing Companion.Charts;", chart, $"display({chart});"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { Isolated = false });
        Assert.True(report.Succeeded, report.FirstFailure?.Error);
        var first = nb.CodeCells.ElementAt(1).Cell.Outputs.Single()["data"]!;
        var second = nb.CodeCells.ElementAt(2).Cell.Outputs.Single()["data"]!;
        Assert.Contains("plotly.js v2.28.0", Outputs.Text(first["text/html"]));
        Assert.Contains("Plotly.newPlot", Outputs.Text(first["text/html"]));
        Assert.Contains("\"y\":[3.0,5.0]", Outputs.Text(second["text/html"]));
        Assert.DoesNotContain("plotly.js v2.28.0", Outputs.Text(second["text/html"]));
        Assert.Equal("Plotly chart: Loss", Outputs.Text(first["text/plain"]));
    }
}

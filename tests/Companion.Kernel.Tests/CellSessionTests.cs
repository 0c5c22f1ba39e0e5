using System.Diagnostics;
using Companion.Kernel;
using Companion.Notebooks;

namespace Companion.Kernel.Tests;

/// <summary>The session's memory watch: the resident size it reads, and the warning past the threshold.</summary>
public class CellSessionTests
{
    [Fact]
    public void Resident_bytes_agree_with_the_process_working_set()
    {
        using var self = Process.GetCurrentProcess();
        var rss = CellSession.ResidentBytes(Environment.ProcessId);
        self.Refresh();
        var workingSet = self.WorkingSet64;
        Assert.NotNull(rss);
        Assert.InRange((double)rss!.Value / workingSet, 0.9, 1.1);
        Assert.Null(CellSession.ResidentBytes(int.MaxValue));
    }

    [Fact]
    public async Task A_worker_past_the_threshold_gets_a_warning_on_stderr_and_a_small_one_does_not()
    {
        var dir = Path.GetTempPath();
        foreach (var (thresholdMb, expectWarning) in new[] { (1, true), (CellSession.DefaultMemoryWarningMb, false) })
        {
            using var session = new CellSession(dir, Timeout.InfiniteTimeSpan, thresholdMb);
            var events = new List<KernelEvent>();
            var r = await session.ExecuteAsync(1, "1 + 1", events.Add, null, CancellationToken.None);
            Assert.False(r.Failed);
            var warned = events.Any(e => e.Output["output_type"]?.GetValue<string>() == "stream"
                && e.Output["name"]?.GetValue<string>() == "stderr"
                && Outputs.Text(e.Output["text"]).Contains("warning: this session's worker process uses", StringComparison.Ordinal));
            Assert.Equal(expectWarning, warned);
        }
    }

    [Fact]
    public async Task The_completion_workspace_is_built_on_the_first_request_and_knows_the_cells_run_before()
    {
        using var session = new CellSession(Path.GetTempPath(), Timeout.InfiniteTimeSpan);
        var r = await session.ExecuteAsync(1, "record Point(double X, double Y);\nvar p = new Point(1, 2);", _ => { }, null, CancellationToken.None);
        Assert.False(r.Failed, r.ErrorSummary);
        Assert.False(session.AssistanceBuilt, "the workspace was built before any completion request");
        var c = await session.Assistance.CompleteAsync("p.", 2);
        Assert.True(session.AssistanceBuilt);
        Assert.Contains(c.Matches, m => m.Text == "X");
    }

    [Fact]
    public async Task A_chart_from_the_kernels_worker_stands_alone_with_plotlys_mimetype()
    {
        // The kernel starts its worker with COMPANION_CHART_OUTPUT=standalone: no inline plotly.js, the loader instead.
        var companion = Path.Combine(Jupyter.RepoRoot(), "lib", "Companion", "bin", "Companion.dll");
        using var session = new CellSession(Path.GetTempPath(), Timeout.InfiniteTimeSpan);
        var events = new List<KernelEvent>();
        var r = await session.ExecuteAsync(1, $"#r \"{companion}\"\nusing Companion.Charts;\n" +
            "Plot.Lines(\"t\", \"x\", \"y\", new[] { new Series(\"s\", new double[] { 1, 2 }, new double[] { 3, 4 }) })",
            events.Add, null, CancellationToken.None);
        Assert.False(r.Failed, r.ErrorSummary);
        var data = events.Select(e => e.Output["data"]).OfType<System.Text.Json.Nodes.JsonObject>().Single();
        Assert.IsType<System.Text.Json.Nodes.JsonObject>(data[ChartLoader.PlotlyMimeType]);
        var html = Outputs.Text(data["text/html"]);
        Assert.Contains("window.companionPlotly(", html);
        Assert.DoesNotContain("plotly.js v2.28.0", html);
    }
}

using System.Diagnostics;
using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>Isolated execution: the same semantics in a worker process, plus timeouts and crashes.</summary>
public class WorkerKernelTests
{
    [Fact]
    public async Task Worker_runs_cells_with_state_console_and_display()
    {
        var (nb, report) = await NotebookExecutor.ExecuteAsync(Make("var a = 2;\nConsole.WriteLine(\"hi\");", "display(a * 21);\na + 1"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions());
        Assert.True(report.Succeeded);
        Assert.Equal("hi\n", Text(nb.Cells[0], 0));
        Assert.Equal("42", Text(nb.Cells[1], 0));
        Assert.Equal("3", Text(nb.Cells[1], 1));
    }

    [Fact]
    public async Task A_runaway_cell_is_stopped_at_the_timeout_and_reported()
    {
        var clock = Stopwatch.StartNew();
        var (nb, report) = await NotebookExecutor.ExecuteAsync(Make("var a = 1;", "while (true) { }", "a"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { CellTimeout = TimeSpan.FromSeconds(5), ContinueOnError = true });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.False(report.Succeeded);
        Assert.Equal(2, report.FirstFailure!.Number);
        var err = nb.Cells[1].Outputs.Single();
        Assert.Equal("CellTimeoutError", err["ename"]!.GetValue<string>());
        Assert.Contains("cell 2 did not finish within 5 s", err["evalue"]!.GetValue<string>());
        Assert.Equal("WorkerUnavailable", nb.Cells[2].Outputs.Single()["ename"]!.GetValue<string>());

        // The next notebook runs normally in a fresh worker.
        var (next, nextReport) = await NotebookExecutor.ExecuteAsync(Make("6 * 7"), Path.Combine(TempDir(), "u.ipynb"), new ExecutionOptions());
        Assert.True(nextReport.Succeeded);
        Assert.Equal("42", Text(next.Cells[0], 0));
    }

    [Fact]
    public async Task A_crashing_worker_is_reported_with_its_exit_code()
    {
        var (nb, report) = await NotebookExecutor.ExecuteAsync(Make("Environment.Exit(7);"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions());
        Assert.False(report.Succeeded);
        var err = nb.Cells[0].Outputs.Single();
        Assert.Equal("WorkerCrashed", err["ename"]!.GetValue<string>());
        Assert.Contains("exited with code 7", err["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Native_noise_on_stdout_does_not_break_the_protocol()
    {
        var (nb, report) = await NotebookExecutor.ExecuteAsync(
            Make("var raw = new StreamWriter(Console.OpenStandardOutput());\nraw.WriteLine(\"{not protocol}\");\nraw.Flush();", "1 + 1"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions());
        Assert.True(report.Succeeded);
        Assert.Equal("2", Text(nb.Cells[1], 0));
    }
}

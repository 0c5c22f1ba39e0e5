using System.Diagnostics;
using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>Isolated execution: the same semantics in a worker process, plus timeouts, interrupts, crashes and restarts.</summary>
public class WorkerKernelTests
{
    /// <summary>Generous limit for cells that should be quick (a loaded CI machine).</summary>
    static readonly TimeSpan CellLimit = TimeSpan.FromSeconds(120);

    static string EName(Cell c, int i = 0) => c.Outputs[i]["ename"]!.GetValue<string>();
    static string EValue(Cell c, int i = 0) => c.Outputs[i]["evalue"]!.GetValue<string>();

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
    public async Task A_timeout_stops_the_cell_at_a_checkpoint_and_keeps_the_session()
    {
        var (nb, report) = await NotebookExecutor.ExecuteAsync(Make("var a = 1;", "Console.WriteLine(\"spinning\");\nwhile (true) { }", "a", "6 * 7"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { CellTimeout = TimeSpan.FromSeconds(5), ContinueOnError = true });
        Assert.False(report.Succeeded);
        Assert.Equal(2, report.FirstFailure!.Number);
        Assert.Equal("spinning\n", Text(nb.Cells[1], 0));
        Assert.Equal("CellTimeoutError", EName(nb.Cells[1], 1));
        Assert.Contains("cell 2 did not finish within 5 s", EValue(nb.Cells[1], 1));
        Assert.Contains(WorkerKernel.KeptNotice, EValue(nb.Cells[1], 1));
        Assert.Contains("Cell 2, line 2: CellTimeoutError", nb.Cells[1].Outputs[1]["traceback"]![0]!.GetValue<string>());
        Assert.Equal("1", Text(nb.Cells[2], 0));
        Assert.Equal("42", Text(nb.Cells[3], 0));
    }

    [Fact]
    public async Task A_timeout_in_a_call_without_checkpoints_restarts_the_session_and_later_cells_say_where()
    {
        var (nb, report) = await NotebookExecutor.ExecuteAsync(Make("var a = 1;", "System.Threading.Thread.Sleep(600_000);", "a", "6 * 7"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { CellTimeout = TimeSpan.FromSeconds(3), ContinueOnError = true });
        Assert.False(report.Succeeded);
        Assert.Equal("CellTimeoutError", EName(nb.Cells[1]));
        Assert.Contains("cell 2 did not finish within 3 s and did not stop within 3 s", EValue(nb.Cells[1]));
        Assert.Contains(WorkerKernel.RestartNotice, EValue(nb.Cells[1]));
        // The fresh session does not know `a`, and says in one line why; the cell after it succeeds.
        Assert.Equal("CompilationError", EName(nb.Cells[2]));
        Assert.StartsWith("The session restarted at cell 2 ", EValue(nb.Cells[2]));
        Assert.Contains("run the cells above this one again", EValue(nb.Cells[2]));
        Assert.Contains("CS0103", EValue(nb.Cells[2]));
        Assert.Contains("restarted at cell 2", report.Cells[2].Error);
        Assert.Equal("42", Text(nb.Cells[3], 0));
    }

    [Fact]
    public async Task Cancel_interrupts_the_cell_and_keeps_every_variable_in_the_same_worker()
    {
        using var kernel = new WorkerKernel(TempDir());
        var firstPid = kernel.WorkerProcessId;
        await kernel.ExecuteAsync(1, "var a = 1;", CellLimit);
        using var cancel = new CancellationTokenSource();
        // "started" is printed once the loop has run 1000 times, so the interrupt always comes after that.
        var result = await kernel.ExecuteAsync(2, "long n = 0;\nwhile (true) { n++; if (n == 1000) Console.WriteLine(\"started\"); }", CellLimit,
            new CellCallbacks { OnEvent = e => { if (e.Output["output_type"]?.GetValue<string>() == "stream") cancel.Cancel(); } }, cancel.Token);
        Assert.True(result.Failed);
        Assert.Equal("started\n", Outputs.Text(result.Events[0].Output["text"]));
        var error = result.Events[1].Output;
        Assert.Equal("KeyboardInterrupt", error["ename"]!.GetValue<string>());
        Assert.Contains(WorkerKernel.KeptNotice, error["evalue"]!.GetValue<string>());
        Assert.StartsWith("Cell 2, line 2: KeyboardInterrupt", error["traceback"]![0]!.GetValue<string>());
        // The variables of earlier cells, and those the interrupted cell assigned before it stopped, are there.
        var after = await kernel.ExecuteAsync(3, "a + (n >= 1000 ? 41 : 0)", CellLimit);
        Assert.Equal("42", Outputs.Text(after.Events.Single().Output["data"]!["text/plain"]));
        Assert.Equal(0, kernel.Restarts);
        Assert.Equal(firstPid, kernel.WorkerProcessId);
    }

    [Fact]
    public async Task Cancel_of_a_cell_blocked_outside_checkpoints_restarts_the_worker_and_says_state_is_lost()
    {
        using var kernel = new WorkerKernel(TempDir()) { InterruptGrace = TimeSpan.FromSeconds(1) };
        var firstPid = kernel.WorkerProcessId;
        await kernel.ExecuteAsync(1, "var a = 1;", CellLimit);
        using var cancel = new CancellationTokenSource();
        var result = await kernel.ExecuteAsync(2, "Console.WriteLine(\"started\");\nSystem.Threading.Thread.Sleep(600_000);", CellLimit,
            new CellCallbacks { OnEvent = e => { if (e.Output["output_type"]?.GetValue<string>() == "stream") cancel.Cancel(); } }, cancel.Token);
        Assert.True(result.Failed);
        var error = result.Events[1].Output;
        Assert.Equal("KernelInterrupted", error["ename"]!.GetValue<string>());
        Assert.Contains("did not stop within 1 s", error["evalue"]!.GetValue<string>());
        Assert.Contains(WorkerKernel.RestartNotice, error["evalue"]!.GetValue<string>());
        var lost = await kernel.ExecuteAsync(3, "a", CellLimit);
        Assert.Contains("CS0103", lost.ErrorSummary);
        Assert.Contains("restarted at cell 2", lost.ErrorSummary);
        var after = await kernel.ExecuteAsync(4, "40 + 2", CellLimit);
        Assert.Equal("42", Outputs.Text(after.Events.Single().Output["data"]!["text/plain"]));
        Assert.Equal(1, kernel.Restarts);
        Assert.NotEqual(firstPid, kernel.WorkerProcessId);
        Assert.False(ProcessAlive(firstPid!.Value));
    }

    [Fact]
    public async Task Cancel_stops_a_long_loop_inside_the_maths_library_and_keeps_the_session()
    {
        var dll = Path.Combine(RepoRoot(), "lib", "Companion", "bin", "Companion.dll");
        using var kernel = new WorkerKernel(TempDir());
        var setup = await kernel.ExecuteAsync(1, $"#r \"{dll}\"\nvar x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Random(300, 2, 1);", CellLimit);
        Assert.False(setup.Failed, setup.ErrorSummary);
        using var cancel = new CancellationTokenSource();
        // No loop in the cell: all the time is spent in KMeans.Fit's restarts, which check Companion.Interruption.
        var result = await kernel.ExecuteAsync(2, "Console.WriteLine(\"fitting\");\nvar fit = Companion.Clustering.KMeans.Fit(x, 5, restarts: int.MaxValue);", CellLimit,
            new CellCallbacks { OnEvent = e => { if (e.Output["output_type"]?.GetValue<string>() == "stream") cancel.CancelAfter(500); } }, cancel.Token);
        var error = result.Events[^1].Output;
        Assert.Equal("KeyboardInterrupt", error["ename"]!.GetValue<string>());
        Assert.StartsWith("Cell 2, line 2: KeyboardInterrupt", error["traceback"]![0]!.GetValue<string>());
        Assert.Equal(0, kernel.Restarts);
        // The library's flag was withdrawn with the engine's: the next fit runs to its end.
        var again = await kernel.ExecuteAsync(3, "Companion.Clustering.KMeans.Fit(x, 2, restarts: 2).Labels.Length", CellLimit);
        Assert.Equal("300", Outputs.Text(again.Events.Single().Output["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_crash_keeps_the_output_printed_before_it_and_later_cells_run()
    {
        var (nb, report) = await NotebookExecutor.ExecuteAsync(Make("Console.WriteLine(\"before\");\nEnvironment.Exit(7);", "1 + 1"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { ContinueOnError = true });
        Assert.False(report.Succeeded);
        Assert.Equal("before\n", Text(nb.Cells[0], 0));
        Assert.Equal("WorkerCrashed", EName(nb.Cells[0], 1));
        Assert.Contains("exited with code 7", EValue(nb.Cells[0], 1));
        Assert.Contains(WorkerKernel.RestartNotice, EValue(nb.Cells[0], 1));
        Assert.Equal("2", Text(nb.Cells[1], 0));
    }

    [Fact]
    public async Task A_stack_overflow_is_named_with_the_function_that_recursed()
    {
        var (nb, _) = await NotebookExecutor.ExecuteAsync(
            Make("int Deep(int n) => n == -1 ? 0 : Deep(n + 1) + 1;", "Console.WriteLine(\"going down\");\nDeep(0)", "3"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { ContinueOnError = true });
        Assert.Equal("going down\n", Text(nb.Cells[1], 0));
        Assert.Equal("WorkerCrashed", EName(nb.Cells[1], 1));
        Assert.Contains("stack overflow in Deep(Int32)", EValue(nb.Cells[1], 1));
        Assert.Equal("3", Text(nb.Cells[2], 0));
    }

    [Fact]
    public async Task Native_noise_on_stdout_does_not_break_the_protocol()
    {
        var (nb, report) = await NotebookExecutor.ExecuteAsync(
            Make("var raw = new System.IO.StreamWriter(Console.OpenStandardOutput());\nraw.WriteLine(\"{not protocol}\");\nraw.Flush();", "1 + 1"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions());
        Assert.True(report.Succeeded);
        Assert.Equal("2", Text(nb.Cells[1], 0));
    }

    [Fact]
    public async Task Many_console_lines_are_all_kept()
    {
        const int Lines = 200_000;
        using var kernel = new WorkerKernel(TempDir());
        var result = await kernel.ExecuteAsync(1, $"for (int i = 0; i < {Lines}; i++) Console.WriteLine(i);", CellLimit);
        Assert.False(result.Failed, result.ErrorSummary);
        var text = Outputs.Text(result.Events.Single().Output["text"]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Lines, lines.Length);
        Assert.Equal(Enumerable.Range(0, Lines).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines);
    }

    internal static bool ProcessAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
    }
}

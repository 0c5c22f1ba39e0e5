using Companion.Notebooks;

namespace Companion.Grader.Tests;

/// <summary>
/// The grading worker runs what the grader compiled: Roslyn is never loaded in it (a cell lists the worker's own
/// assemblies), state carries from cell to cell, a cell that does not compile is answered by the grader with the
/// engine's error, a <c>#r</c> of the library loads inside the worker, and one of a file the sandbox does not show is
/// "file not found", as it would be inside the sandbox.
/// </summary>
public class CompiledWorkerTests
{
    static string Trailing(CellRun r) =>
        r.Result.Events.Select(e => e.Output).SingleOrDefault(o => o["output_type"]!.GetValue<string>() == "execute_result") is { } o
            ? Outputs.Text(o["data"]!["text/plain"])
            : "no value: " + string.Join(" | ", r.Result.Events.Select(e => e.Output.ToJsonString()));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_worker_runs_compiled_cells_without_loading_Roslyn(bool sandboxed)
    {
        if (sandboxed && !Sandbox.Available) sandboxed = false; // the unsandboxed case still checks the worker
        var dir = TestFiles.TempDir();
        var secret = Path.Combine(TestFiles.TempDir(), "Secret.dll");
        File.Copy(typeof(CompiledWorkerTests).Assembly.Location, secret);
        var dll = Path.Combine(TestFiles.RepoRoot(), "lib", "Companion", "bin", "Companion.dll");
        var plan = new WorkerPlan(dir, [Path.GetDirectoryName(dll)!], sandboxed);
        using var session = await Session.StartAsync(plan, GradingLimits.Default);
        var timeout = TimeSpan.FromSeconds(60);
        var loaded = await session.RunAsync(1, "\"[\" + string.Join(\",\", AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name)" +
            ".Where(n => n!.StartsWith(\"Microsoft.CodeAnalysis\"))) + \"]\"", timeout);
        Assert.False(loaded.Result.Failed, loaded.Result.ErrorSummary);
        Assert.Equal("[]", Trailing(loaded));
        Assert.Equal("Companion.Notebooks", Trailing(await session.RunAsync(2, "typeof(Companion.Notebooks.NotebookGlobals).Assembly.GetName().Name", timeout)));
        Assert.False((await session.RunAsync(3, $"#r \"{dll}\"\nvar x = 20;", timeout)).Result.Failed);
        var broken = await session.RunAsync(4, "int y = \"no\";", timeout);
        Assert.StartsWith("Cell 4, line 1: (1,9): error CS0029", broken.Result.ErrorSummary);
        Assert.Equal("Plot 22", Trailing(await session.RunAsync(5, "typeof(Companion.Charts.Plot).Name + \" \" + (x + 2)", timeout)));
        var hidden = await session.RunAsync(6, $"#r \"{secret}\"", timeout);
        if (sandboxed) Assert.StartsWith($"Cell 6, line 1: (1,1): error NB0001: #r \"{secret}\": file not found", hidden.Result.ErrorSummary);
        else Assert.False(hidden.Result.Failed, hidden.Result.ErrorSummary);
    }

    /// <summary>Overloads taking lambdas, nested: Roslyn binds each lambda for every overload, so the time to compile grows
    /// exponentially with the depth (a cell can keep the grader's compiler busy for as long as it likes).</summary>
    static string SlowToCompile(int depth)
    {
        var call = "0";
        for (int i = 0; i < depth; i++) call = $"M(x{i} => {call})";
        return "static int M(Func<int, int> f) => 0;\nstatic int M(Func<string, int> f) => 1;\nstatic int M(Func<double, int> f) => 2;\n" + call;
    }

    [Fact]
    public async Task A_cell_that_compiles_past_its_time_limit_is_stopped_and_the_session_goes_on()
    {
        var plan = new WorkerPlan(TestFiles.TempDir(), [], Sandbox.Available);
        using var session = await Session.StartAsync(plan, GradingLimits.Default);
        Assert.False((await session.RunAsync(1, "var before = 1;", TimeSpan.FromSeconds(60))).Result.Failed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var slow = await session.RunAsync(2, SlowToCompile(12), TimeSpan.FromSeconds(1));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.StartsWith("Cell 2: CellTimeoutError: cell 2 did not compile within 1 s", slow.Result.ErrorSummary);
        // A fresh worker (and chain): the earlier state is gone, as after any timeout, and later cells run.
        Assert.Equal("3", Trailing(await session.RunAsync(3, "1 + 2", TimeSpan.FromSeconds(60))));
    }

    [Fact]
    public async Task A_submission_that_keeps_the_compiler_busy_is_graded_in_bounded_time_and_earns_nothing()
    {
        var nb = TestFiles.Make(
            TestFiles.Code("a", "// BEGIN SOLUTION\nstatic int A() => 1;\n// END SOLUTION"),
            TestFiles.Code("t1", "if (A() != 1) throw new Exception();", "test"));
        var source = SourceNotebook.Split(nb, "busy.ipynb");
        var submission = source.Solution.Clone();
        submission.Cells.First(c => c.Id == "a").Source = "static int A() => 1;\n" + SlowToCompile(13);
        var limits = GradingLimits.Default with { CellTimeout = TimeSpan.FromSeconds(2), NotebookTimeLimit = TimeSpan.FromSeconds(30) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (outcome, _) = await SubmissionGrader.GradeAsync(source.Key, TestFiles.TempDir(), submission, limits);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        var q1 = outcome.Questions.Single(q => q.Id == "q1");
        Assert.Equal(0, q1.Score);
        Assert.Contains("did not finish within 2 s", q1.Tests.Single().Message);
    }
}

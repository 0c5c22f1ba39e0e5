using Companion.Grader;
using Companion.Notebooks;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

public class SelfCheckTests
{
    [Fact]
    public async Task Assign_writes_student_solution_and_key_and_its_self_check_passes()
    {
        var before = File.ReadAllBytes(ExamplePath);
        var outDir = TempDir();
        var log = new StringWriter();
        var code = await Assigner.RunAsync(GraderOptions.Parse(["assign", ExamplesDir, "-o", outDir, "--timeout", "60"]), log);
        Assert.True(code == 0, log.ToString());
        Assert.Equal(before, File.ReadAllBytes(ExamplePath));

        var checks = File.ReadAllLines(Path.Combine(outDir, "selfcheck.txt"));
        Assert.Equal(7, checks.Length);
        Assert.Contains(checks, c => c.Contains("the solution uses no API its questions forbid and every test means the same in it"));
        Assert.All(checks, c => Assert.StartsWith("PASS", c));
        Assert.Contains(checks, c => c.Contains("the solution passes every test: 4 tests passed, 5 / 5 points"));
        Assert.Contains(checks, c => c.Contains("breaking q1 loses only q1's points: 2 / 5 points (q1: 0 / 3)"));

        var solution = NotebookFile.Read(Path.Combine(outDir, "solution", "hinge-and-step-decay.ipynb"));
        Assert.All(solution.CodeCells, c => Assert.NotNull(c.Cell.ExecutionCount));
        Assert.DoesNotContain(solution.CodeCells, c => c.Cell.Outputs.Any(o => o["output_type"]!.GetValue<string>() == "error"));
        var student = NotebookFile.Read(Path.Combine(outDir, "student", "hinge-and-step-decay.ipynb"));
        Assert.Equal(9, student.Cells.Count);
        var (key, _) = AssignmentKey.Read(Path.Combine(outDir, "autograder"));
        Assert.Equal(4, key.Notebooks.Single().Tests.Count);
    }

    [Fact]
    public async Task A_test_the_stub_passes_by_accident_and_a_question_that_needs_another_are_reported()
    {
        var nb = Make(
            Code("a", "// BEGIN PROMPT\n// static int A() => 0;\n// END PROMPT\n// BEGIN SOLUTION\nstatic int A() => 1;\n// END SOLUTION"),
            Code("t1", "if (A() < 0) throw new Exception(\"negative\");", "test"),
            Code("b", "// BEGIN SOLUTION\nstatic int B() => A() + 1;\n// END SOLUTION"),
            Code("t2", "if (B() != 2) throw new Exception($\"B() = {B()}\");", "test"));
        var source = SourceNotebook.Split(nb, "weak.ipynb");
        var (checks, _, _) = await SelfCheck.RunAsync(source, TempDir(), GradingLimits.Default with { CellTimeout = TimeSpan.FromSeconds(60) }, true, 2);
        var byName = checks.ToDictionary(c => c.Check);
        Assert.True(byName["the solution passes every test"].Passed);
        Assert.False(byName["the untouched student version fails every test"].Passed);
        Assert.Equal("passed by accident: q1 test 1", byName["the untouched student version fails every test"].Detail);
        var q1 = byName["breaking q1 loses only q1's points"];
        Assert.False(q1.Passed);
        Assert.Equal("q1 still scored 1; q2 also lost points (0 / 1): Cell 4, line 1: System.Exception: B() = 1", q1.Detail);
        Assert.True(byName["breaking q2 loses only q2's points"].Passed);
    }

    [Fact]
    public async Task A_question_that_declares_it_needs_another_may_lose_its_points_with_it()
    {
        var b = Code("b", "// BEGIN SOLUTION\nstatic int B() => A() + 1;\n// END SOLUTION");
        b.Metadata["grader"] = new System.Text.Json.Nodes.JsonObject { ["needs"] = "q1" };
        var nb = Make(
            Code("a", "// BEGIN SOLUTION\nstatic int A() => 1;\n// END SOLUTION"),
            Code("t1", "if (A() != 1) throw new Exception();", "test"),
            b,
            Code("t2", "if (B() != 2) throw new Exception();", "test"));
        var source = SourceNotebook.Split(nb, "needs.ipynb");
        Assert.Equal(["q1"], source.Key.Questions[1].Needs!);
        var (checks, _, _) = await SelfCheck.RunAsync(source, TempDir(), GradingLimits.Default with { CellTimeout = TimeSpan.FromSeconds(60) }, true, 2);
        Assert.All(checks, c => Assert.True(c.Passed, c.ToString()));
        Assert.Contains(checks, c => c.Check == "breaking q1 loses only q1's points and what needs it (q2)" && c.Detail == "0 / 2 points (q1: 0 / 1)");
    }

    [Fact]
    public async Task A_stub_that_leaves_the_cell_uncompilable_is_reported()
    {
        var nb = Make(
            Code("a", "static int A()\n{\n    // BEGIN SOLUTION\n    var x = 1;\n    // END SOLUTION\n    return x;\n}"),
            Code("t1", "if (A() != 1) throw new Exception();", "test"));
        var (checks, _, _) = await SelfCheck.RunAsync(SourceNotebook.Split(nb, "n.ipynb"), TempDir(),
            GradingLimits.Default with { CellTimeout = TimeSpan.FromSeconds(60) }, true, 2);
        var compile = checks.Single(c => c.Check == "the student version's code cells compile");
        Assert.False(compile.Passed);
        Assert.Contains("error CS0103: The name 'x' does not exist in the current context", compile.Detail);
    }
}

public class TimeLimitTests
{
    [Fact]
    public async Task A_notebook_past_its_time_limit_is_stopped_and_its_later_questions_score_zero_with_the_reason()
    {
        var nb = Make(
            Code("a", "// BEGIN SOLUTION\nstatic int A() => 1;\n// END SOLUTION"),
            Code("t1", "if (A() != 1) throw new Exception();", "test"),
            Code("slow", "System.Threading.Thread.Sleep(120_000);"),
            Code("b", "// BEGIN SOLUTION\nstatic int B() => 2;\n// END SOLUTION"),
            Code("t2", "if (B() != 2) throw new Exception();", "test"));
        var source = SourceNotebook.Split(nb, "slow.ipynb");
        var limits = GradingLimits.Default with { CellTimeout = TimeSpan.FromSeconds(100), NotebookTimeLimit = TimeSpan.FromSeconds(12) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (outcome, _) = await SubmissionGrader.GradeAsync(source.Key, TempDir(), source.Solution, limits);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"took {clock.Elapsed}");
        Assert.Equal(1, outcome.Questions.Single(q => q.Id == "q1").Score);
        var q2 = outcome.Questions.Single(q => q.Id == "q2");
        Assert.Equal(0, q2.Score);
        Assert.Equal(TestOutcome.NotRun, q2.Tests.Single().Status);
        Assert.Contains("cell 3 was stopped when the notebook's time limit of 12 s was reached", outcome.Problems);
        Assert.Contains("not run: the notebook's time limit of 12 s was reached", q2.Tests.Single().Message);
    }
}

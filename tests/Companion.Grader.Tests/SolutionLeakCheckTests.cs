using System.Text.Json.Nodes;
using Companion.Grader;
using Companion.Notebooks;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

public class SolutionLeakCheckTests
{
    static Cell Markdown(string id, string source, string? question = null, double? points = null)
    {
        var c = new Cell { Kind = CellKind.Markdown, Id = id, Source = source };
        if (question is not null) c.Metadata["grader"] = new JsonObject { ["question"] = question, ["points"] = points ?? 1 };
        return c;
    }

    const string Answer = "The graph is **undirected**: A is symmetric because the kernel is.";

    static Cell WrittenQuestion(string prompt = "_Your answer._") => Markdown("why",
        $"## Q2. Is the graph directed?\n<!-- BEGIN PROMPT -->\n{prompt}\n<!-- END PROMPT -->\n<!-- BEGIN SOLUTION -->\n{Answer}\n<!-- END SOLUTION -->",
        "q2", 2);

    static Cell Hinge(string prompt) => Code("hinge",
        $"static double Hinge(double y, double s)\n{{\n    // BEGIN PROMPT\n{prompt}\n    // END PROMPT\n" +
        "    // BEGIN SOLUTION\n    return Math.Max(0, 1 - y * s);\n    // END SOLUTION\n}");

    static Cell HingeTest() => Code("t1", "if (Hinge(1, 2) != 0) throw new Exception(\"past the margin the loss is 0\");", "test");

    static List<SolutionLeak> Leaks(Notebook source) => SolutionLeakCheck.Find(source, SourceNotebook.Split(source, "n.ipynb").Student);

    [Fact]
    public void A_written_answer_repeated_in_an_unmarked_markdown_cell_leaks_and_is_named()
    {
        var nb = Make(WrittenQuestion(), Markdown("summary", "### What we found\n- the graph is undirected: A is symmetric because the kernel is.\n- ARI 1.0"));
        var leak = Assert.Single(Leaks(nb));
        Assert.Equal((2, "summary", "source", 1), (leak.Cell, leak.CellId, leak.Where, leak.SourceCell));
        Assert.Equal(Answer, leak.Line);
        Assert.Equal($"cell 2 (summary) source holds solution text of cell 1: \"{Answer}\"", leak.ToString());
    }

    [Fact]
    public void A_prompt_that_repeats_the_solution_leaks_in_markdown_and_in_code()
    {
        var written = Assert.Single(Leaks(Make(WrittenQuestion("Explain why. (Hint: " + Answer + ")"))));
        Assert.Equal((1, "why", Answer), (written.Cell, written.CellId, written.Line));

        // the prompt gives the whole answer as a line to uncomment: every counted line of the region is given away
        var code = Assert.Single(Leaks(Make(Hinge("    // return Math.Max(0, 1 - y * s);"), HingeTest())));
        Assert.Equal((1, "hinge", "return Math.Max(0, 1 - y * s);"), (code.Cell, code.CellId, code.Line));
        // ... or inside a longer hint line
        var hint = Assert.Single(Leaks(Make(Hinge("    // return 0; // hint: return Math.Max(0, 1 - y * s);"), HingeTest())));
        Assert.Equal("return Math.Max(0, 1 - y * s);", hint.Line);
    }

    [Fact]
    public void Clean_notebooks_pass_and_scaffolding_shared_with_the_solution_is_not_a_leak()
    {
        Assert.Empty(Leaks(Example()));
        Assert.Empty(Leaks(Make(WrittenQuestion(), Markdown("next", "## Q3. The degree matrix"), Hinge("    // return 0;"), HingeTest())));
        // the prompt hands out the loop; the body stays the student's: only the body counts
        var sum = Code("sum",
            "static double SumOfSquares(double[] values)\n{\n    // BEGIN PROMPT\n    // double total = 0.0;\n    // foreach (var value in values) { } // the loop to fill\n" +
            "    // return total;\n    // END PROMPT\n    // BEGIN SOLUTION\n    double total = 0.0;\n    foreach (var value in values) { }\n" +
            "    foreach (var value in values) total += value * value;\n    return total;\n    // END SOLUTION\n}");
        Assert.Empty(Leaks(Make(sum, Code("t", "if (SumOfSquares([3, 4]) != 25) throw new Exception(\"3² + 4² = 25\");", "test"))));
        Assert.Equal(["foreach (var value in values) total += value * value;"],
            SolutionLeakCheck.AnswerLines(Make(sum)).Select(a => a.Line));
    }

    [Fact]
    public void Outputs_and_metadata_of_the_student_version_are_searched_too()
    {
        var source = Make(WrittenQuestion(), Code("plot", "Console.WriteLine(1);"));
        var student = SourceNotebook.Split(source, "n.ipynb").Student;
        student.Cells[1].Outputs.Add(new JsonObject
        {
            ["output_type"] = "stream", ["name"] = "stdout", ["text"] = new JsonArray("note: " + Answer + "\n"),
        });
        student.Metadata["summary"] = new JsonObject { ["q2"] = Answer };
        var leaks = SolutionLeakCheck.Find(source, student);
        Assert.Equal(["notebook metadata holds solution text of cell 1: \"" + Answer + "\"",
            "cell 2 (plot) outputs holds solution text of cell 1: \"" + Answer + "\""], leaks.Select(l => l.ToString()));
    }

    [Fact]
    public async Task Assign_exits_1_and_names_the_notebook_cell_and_line_of_a_leak()
    {
        var dir = TempDir();
        NotebookFile.Write(Make(WrittenQuestion(), Markdown("summary", "Recap: the graph is undirected: A is symmetric because the kernel is.")),
            Path.Combine(dir, "leaky.ipynb"));
        NotebookFile.Write(Make(WrittenQuestion(), Markdown("summary", "Recap: see Q2.")), Path.Combine(dir, "clean.ipynb"));
        var outDir = Path.Combine(TempDir(), "out");
        var log = new StringWriter();
        var code = await Assigner.RunAsync(GraderOptions.Parse(["assign", dir, "-o", outDir, "--no-self-check", "--timeout", "60"]), log);
        Assert.True(code == 1, log.ToString());
        var checks = File.ReadAllLines(Path.Combine(outDir, "selfcheck.txt"));
        Assert.Contains("FAIL  leaky.ipynb: the student version holds no solution text: cell 2 (summary) source holds solution text of cell 1: " +
            "\"The graph is **undirected**: A is symmetric because the kernel is.\"", checks);
        Assert.Contains(checks, c => c.StartsWith("PASS  clean.ipynb: the student version holds no solution text: none of the 1 solution lines", StringComparison.Ordinal));
    }
}

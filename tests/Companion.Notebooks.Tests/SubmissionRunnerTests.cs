using System.Text.Json.Nodes;
using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>
/// The grader's split of a session: a <see cref="SubmissionCompiler"/> compiles each cell, the result crosses the wire as
/// JSON (as to a sandboxed worker), and a separate <see cref="SubmissionRunner"/> runs it. Each cell's outputs are
/// checked against what the cell must show (values, tracebacks) and against an in-process <see cref="ScriptKernel"/>
/// running the same cells.
/// </summary>
public class SubmissionRunnerTests
{
    static readonly string CompanionDll = Path.Combine(RepoRoot(), "lib", "Companion", "bin", "Companion.dll");

    static readonly string[] Cells =
    [
        $"#r \"{CompanionDll}\"\nvar a = 20;",
        "a + 22",
        "a = 7;\nthrow new InvalidOperationException(\"boom\");",
        "a",
        "object o = null;\no",
        "Console.WriteLine(\"hi\")",
        "display(new[] { 1, 2 });",
        "int b = \"x\";",
        "var c = a * 6;\nc",
        "void F()\n{\n    throw new ArgumentException(\"deep\");\n}",
        "\nF()",
        "typeof(Companion.Charts.Plot).Assembly.GetName().Name",
        "using System.IO;",
        "Path.GetFileName(\"/x/y.txt\")",
    ];

    /// <summary>Kind and output of every event, display ids left out (they are random).</summary>
    static List<string> Shown(CellResult r) => [.. r.Events.Select(e => e.Kind + " " + e.Output.ToJsonString())];

    static async Task<List<CellResult>> Split(string dir)
    {
        var compiler = new SubmissionCompiler(dir);
        var runner = new SubmissionRunner();
        var results = new List<CellResult>();
        for (int i = 0; i < Cells.Length; i++)
        {
            var compiled = compiler.Compile(i + 1, Cells[i]);
            results.Add(compiled.Error is not null
                ? SubmissionRunner.Report(compiled)
                : await runner.ExecuteAsync(CompiledCell.FromJson(JsonNode.Parse(compiled.ToJson().ToJsonString())!.AsObject())));
        }
        return results;
    }

    static string Text(CellResult r, string type) =>
        r.Events.Select(e => e.Output).Single(o => o["output_type"]!.GetValue<string>() == type) is var o && type == "stream"
            ? Outputs.Text(o["text"]) : Outputs.Text(o["data"]!["text/plain"]);

    [Fact]
    public async Task Compiled_here_and_run_there_the_cells_show_what_they_must_and_what_the_script_kernel_shows()
    {
        var dir = TempDir();
        var split = await Split(dir);
        using var kernel = new ScriptKernel(dir);
        for (int i = 0; i < Cells.Length; i++)
        {
            var direct = await kernel.ExecuteAsync(i + 1, Cells[i], Timeout.InfiniteTimeSpan);
            Assert.Equal(Shown(direct), Shown(split[i]));
            Assert.Equal(direct.Failed, split[i].Failed);
            Assert.Equal(direct.ErrorSummary, split[i].ErrorSummary);
        }
        Assert.Empty(split[0].Events);
        Assert.Equal("42", Text(split[1], "execute_result"));
        Assert.True(split[2].Failed);
        Assert.StartsWith("Cell 3, line 2: System.InvalidOperationException: boom", split[2].ErrorSummary);
        Assert.Equal("7", Text(split[3], "execute_result")); // assigned before the throw: kept
        Assert.Equal("<null>", Text(split[4], "execute_result"));
        Assert.Equal("hi\n", Text(split[5], "stream"));
        Assert.Single(split[5].Events); // a trailing void call shows nothing
        Assert.Equal("display_data", split[6].Events.Single().Output["output_type"]!.GetValue<string>());
        Assert.StartsWith("Cell 8, line 1: (1,9): error CS0029", split[7].ErrorSummary);
        Assert.Equal("42", Text(split[8], "execute_result")); // the chain goes on after a cell that did not compile
        Assert.StartsWith("Cell 11 (in code defined in cell 10, line 3): System.ArgumentException: deep", split[10].ErrorSummary);
        Assert.Equal("Companion", Text(split[11], "execute_result")); // #r of the library
        Assert.Empty(split[12].Events); // only a using: nothing to run, yet it joins the chain
        Assert.Equal("y.txt", Text(split[13], "execute_result"));
    }

    [Fact]
    public async Task A_reference_to_a_file_that_is_not_an_assembly_fails_its_own_cell_and_not_the_later_ones()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a dll");
        File.WriteAllBytes(Path.Combine(dir, "empty.dll"), []);
        var compiler = new SubmissionCompiler(dir);
        var runner = new SubmissionRunner();
        foreach (var (name, cell) in new[] { ("notes.txt", 1), ("empty.dll", 3) })
        {
            var bad = compiler.Compile(cell, $"#r \"{name}\"\nvar z = 1;");
            Assert.Equal("DirectiveError", bad.Error?.Ename);
            Assert.Contains(name, bad.Error!.Evalue, StringComparison.Ordinal);
            Assert.Contains("not a .NET assembly", bad.Error.Evalue, StringComparison.Ordinal);
            var next = compiler.Compile(cell + 1, "1 + 1");
            Assert.Null(next.Error);
            Assert.Empty(next.References);
            Assert.Equal("2", Text(await runner.ExecuteAsync(next), "execute_result"));
        }
    }

    [Fact]
    public async Task A_cell_with_only_a_reference_passes_it_to_the_next_submission_and_later_ones_list_only_what_they_add()
    {
        var compiler = new SubmissionCompiler(TempDir());
        var first = compiler.Compile(1, "var x = 1;");
        var onlyRef = compiler.Compile(2, $"#r \"{CompanionDll}\"");
        var broken = compiler.Compile(3, "int y = \"no\";");
        var next = compiler.Compile(4, "typeof(Companion.Charts.Plot).Name");
        var later = compiler.Compile(5, "x + 1");
        Assert.Null(onlyRef.Assembly);
        Assert.Empty(onlyRef.References);
        Assert.NotNull(broken.Error);
        Assert.Empty(broken.References);
        Assert.Equal([CompanionDll], next.References);
        Assert.Empty(later.References);
        Assert.True(later.Trailing);
        Assert.False(first.Trailing);
        var runner = new SubmissionRunner();
        Assert.False((await runner.ExecuteAsync(first)).Failed);
        Assert.Equal("Plot", Text(await runner.ExecuteAsync(next), "execute_result"));
        Assert.Equal("2", Text(await runner.ExecuteAsync(later), "execute_result"));
    }

    [Fact]
    public async Task A_reference_to_a_file_that_is_not_an_assembly_is_a_cell_error_not_an_exception()
    {
        var dir = TempDir();
        var notAssembly = Path.Combine(dir, "notes.dll");
        File.WriteAllText(notAssembly, "not a PE file");
        var compiler = new SubmissionCompiler(dir);
        var runner = new SubmissionRunner();
        var first = compiler.Compile(1, "var k = 5;");
        var bad = compiler.Compile(2, "// a comment\n#r \"notes.dll\"\nk + 1");
        Assert.NotNull(bad.Error);
        Assert.StartsWith("Cell 2, line 2: (2,1): error NB0001", bad.Error.Traceback[0]); // the #r line
        Assert.Contains("notes.dll\": not a .NET assembly", bad.Error.Evalue, StringComparison.Ordinal);
        Assert.True(SubmissionRunner.Report(bad).Failed);
        Assert.False((await runner.ExecuteAsync(first)).Failed);
        // The reference does not stay pending: the next cell compiles and runs.
        var later = compiler.Compile(3, "k + 1");
        Assert.Null(later.Error);
        Assert.Equal("6", Text(await runner.ExecuteAsync(later), "execute_result"));
    }
}

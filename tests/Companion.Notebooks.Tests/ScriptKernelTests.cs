using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>Cell semantics, run in process: state, display/update, trailing values, console, errors.</summary>
public class ScriptKernelTests
{
    static async Task<Notebook> Run(params string[] cells)
    {
        var dir = TempDir();
        var (nb, _) = await NotebookExecutor.ExecuteAsync(Make(cells), Path.Combine(dir, "t.ipynb"),
            new ExecutionOptions { Isolated = false, ContinueOnError = true });
        return nb;
    }

    [Fact]
    public async Task Variables_types_and_functions_carry_from_cell_to_cell()
    {
        var nb = await Run("record P(int X);\nvar a = 20;\nint Twice(int v) => 2 * v;", "var p = new P(a + 1);\nTwice(p.X)");
        Assert.Empty(nb.Cells[0].Outputs);
        Assert.Equal(["execute_result"], Types(nb.Cells[1]));
        Assert.Equal("42", Text(nb.Cells[1], 0));
        Assert.Equal(2, nb.Cells[1].Outputs[0]["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Default_namespaces_are_those_of_dotnet_interactive()
    {
        // Probed under .NET Interactive 1.0.712001 (dotnet-repl): these resolve without a using ...
        var nb = await Run("typeof(StringBuilder).Name", "typeof(ArrayList).Name", "typeof(Task).Name", "typeof(Enumerable).Name",
            "typeof(List<int>).Name",
            // ... and these do not, so a notebook that relies on them here would fail there (hw1 q3 did, with Path).
            "typeof(Path).Name", "typeof(Regex).Name", "typeof(Stopwatch).Name");
        Assert.Equal(["StringBuilder", "ArrayList", "Task", "Enumerable", "List`1"], nb.Cells.Take(5).Select(c => Text(c, 0)));
        foreach (var c in nb.Cells.Skip(5))
        {
            Assert.Equal("error", c.Outputs.Single()["output_type"]!.GetValue<string>());
            Assert.Contains("CS0246", c.Outputs.Single()["evalue"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Trailing_expression_is_shown_but_a_statement_is_not()
    {
        var nb = await Run("1 + 1", "var x = 3;", "\"text\"", "string? s = null;\ns", "Console.Write(\"\")", "x++;", "null");
        Assert.Equal("2", Text(nb.Cells[0], 0));
        Assert.Empty(nb.Cells[1].Outputs);
        Assert.Equal("text", Text(nb.Cells[2], 0));
        Assert.Equal("<null>", Text(nb.Cells[3], 0));
        Assert.Empty(nb.Cells[4].Outputs);
        Assert.Empty(nb.Cells[5].Outputs);
        Assert.Equal("<null>", Text(nb.Cells[6], 0));
    }

    [Fact]
    public async Task Display_and_DisplayAs_extension_methods_work_as_in_dotnet_interactive()
    {
        var nb = await Run("var h = 41.Display();\nh.Update(42);\n\"<b>hi</b>\".DisplayAs(\"text/html\");\n\"# T\".DisplayAs(\"text/markdown\");\n" +
            "new[] { 1, 2 }.Display(\"text/html\");");
        var outs = nb.Cells[0].Outputs;
        Assert.Equal(["display_data", "display_data", "display_data", "display_data"], Types(nb.Cells[0]));
        Assert.Equal("42", Text(nb.Cells[0], 0));
        Assert.Equal("<b>hi</b>", Outputs.Text(outs[1]["data"]!["text/html"]));
        Assert.Null(outs[1]["data"]!["text/plain"]);
        Assert.Equal("# T", Outputs.Text(outs[2]["data"]!["text/markdown"]));
        Assert.Equal("<pre>[ 1, 2 ]</pre>", Outputs.Text(outs[3]["data"]!["text/html"]));
    }

    [Fact]
    public async Task Assignments_made_before_a_throw_survive_into_later_cells()
    {
        var nb = await Run("var beforeThrow = 5;\nthrow new InvalidOperationException(\"boom\");", "beforeThrow");
        Assert.Equal("System.InvalidOperationException", nb.Cells[0].Outputs.Single()["ename"]!.GetValue<string>());
        Assert.Equal("5", Text(nb.Cells[1], 0));
    }

    [Fact]
    public async Task Console_output_becomes_stream_outputs_in_order_with_display()
    {
        var nb = await Run("Console.WriteLine(\"a\");\nConsole.Write(\"b\\n\");\ndisplay(5);\nConsole.Error.WriteLine(\"warn\");\nConsole.WriteLine(\"c\");");
        Assert.Equal(["stream", "display_data", "stream", "stream"], Types(nb.Cells[0]));
        Assert.Equal("a\nb\n", Text(nb.Cells[0], 0));
        Assert.Equal("stderr", nb.Cells[0].Outputs[2]["name"]!.GetValue<string>());
        Assert.Equal("c\n", Text(nb.Cells[0], 3));
    }

    [Fact]
    public async Task Display_handle_update_replaces_the_output_even_from_a_later_cell()
    {
        var nb = await Run("var h = display(\"first\");\nh.Update(\"second\");", "h.Update(\"third\");");
        Assert.Single(nb.Cells[0].Outputs);
        Assert.Equal("third", Text(nb.Cells[0], 0));
        Assert.Empty(nb.Cells[1].Outputs);
    }

    [Fact]
    public async Task Compile_error_names_cell_line_and_roslyn_code()
    {
        var nb = await Run("md:# title", "var ok = 1;\nvar bad = undefinedName + ok;");
        var err = nb.Cells[1].Outputs.Single();
        Assert.Equal("error", err["output_type"]!.GetValue<string>());
        Assert.Equal("CompilationError", err["ename"]!.GetValue<string>());
        Assert.StartsWith("(2,11): error CS0103:", err["evalue"]!.GetValue<string>());
        Assert.StartsWith("Cell 2, line 2:", err["traceback"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Runtime_exception_names_type_message_cell_and_line()
    {
        var nb = await Run("var xs = new int[2];\n\nvar y = xs[5];");
        var err = nb.Cells[0].Outputs.Single();
        Assert.Equal("System.IndexOutOfRangeException", err["ename"]!.GetValue<string>());
        Assert.StartsWith("Cell 1, line 3:", err["traceback"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Directive_lines_keep_line_numbers_and_unknown_packages_fail_clearly()
    {
        var nb = await Run("#!csharp\n#r \"nuget: MathNet.Numerics, 5.0.0\"\n#i \"nuget: https://example.org/feed\"\nvar z = missing;",
            "#r \"nuget: Newtonsoft.Json, 13.0.1\"");
        Assert.StartsWith("(4,9): error CS0103", nb.Cells[0].Outputs.Single()["evalue"]!.GetValue<string>());
        var err = nb.Cells[1].Outputs.Single()["evalue"]!.GetValue<string>();
        Assert.Contains("package 'Newtonsoft.Json' is not available", err);
    }

    [Fact]
    public async Task R_path_is_resolved_relative_to_the_notebook_folder()
    {
        var dir = TempDir();
        var nested = Path.Combine(dir, "a", "b");
        Directory.CreateDirectory(nested);
        CompileLibrary(Path.Combine(dir, "Tiny.dll"), "namespace TinyLib; public static class Tiny { public static int Answer => 42; }");
        var nb = Make("#r \"../../Tiny.dll\"\nTinyLib.Tiny.Answer", "#r \"nope/Missing.dll\"");
        var (done, _) = await NotebookExecutor.ExecuteAsync(nb, Path.Combine(nested, "t.ipynb"),
            new ExecutionOptions { Isolated = false, ContinueOnError = true });
        Assert.Equal("42", Text(done.Cells[0], 0));
        Assert.Contains("file not found", done.Cells[1].Outputs.Single()["evalue"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("../../lib/Companion.Networks/bin/Companion.Networks.dll", "Build it first: dotnet build lib/Companion.Networks")]
    [InlineData("../../lib/Companion/bin/Companion.dll", "Build it first: dotnet build lib/Companion")]
    public async Task A_missing_project_dll_names_the_project_to_build(string reference, string hint)
    {
        var dir = Path.Combine(TempDir(), "notebooks", "hw");
        Directory.CreateDirectory(dir);
        var (done, _) = await NotebookExecutor.ExecuteAsync(Make($"#r \"{reference}\""), Path.Combine(dir, "t.ipynb"),
            new ExecutionOptions { Isolated = false });
        var evalue = done.Cells[0].Outputs.Single()["evalue"]!.GetValue<string>();
        Assert.EndsWith(hint, evalue);
    }

    [Fact]
    public async Task A_reference_from_a_cell_without_code_or_that_failed_to_compile_reaches_later_cells()
    {
        // Each submission lists only the references it adds; one that never compiled hands them to the next.
        var dir = TempDir();
        CompileLibrary(Path.Combine(dir, "Tiny.dll"), "namespace TinyLib; public static class Tiny { public static int Answer => 42; }");
        CompileLibrary(Path.Combine(dir, "Other.dll"), "namespace OtherLib; public static class Other { public static int Seven => 7; }");
        var nb = Make("var a = 1;", "#r \"Tiny.dll\"", "TinyLib.Tiny.Answer + a", "#r \"Other.dll\"\nvar broken = ;",
            "OtherLib.Other.Seven + TinyLib.Tiny.Answer");
        var (done, _) = await NotebookExecutor.ExecuteAsync(nb, Path.Combine(dir, "t.ipynb"),
            new ExecutionOptions { Isolated = false, ContinueOnError = true });
        Assert.Equal("43", Text(done.Cells[2], 0));
        Assert.Equal("CompilationError", done.Cells[3].Outputs.Single()["ename"]!.GetValue<string>());
        Assert.True(Text(done.Cells[4], 0) == "49", done.Cells[4].Outputs[0].ToJsonString());
    }

    [Fact]
    public async Task Memory_per_cell_does_not_grow_with_the_length_of_the_session()
    {
        // Roslyn keeps every submission; each must cost about the same, not more the longer the session (it grew by
        // ~1 MB per trivial cell at cell 150 when every submission listed all ~170 framework references again).
        using var worker = new WorkerKernel(TempDir(), warmUp: false);
        const string Measure = "GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect(); GC.GetTotalMemory(true)";
        long Bytes(CellResult r) => long.Parse(Outputs.Text(r.Events.Single().Output["data"]!["text/plain"]), System.Globalization.CultureInfo.InvariantCulture);
        int n = 1;
        for (int i = 0; i < 50; i++) await worker.ExecuteAsync(n++, "1", TimeSpan.FromMinutes(2));
        var at50 = Bytes(await worker.ExecuteAsync(n++, Measure, TimeSpan.FromMinutes(2)));
        for (int i = 0; i < 100; i++) await worker.ExecuteAsync(n++, "1", TimeSpan.FromMinutes(2));
        var at150 = Bytes(await worker.ExecuteAsync(n++, Measure, TimeSpan.FromMinutes(2)));
        var perCellKb = (at150 - at50) / 101.0 / 1024;
        Assert.True(perCellKb < 250, $"managed memory grew by {perCellKb:0} KB per trivial cell between cells 50 and 150");
    }

    /// <summary>Compiles C# source into a class library at <paramref name="path"/> (a dll the test owns).</summary>
    static void CompileLibrary(string path, string source)
    {
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(p));
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(Path.GetFileNameWithoutExtension(path),
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source)], refs,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        using var file = File.Create(path);
        var result = compilation.Emit(file);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public async Task Execution_stops_at_the_first_failure_by_default()
    {
        var (nb, report) = await NotebookExecutor.ExecuteAsync(Make("var a = 1;", "throw new InvalidOperationException(\"boom\");", "a"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { Isolated = false });
        Assert.False(report.Succeeded);
        Assert.Equal(2, report.FirstFailure!.Number);
        Assert.Contains("boom", report.FirstFailure.Error);
        Assert.Null(nb.Cells[2].ExecutionCount);
        Assert.Empty(nb.Cells[2].Outputs);
    }

    [Fact]
    public async Task Markdown_cells_pass_through_untouched()
    {
        var src = Make("md:# Title\n\n$x^2$ *em*", "1");
        var (nb, _) = await NotebookExecutor.ExecuteAsync(src, Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { Isolated = false });
        Assert.Equal(src.Cells[0].Source, nb.Cells[0].Source);
        Assert.Equal(CellKind.Markdown, nb.Cells[0].Kind);
        Assert.Empty(src.Cells[1].Outputs);
    }
}

/// <summary>Console capture is per kernel: kernels running at the same time in one process never mix their output.</summary>
public class ConcurrentKernelTests
{
    [Fact]
    public async Task Concurrent_in_process_kernels_keep_their_own_console_output()
    {
        var runs = Enumerable.Range(0, 4).Select(async k =>
        {
            var nb = Make($"for (int i = 0; i < 200; i++) {{ Console.WriteLine(\"kernel {k}\"); await Task.Yield(); }}\nthrow new Exception(\"end {k}\");");
            var (done, _) = await NotebookExecutor.ExecuteAsync(nb, Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { Isolated = false });
            return (k, done.Cells[0]);
        }).ToList();
        foreach (var (k, cell) in await Task.WhenAll(runs))
        {
            Assert.Equal(["stream", "error"], Types(cell));
            var lines = Text(cell, 0).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(200, lines.Length);
            Assert.All(lines, l => Assert.Equal($"kernel {k}", l));
        }
    }
}

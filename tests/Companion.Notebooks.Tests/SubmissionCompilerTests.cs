using System.Text.Json.Nodes;
using Companion.Notebooks;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>
/// Re-running the session's last cell unchanged runs its compiled submission again instead of compiling the same source
/// on top of it. Checked against Roslyn scripting itself (<c>ContinueWithAsync</c>, which compiles every run, as .NET
/// Interactive does): the same values cell after cell, counters included, and a fresh compile whenever the cell declares
/// a type (whose static state a new compile starts afresh).
/// </summary>
public class SubmissionCompilerTests
{
    /// <summary>A session with re-runs: (source, whether the compiler may run its last submission again).</summary>
    static readonly (string Source, bool Rerun)[] Session =
    [
        ("var n = 0;", false),
        ("n++;\nn", false),
        ("n++;\nn", true),
        ("n++;\nn", true),
        ("var xs = new List<int>();\nxs.Count", false),
        ("xs.Add(xs.Count);\nxs.Count", false),
        ("xs.Add(xs.Count);\nxs.Count", true),
        ("class Counter { public static int N; }\nCounter.N++;\nCounter.N", false),
        ("class Counter { public static int N; }\nCounter.N++;\nCounter.N", false),
        ("var k = n * 10;\nk", false),
        ("this_does_not_compile", false),
        ("var k = n * 10;\nk", true),
        ("int Twice(int v) => 2 * v;\nTwice(k) + xs.Count", false),
        ("int Twice(int v) => 2 * v;\nTwice(k) + xs.Count", true),
    ];

    const string DoesNotCompile = "(does not compile)";

    /// <summary>The values Roslyn scripting gives the same cells, compiling each run (null: no value).</summary>
    static async Task<List<string?>> RoslynValues()
    {
        var options = ScriptOptions.Default.AddReferences(typeof(Enumerable).Assembly, typeof(List<int>).Assembly)
            .AddImports("System", "System.Linq", "System.Collections.Generic");
        ScriptState<object>? state = null;
        var values = new List<string?>();
        foreach (var (source, _) in Session)
        {
            try
            {
                state = state is null ? await CSharpScript.RunAsync(source, options) : await state.ContinueWithAsync(source, options);
                values.Add(state.ReturnValue?.ToString());
            }
            catch (CompilationErrorException)
            {
                values.Add(DoesNotCompile);
            }
        }
        return values;
    }

    static string? Value(CellResult r) =>
        r.Events.Select(e => e.Output).FirstOrDefault(o => o["output_type"]!.GetValue<string>() == "execute_result") is { } o
            ? Outputs.Text(o["data"]!["text/plain"]) : null;

    [Fact]
    public async Task Rerunning_the_last_cell_unchanged_gives_what_compiling_it_again_gives_without_compiling()
    {
        var expected = await RoslynValues();
        Assert.Equal(new string?[] { "3", "2", "1", "1", "30", "62" }, new[] { expected[3], expected[6], expected[7], expected[8], expected[11], expected[13] });
        var compiler = new SubmissionCompiler(TempDir());
        var runner = new SubmissionRunner();
        for (int i = 0; i < Session.Length; i++)
        {
            var chain = compiler.Chain;
            var compiled = compiler.Compile(i + 1, Session[i].Source);
            Assert.Equal(Session[i].Rerun, compiled.RerunOf is not null);
            if (compiled.RerunOf is not null)
            {
                Assert.Null(compiled.Assembly); // nothing compiled ...
                Assert.Same(chain, compiler.Chain); // ... and nothing added to the session
            }
            var result = compiled.Error is null ? await runner.ExecuteAsync(compiled) : SubmissionRunner.Report(compiled);
            Assert.Equal(expected[i] == DoesNotCompile, result.Failed);
            if (!result.Failed) Assert.Equal(expected[i], Value(result));
        }
    }

    [Fact]
    public async Task A_rerun_crosses_the_wire_to_a_worker_and_its_traceback_names_the_cell_that_ran_it()
    {
        var compiler = new SubmissionCompiler(TempDir());
        var runner = new SubmissionRunner();
        async Task<CellResult> Run(int cell, string source)
        {
            var compiled = compiler.Compile(cell, source);
            var json = JsonNode.Parse(compiled.ToJson().ToJsonString())!.AsObject(); // as the grader sends it
            return await runner.ExecuteAsync(CompiledCell.FromJson(json));
        }
        const string boom = "int Boom(int v) => v > 0 ? throw new InvalidOperationException(\"boom\") : v;\nBoom(1)";
        Assert.StartsWith("Cell 1, line 1: System.InvalidOperationException: boom", (await Run(1, boom)).ErrorSummary);
        Assert.StartsWith("Cell 2, line 1: System.InvalidOperationException: boom", (await Run(2, boom)).ErrorSummary);
        Assert.StartsWith("Cell 3 (in code defined in cell 2, line 1): System.InvalidOperationException: boom",
            (await Run(3, "Boom(2)")).ErrorSummary);
        Assert.Equal("0", Value(await Run(4, "Boom(0)")));
    }

    [Fact]
    public async Task A_cell_with_a_reference_or_after_a_reference_is_compiled_again()
    {
        var dir = TempDir();
        var companion = Path.Combine(RepoRoot(), "lib", "Companion", "bin", "Companion.dll");
        var compiler = new SubmissionCompiler(dir);
        var runner = new SubmissionRunner();
        var withReference = $"#r \"{companion}\"\ntypeof(Companion.Charts.Plot).Name";
        Assert.Null(compiler.Compile(1, withReference).RerunOf);
        var again = compiler.Compile(2, withReference);
        Assert.Null(again.RerunOf);
        Assert.Equal("Plot", Value(await runner.ExecuteAsync(again)));
        Assert.Null(compiler.Compile(3, "1 + 1").RerunOf);
        Assert.Null(compiler.Compile(4, $"#r \"{companion}\"").RerunOf); // a reference only: pending for the next submission
        var afterReference = compiler.Compile(5, "1 + 1");
        Assert.Null(afterReference.RerunOf);
        Assert.Equal([companion], afterReference.References);
        var rerun = compiler.Compile(6, "1 + 1");
        Assert.Equal(5, rerun.RerunOf);
    }

    [Fact]
    public void A_reference_keeps_the_files_metadata_not_the_whole_file()
    {
        // System.Private.Xml: an 8 MB framework file, mostly native code, with about 1 MB of metadata. Roslyn's own
        // CreateFromFile copies the whole file into native memory; the engine's reference copies the metadata. The
        // native heap (glibc's count of bytes in use, which the managed GC does not move) is compared around each, both
        // kept alive, and the engine's still serves the metadata.
        var path = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Private.Xml.dll");
        var size = new FileInfo(path).Length;
        Assert.True(size > 4 << 20, $"{path}: {size} bytes");
        static long Grown(Func<Microsoft.CodeAnalysis.MetadataReference> make, out Microsoft.CodeAnalysis.MetadataReference made)
        {
            var before = NativeHeap.InUse();
            made = make();
            return NativeHeap.InUse() - before;
        }
        var whole = Grown(() => Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(path), out var wholeRef);
        var ours = Grown(() => SubmissionCompiler.ReadReference(path), out var ourRef);
        Assert.True(whole > size / 2, $"Roslyn's whole-file reference: {whole} bytes of native heap for a {size}-byte file");
        Assert.True(ours < whole / 3, $"the engine's reference: {ours} bytes of native heap, Roslyn's {whole}");
        var metadata = ((Microsoft.CodeAnalysis.AssemblyMetadata)((Microsoft.CodeAnalysis.PortableExecutableReference)ourRef).GetMetadata())
            .GetModules()[0].GetMetadataReader();
        Assert.Contains(metadata.TypeDefinitions, t => metadata.GetString(metadata.GetTypeDefinition(t).Name) == "XmlDocument");
        GC.KeepAlive(wholeRef);
    }
}

/// <summary>glibc's count of the bytes the native heap has handed out (<c>mallinfo2</c>: in arenas and in mmap'd blocks).</summary>
static class NativeHeap
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallinfo2")]
    static extern MallInfo2 MallInfo();

    public static long InUse()
    {
        var m = MallInfo();
        return (long)(m.Uordblks + m.Hblkhd);
    }
}

using Companion.Notebooks;

namespace Companion.Notebooks.Tests;

/// <summary>Interrupts in this process's engine set one process-wide flag: these tests run alone, after the others.</summary>
[CollectionDefinition(nameof(InterruptionTestsAlone), DisableParallelization = true)]
public sealed class InterruptionTestsAlone;

/// <summary>The rewrite that makes cells interruptible: where checkpoints go, that lines and meaning do not move, and
/// that an interrupt stops code without loops (recursion, LINQ lambdas) and code that swallows the exception.</summary>
[Collection(nameof(InterruptionTestsAlone))]
public class InterruptionCheckpointsTests
{
    const string Check = InterruptionCheckpoints.CheckStatement;
    static readonly TimeSpan CellLimit = TimeSpan.FromSeconds(120);

    static int Checks(string code) => InterruptionCheckpoints.Insert(code).Split(Check).Length - 1;

    [Theory]
    [InlineData("for (int i = 0; i < 3; i++) x++;", 1)]
    [InlineData("foreach (var v in xs) { x += v; }", 1)]
    [InlineData("foreach (var (a, b) in pairs) x += a;", 1)]
    [InlineData("while (x < 3)\n    x++;", 1)]
    [InlineData("do { x++; } while (x < 3);", 1)]
    [InlineData("int F(int n) { return n; }", 1)]
    [InlineData("int F(int n) => n;", 1)]
    [InlineData("void G() => Console.WriteLine();", 1)]
    [InlineData("class C { public C() { } public int P { get { return 1; } } int M() => 2; }", 3)]
    [InlineData("Func<int, int> f = x => { return x; };", 1)]
    [InlineData("Func<int, int> f = x => x * 2;", 0)] // a value test, not a statement
    [InlineData("Action a = delegate { };", 1)]
    [InlineData("var y = 1 + 2;", 0)]
    public void Every_loop_body_and_function_entry_gets_one_check(string code, int expected) =>
        Assert.Equal(expected, Checks(code));

    [Fact]
    public void No_line_moves()
    {
        var code = "int F(int n)\n    => n <= 0 ? 0 : F(n - 1) + 1;\nfor (int i = 0; i < 3; i++)\n    x++;\nvoid G() =>\n    x++;\nFunc<int, int> h = v =>\n    v * 2;\nwhile (x < 9) x++; // done\nx";
        var rewritten = InterruptionCheckpoints.Insert(code);
        Assert.NotEqual(code, rewritten);
        var before = code.Split('\n');
        var after = rewritten.Split('\n');
        Assert.Equal(before.Length, after.Length);
        // Each line keeps its own tokens, in order (the inserted ones aside; an expression body's arrow becomes braces).
        for (int i = 0; i < before.Length; i++)
        {
            var kept = after[i].Replace(Check, "", StringComparison.Ordinal);
            var tokens = before[i].Split([' ', '{', '}', '(', ')', ';'], StringSplitOptions.RemoveEmptyEntries);
            int at = 0;
            foreach (var t in tokens.Where(t => t != "=>"))
            {
                at = kept.IndexOf(t, at, StringComparison.Ordinal);
                Assert.True(at >= 0, $"line {i + 1}: '{t}' of '{before[i]}' missing in '{after[i]}'");
            }
        }
    }

    static async Task<string> Value(IKernel kernel, int cell, string code)
    {
        var r = await kernel.ExecuteAsync(cell, code, CellLimit);
        Assert.False(r.Failed, r.ErrorSummary);
        return Outputs.Text(r.Events[^1].Output["data"]!["text/plain"]);
    }

    [Fact]
    public async Task Instrumented_code_computes_what_the_original_computes()
    {
        // Expression-bodied methods of every return kind, iterators, async, local functions, lambdas, accessors,
        // an expression tree (whose rewrite does not compile, so the original runs).
        const string code = """
            int Sq(int n) => n * n;
            void Nothing() => Sq(2);
            async Task<int> Later(int n) => await Task.FromResult(n + 1);
            async Task Wait() => await Task.Yield();
            IEnumerable<int> Evens(int n) { for (int i = 0; i < n; i++) if (i % 2 == 0) yield return i; }
            class Box { int v; public Box(int v) { this.v = v; } public int V { get => v; set { v = value; } } public override string ToString() => $"Box({v})"; }
            int Fact(int n) { int Go(int k) => k <= 1 ? 1 : k * Go(k - 1); return Go(n); }
            Func<int, (int, int)> pair = x => (x, x * 2);
            Func<int, object> boxed = x => new Box(x);
            System.Linq.Expressions.Expression<Func<int, int>> tree = x => x * 3;
            await Wait();
            Nothing();
            var parts = new List<object> { Sq(7), await Later(1), string.Join(",", Evens(7)), new Box(3) { V = 4 }, Fact(5), pair(2), boxed(1),
                tree.Compile()(5), Enumerable.Range(1, 4).Select(i => (long)i * i).Sum() };
            string.Join(" ", parts)
            """;
        var expected = "49 2 0,2,4,6 Box(4) 120 (2, 4) Box(1) 15 30";
        using var plain = new ScriptKernel(TestNotebooks.TempDir()) { Instrument = false };
        using var instrumented = new ScriptKernel(TestNotebooks.TempDir());
        Assert.Equal(expected, (await Value(plain, 1, code)).Trim('"'));
        Assert.Equal(expected, (await Value(instrumented, 1, code)).Trim('"'));
    }

    [Fact]
    public async Task Errors_keep_their_lines_and_compile_errors_come_sorted()
    {
        using var kernel = new ScriptKernel(TestNotebooks.TempDir());
        using var plain = new ScriptKernel(TestNotebooks.TempDir()) { Instrument = false };
        const string throwing = "int F(int n)\n    => n > 2\n        ? throw new InvalidOperationException(\"deep\")\n        : F(n + 1);\nvoid G()\n{\n    for (int i = 0; i < 2; i++)\n        F(i);\n}\nG()";
        var thrown = await kernel.ExecuteAsync(1, throwing, CellLimit);
        var expected = await plain.ExecuteAsync(1, throwing, CellLimit);
        Assert.StartsWith("Cell 1, line 2: System.InvalidOperationException: deep", expected.ErrorSummary);
        Assert.Equal(expected.ErrorSummary, thrown.ErrorSummary);
        Assert.Equal(expected.Events[^1].Output["traceback"]!.ToJsonString(), thrown.Events[^1].Output["traceback"]!.ToJsonString());
        // Roslyn binds the declaration on line 3 before the statements on lines 1 and 2.
        var errors = await kernel.ExecuteAsync(2, "var a = missing1;\nfor (int i = 0; i < 2; i++) missing2++;\nint G() => missing3;", CellLimit);
        var evalue = errors.Events.Single().Output["evalue"]!.GetValue<string>().Split('\n');
        Assert.Equal(["(1,9)", "(2,29)", "(3,12)"], evalue.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task An_interrupt_stops_recursion_and_linq_without_a_loop_in_the_cell_and_code_that_swallows_it()
    {
        using var kernel = new ScriptKernel(TestNotebooks.TempDir());
        await kernel.ExecuteAsync(1, "var kept = 42;", CellLimit);
        foreach (var (cell, code) in new[]
        {
            (2, "Enumerable.Range(0, int.MaxValue).Select(i => (long)i * i).Where(v => v % 7 == 8).Count()"),
            (3, "long Down(long n) => n == 0 ? 0 : Down(n - 1) + Down(n - 1);\nDown(200)"),
            (4, "try { while (true) { } } catch (Exception) { Console.WriteLine(\"swallowed\"); }\nwhile (true) { }"),
        })
        {
            kernel.ClearInterruption();
            var run = Task.Run(() => kernel.ExecuteAsync(cell, code, CellLimit));
            await Task.Delay(400);
            if (run.IsCompleted) Assert.Fail($"cell {cell} ended before the interrupt: {(await run).ErrorSummary}");
            kernel.Interrupt("KeyboardInterrupt", "stopped by the test");
            var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(result.Failed);
            var error = result.Events[^1].Output;
            Assert.Equal("KeyboardInterrupt", error["ename"]!.GetValue<string>());
            Assert.Equal("stopped by the test", error["evalue"]!.GetValue<string>());
        }
        kernel.ClearInterruption();
        Assert.Equal("42", await Value(kernel, 5, "kept"));
    }
}

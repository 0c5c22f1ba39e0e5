using Companion.Kernel;

namespace Companion.Kernel.Tests;

/// <summary>The completion workspace in-process: it follows the session's submissions and forgets them on reset.</summary>
public class CodeAssistanceTests
{
    [Fact]
    public async Task Completions_follow_recorded_cells_and_reset_forgets_them()
    {
        using var a = new CodeAssistance(Path.GetTempPath());
        a.Record("record Point(double X, double Y);\nvar p = new Point(1, 2);", succeeded: true);
        a.Record("var q = undefinedThing;", succeeded: false);
        var r = await a.CompleteAsync("p.", 2);
        Assert.Contains(r.Matches, m => m.Text == "X" && m.Kind == "property");
        Assert.DoesNotContain(await a.CompleteAsync("q", 1) is var q ? q.Matches : [], m => m.Text == "q");
        var d = await a.DescribeAsync("p", 1);
        Assert.NotNull(d);
        Assert.Contains("Point p", d.Signature);
        a.Reset();
        Assert.DoesNotContain((await a.CompleteAsync("p.", 2)).Matches, m => m.Text == "X");
    }

    [Fact]
    public async Task A_cell_may_redeclare_a_variable_of_an_earlier_cell()
    {
        using var a = new CodeAssistance(Path.GetTempPath());
        a.Record("var v = 1;", succeeded: true);
        a.Record("var v = \"text\";", succeeded: true);
        var r = await a.CompleteAsync("v.Len", 5);
        Assert.Contains(r.Matches, m => m.Text == "Length");
    }

    [Fact]
    public async Task Cells_recorded_before_a_reset_are_forgotten_even_if_no_completion_came_between()
    {
        // Recording is deferred to the next completion: a reset in between must drop what came before it, in order.
        using var a = new CodeAssistance(Path.GetTempPath());
        a.Record("var before = 1;", succeeded: true);
        a.Reset();
        a.Record("var after = \"text\";", succeeded: true);
        var r = await a.CompleteAsync("", 0);
        Assert.Contains(r.Matches, m => m.Text == "after");
        Assert.DoesNotContain(r.Matches, m => m.Text == "before");
    }

    [Fact]
    public async Task Framework_and_referenced_types_stay_known_many_cells_later()
    {
        // Later submissions list only the references they add; the chain must still carry the earlier ones.
        using var a = new CodeAssistance(Path.GetTempPath());
        for (int i = 0; i < 30; i++) a.Record($"var v{i} = {i};", succeeded: true);
        var console = await a.CompleteAsync("Console.WriteL", "Console.WriteL".Length);
        Assert.Contains(console.Matches, m => m.Text == "WriteLine");
        var regex = await a.CompleteAsync("System.Text.RegularExpressions.Regex.IsM", "System.Text.RegularExpressions.Regex.IsM".Length);
        Assert.Contains(regex.Matches, m => m.Text == "IsMatch");
        var d = await a.DescribeAsync("v29", 3);
        Assert.NotNull(d);
        Assert.Contains("int v29", d.Signature);
    }

    [Theory]
    [InlineData("Scale(1.5, ", "double Scale(double v, double by)")]
    [InlineData("Scale(1.5, 2", "double Scale(double v, double by)")]
    [InlineData("Scale(", "double Scale(double v, double by)")]
    [InlineData("var s = Scale(Math.Abs(-1.0), ", "double Scale(double v, double by)")]
    [InlineData("var t = new System.Text.StringBuilder(", "StringBuilder.StringBuilder(")]
    [InlineData("Console.WriteLine(\"x\", ", "Console.WriteLine(")]
    public async Task Inspect_inside_an_argument_list_shows_the_called_method(string code, string expected)
    {
        using var a = new CodeAssistance(Path.GetTempPath());
        a.Record("double Scale(double v, double by) => v * by;", succeeded: true);
        var d = await a.DescribeAsync(code, code.Length);
        Assert.NotNull(d);
        Assert.Contains(expected, d.Signature);
    }

    [Fact]
    public async Task Inspect_in_a_nested_call_shows_the_innermost_call_and_the_framework_summary()
    {
        using var a = new CodeAssistance(Path.GetTempPath());
        const string code = "Console.WriteLine(Math.Max(1, ";
        var d = await a.DescribeAsync(code, code.Length);
        Assert.NotNull(d);
        Assert.Contains("Math.Max(", d.Signature);
        Assert.Contains("larger of two", d.Summary ?? "");
    }

    [Fact]
    public async Task MathNet_members_show_their_xml_documentation()
    {
        // The summary comes from MathNet.Numerics.xml, copied beside the DLL by MathNetDocumentation.targets; checked
        // against that file itself.
        var dll = typeof(MathNet.Numerics.LinearAlgebra.Matrix<double>).Assembly.Location;
        var xml = System.Xml.Linq.XDocument.Load(Path.ChangeExtension(dll, ".xml"));
        var expected = xml.Descendants("member")
            .First(m => (string?)m.Attribute("name") == "M:MathNet.Numerics.LinearAlgebra.Matrix`1.Transpose")
            .Element("summary")!.Value.Trim();
        using var a = new CodeAssistance(Path.GetTempPath());
        a.Record("using MathNet.Numerics.LinearAlgebra;\nvar m = Matrix<double>.Build.Dense(2, 2);", succeeded: true);
        var d = await a.DescribeAsync("m.Transpose", "m.Transpose".Length);
        Assert.NotNull(d);
        Assert.Contains("Transpose", d.Signature);
        Assert.Equal(string.Join(' ', expected.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)), d.Summary);
        // And inside its argument list: Shift-Tab at Build.Dense(2, |).
        const string call = "Matrix<double>.Build.Dense(2, ";
        var inCall = await a.DescribeAsync(call, call.Length);
        Assert.NotNull(inCall);
        Assert.Contains("Dense(int rows, int columns", inCall.Signature);
        Assert.False(string.IsNullOrEmpty(inCall.Summary), "MathNet's Dense has a documented summary");
    }

    [Theory]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("Console.WriteLine(1);", "complete")]
    [InlineData("#r \"nuget: Plotly.NET, 6.0.0\"\nvar x = 2;", "complete")]
    [InlineData("var x = 2", "incomplete")]
    [InlineData("var x = ;", "invalid")]
    public void Is_complete(string code, string expected)
    {
        using var a = new CodeAssistance(Path.GetTempPath());
        Assert.Equal(expected, a.IsComplete(code).Status);
    }
}

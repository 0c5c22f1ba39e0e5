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

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

using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

public class NotebookParametersTests
{
    static Notebook WithParameters(string source)
    {
        var nb = Make(source, "steps * 2");
        nb.Cells[0].Metadata["tags"] = new System.Text.Json.Nodes.JsonArray("parameters");
        return nb;
    }

    [Fact]
    public void Values_replace_declarations_by_name_and_leave_the_rest()
    {
        var nb = WithParameters("var steps = 100; // iterations\ndouble alpha = 0.1;\nvar name = \"a\";\nvar alphas = new[] { 0.1 };");
        NotebookParameters.Apply(nb, new Dictionary<string, string> { ["steps"] = "7", ["name"] = "b c", ["alphas"] = "new[] { 0.5, 1.0 }" });
        Assert.Equal("var steps = 7; // iterations\ndouble alpha = 0.1;\nvar name = \"b c\";\nvar alphas = new[] { 0.5, 1.0 };", nb.Cells[0].Source);
    }

    [Fact]
    public void Unknown_parameter_or_missing_cell_is_an_error_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            NotebookParameters.Apply(WithParameters("var steps = 1;"), new Dictionary<string, string> { ["epochs"] = "3" }, "nb.ipynb"));
        Assert.Contains("epochs", e.Message);
        Assert.Contains("it declares: steps", e.Message);
        Assert.Throws<ArgumentException>(() => NotebookParameters.Apply(Make("var steps = 1;"), new Dictionary<string, string> { ["steps"] = "3" }));
    }

    [Fact]
    public async Task Parameters_reach_the_executed_code_and_not_the_source()
    {
        var src = WithParameters("var steps = 100;");
        var (nb, _) = await NotebookExecutor.ExecuteAsync(src, Path.Combine(TempDir(), "t.ipynb"),
            new ExecutionOptions { Isolated = false, Parameters = new Dictionary<string, string> { ["steps"] = "21" } });
        Assert.Equal("42", Text(nb.Cells[1], 0));
        Assert.Equal("var steps = 100;", src.Cells[0].Source);
    }
}

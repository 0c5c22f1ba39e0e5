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
        Assert.Equal("var steps = 7; // iterations\ndouble alpha = 0.1;\nvar name = \"b c\";\nvar alphas = new double[] { 0.5, 1.0 };", nb.Cells[0].Source);
    }

    [Theory]
    [InlineData("steps", "\"x\"; System.IO.File.WriteAllText(\"/tmp/pwned\", \"\"); //", "not an integer")]
    [InlineData("steps", "new System.Random().Next()", "not an integer")]
    [InlineData("steps", "2.5", "not an integer")]
    [InlineData("alpha", "NaN", "not a finite number")]
    [InlineData("alpha", "1e400", "not a finite number")]
    [InlineData("flag", "yes", "expected true or false")]
    [InlineData("alphas", "{ 1, System.Environment.Exit(1) }", "not a finite number")]
    [InlineData("alphas", "0.5", "expected an array of double")]
    public void Values_that_are_not_literals_of_the_declared_type_are_refused(string name, string value, string expected)
    {
        var nb = WithParameters("var steps = 100;\nvar alpha = 0.1;\nvar flag = true;\nvar alphas = new[] { 0.1, 1 };\nvar title = \"t\";");
        var before = nb.Cells[0].Source;
        var e = Assert.Throws<ArgumentException>(() => NotebookParameters.Apply(nb, new Dictionary<string, string> { [name] = value }, "nb.ipynb"));
        Assert.Contains(expected, e.Message);
        Assert.Contains($"-p {name}=", e.Message);
        Assert.Equal(before, nb.Cells[0].Source);
    }

    [Fact]
    public void Strings_are_escaped_so_a_value_cannot_close_the_literal()
    {
        var nb = WithParameters("var title = \"t\";\nvar alpha = 0.1;\nvar names = new[] { \"a\" };\nMatrix<double> m = null;");
        NotebookParameters.Apply(nb, new Dictionary<string, string>
        {
            ["title"] = "x\"; System.IO.File.Delete(\"f\"); //", ["alpha"] = "3", ["names"] = "[\"p, q\", r]",
        });
        Assert.Equal("var title = \"x\\\"; System.IO.File.Delete(\\\"f\\\"); //\";\nvar alpha = 3.0;\nvar names = new string[] { \"p, q\", \"r\" };\nMatrix<double> m = null;",
            nb.Cells[0].Source);
        var e = Assert.Throws<ArgumentException>(() => NotebookParameters.Apply(nb, new Dictionary<string, string> { ["m"] = "x" }));
        Assert.Contains("only numbers, booleans, strings and arrays", e.Message);
    }

    [Fact]
    public void Parameters_split_over_several_tagged_cells_are_all_set()
    {
        var nb = Make("var steps = 100;", "steps * 2", "var lr = 0.1; // step size");
        nb.Cells[0].Metadata["tags"] = new System.Text.Json.Nodes.JsonArray("parameters");
        nb.Cells[2].Metadata["tags"] = new System.Text.Json.Nodes.JsonArray("parameters");
        NotebookParameters.Apply(nb, new Dictionary<string, string> { ["steps"] = "7", ["lr"] = "0.5" });
        Assert.Equal(["var steps = 7;", "steps * 2", "var lr = 0.5; // step size"], nb.Cells.Select(c => c.Source));
        var e = Assert.Throws<ArgumentException>(() =>
            NotebookParameters.Apply(nb, new Dictionary<string, string> { ["steps"] = "8", ["lr"] = "x" }));
        Assert.Contains("-p lr=", e.Message);
        Assert.Equal("var steps = 7;", nb.Cells[0].Source);
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

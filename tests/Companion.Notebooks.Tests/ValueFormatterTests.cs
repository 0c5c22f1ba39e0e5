using Companion.Notebooks;
using MathNet.Numerics.LinearAlgebra;

namespace Companion.Notebooks.Tests;

public class ValueFormatterTests
{
    static Plotly.NET.GenericChart Line() =>
        Plotly.NET.CSharp.Chart.Line<double, double, string>(new double[] { 1, 2 }, new double[] { 3, 4 });

    [Fact]
    public void Plotly_js_is_inlined_once_per_session_and_later_charts_are_fragments()
    {
        var f = new ValueFormatter();
        var first = f.Format(Line())["text/html"];
        var second = f.Format(Line())["text/html"];
        Assert.Contains("plotly.js v2.28.0", first);
        Assert.DoesNotContain("plotly.js v2.28.0", second);
        Assert.Contains("Plotly.newPlot", second);
        Assert.DoesNotContain("<script src=", first);
        Assert.True(first.Length > 3_000_000);
    }

    [Fact]
    public void Standalone_charts_carry_plotlys_mimetype_and_a_loader_in_every_output()
    {
        var f = new ValueFormatter(ChartOutput.Standalone);
        var line = Line();
        var first = f.Format(line);
        var second = f.Format(line);
        foreach (var bundle in new[] { first, second })
        {
            var html = bundle["text/html"];
            Assert.DoesNotContain("plotly.js v2.28.0", html); // no 3.6 MB inline copy
            Assert.Contains("window.companionPlotly(renderPlotly_", html); // drawing waits for the loader
            Assert.Contains("nbextensions/companion-csharp/plotly.min.js", html);
            Assert.Contains(ChartLoader.CdnUrl, html);
            Assert.Contains(ChartLoader.UnreachableMessage, html);
            Assert.DoesNotMatch(@"(?m)^\s*renderPlotly_\w+\(\);", html); // no direct call left
            // Plotly's own MIME type: the same data as the HTML's script, as JSON.
            var figure = System.Text.Json.Nodes.JsonNode.Parse(bundle[ChartLoader.PlotlyMimeType])!;
            Assert.Equal(new[] { 1.0, 2.0 }, figure["data"]![0]!["x"]!.AsArray().Select(x => x!.GetValue<double>()));
            Assert.Equal(new[] { 3.0, 4.0 }, figure["data"]![0]!["y"]!.AsArray().Select(x => x!.GetValue<double>()));
            Assert.NotNull(figure["layout"]);
            Assert.NotNull(figure["config"]);
        }
        // nbformat stores the JSON MIME type as an object, not as text.
        var output = Outputs.DisplayData(first);
        Assert.IsType<System.Text.Json.Nodes.JsonObject>(output["data"]![ChartLoader.PlotlyMimeType]);
    }

    [Fact]
    public void Matrices_and_vectors_get_html_tables_with_a_text_twin()
    {
        var f = new ValueFormatter();
        var m = f.Format(Matrix<double>.Build.DenseOfArray(new double[,] { { 1.5, 2 }, { 3, 4 } }));
        Assert.Contains("<td>1.5</td>", m["text/html"]);
        Assert.Contains("2×2 matrix", m["text/html"]);
        Assert.Contains("1.5", m["text/plain"]);
        var v = f.Format(Vector<double>.Build.Dense(new[] { 0.25, 7 }));
        Assert.Contains("<td>0.25</td>", v["text/html"]);
    }

    [Fact]
    public void Other_values_are_text()
    {
        var f = new ValueFormatter();
        Assert.Equal("[ 1, 2, 3 ]", f.Format(new[] { 1, 2, 3 })["text/plain"]);
        Assert.Equal("0.5", f.Format(0.5)["text/plain"]);
        Assert.Equal("<null>", f.Format(null)["text/plain"]);
    }

    public sealed record Point(int X, double Y);

    public sealed class Plain
    {
        public int A { get; set; } = 1;
#pragma warning disable CA1051 // a public field on purpose: the formatter shows fields too
        public string B = "b";
#pragma warning restore CA1051
    }

    public static TheoryData<object, string> Sequences => new()
    {
        { new List<int> { 1, 2, 3 }, "[ 1, 2, 3 ]" },
        { new HashSet<int> { 4, 5 }, "[ 4, 5 ]" },
        { Enumerable.Range(1, 3).Select(i => i * i), "[ 1, 4, 9 ]" },
        { new[] { 0.5, 1e-7 }, "[ 0.5, 1E-07 ]" },
        { new[] { "a", "b" }, "[ a, b ]" },
        { Vector<double>.Build.Dense([0.25, 7]), "[ 0.25, 7 ]" },
        { Enumerable.Range(0, 25), "[ " + string.Join(", ", Enumerable.Range(0, 20)) + ", ... (more) ]" },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Every_sequence_of_scalars_is_written_as_dotnet_interactive_writes_it(object value, string expected) =>
        Assert.Equal(expected, new ValueFormatter().Format(value)["text/plain"]);

    [Fact]
    public void Objects_records_tuples_and_anonymous_objects_get_a_member_table_with_a_text_twin()
    {
        var f = new ValueFormatter();
        var record = f.Format(new Point(3, 0.5));
        Assert.Equal("Point { X = 3, Y = 0.5 }", record["text/plain"]);
        Assert.Contains("<tr><td>X</td><td>3</td></tr>", record["text/html"]);
        Assert.Contains("<tr><td>Y</td><td>0.5</td></tr>", record["text/html"]);
        var anon = f.Format(new { a = 1, b = "two" });
        Assert.Equal("{ a = 1, b = two }", anon["text/plain"]);
        Assert.Contains("<tr><td>b</td><td>two</td></tr>", anon["text/html"]);
        var tuple = f.Format((1, "x"));
        Assert.Equal("(1, x)", tuple["text/plain"]);
        Assert.Contains("<tr><td>Item1</td><td>1</td></tr>", tuple["text/html"]);
        var plain = f.Format(new Plain());
        Assert.Equal("Companion.Notebooks.Tests.ValueFormatterTests+Plain { A = 1, B = b }", plain["text/plain"]);
        Assert.Contains("<tr><td>B</td><td>b</td></tr>", plain["text/html"]);
    }

    [Fact]
    public void Dictionaries_are_key_value_tables_and_sequences_of_objects_are_row_tables()
    {
        var f = new ValueFormatter();
        var d = f.Format(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });
        Assert.Equal("{ a: 1, b: 2 }", d["text/plain"]);
        Assert.Contains("<th><i>key</i></th><th>value</th>", d["text/html"]);
        Assert.Contains("<tr><td>b</td><td>2</td></tr>", d["text/html"]);
        var rows = f.Format(new[] { new Point(1, 2), new Point(3, 4) });
        Assert.Equal("[ Point { X = 1, Y = 2 }, Point { X = 3, Y = 4 } ]", rows["text/plain"]);
        Assert.Contains("<th>X</th><th>Y</th>", rows["text/html"]);
        Assert.Contains("<tr><td>1</td><td>3</td><td>4</td></tr>", rows["text/html"]);
    }
}

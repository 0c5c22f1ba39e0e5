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
        Assert.Equal("[1, 2, 3]", f.Format(new[] { 1, 2, 3 })["text/plain"]);
        Assert.Equal("0.5", f.Format(0.5)["text/plain"]);
        Assert.Equal("<null>", f.Format(null)["text/plain"]);
    }
}

using System.Text.Json;
using Companion.Charts;

namespace Companion.Tests.Charts;

public class PlotCellsTests
{
    private static readonly double[,] Z = { { 1, 0, -1 }, { 0, 1, 0 } };

    private static JsonElement[] Traces(Chart chart) =>
        JsonDocument.Parse(Plot.ToFigureJson(chart)).RootElement.GetProperty("data").EnumerateArray().ToArray();

    [Fact]
    public void WithCellText_writes_the_texts_row_by_row_and_leaves_the_original_unchanged()
    {
        var heatmap = Plot.Heatmap("h", "column", "row", Z, annotate: true);
        var labelled = Plot.WithCellText(heatmap, new[,] { { "11", "12", "13" }, { "21", "22", "23" } });
        var trace = Traces(labelled).Single();
        Assert.Equal("%{text}", trace.GetProperty("texttemplate").GetString());
        Assert.Equal("23", trace.GetProperty("text")[1][2].GetString());
        Assert.Equal(-1, trace.GetProperty("z")[0][2].GetDouble());
        Assert.False(Traces(heatmap).Single().TryGetProperty("text", out _));
    }

    [Fact]
    public void WithMarkedCell_adds_an_open_square_at_the_cell_using_the_tick_labels()
    {
        var heatmap = Plot.Heatmap("h", "column", "row", Z, xTicks: ["a", "b", "c"], yTicks: ["p", "q"], reverseY: true);
        var traces = Traces(Plot.WithMarkedCell(heatmap, 1, 2, "target"));
        Assert.Equal(2, traces.Length);
        var mark = traces[1];
        Assert.Equal("scatter", mark.GetProperty("type").GetString());
        Assert.Equal("c", mark.GetProperty("x")[0].GetString());
        Assert.Equal("q", mark.GetProperty("y")[0].GetString());
        Assert.Equal("square-open", mark.GetProperty("marker").GetProperty("symbol").GetString());
        Assert.Single(Traces(heatmap));
    }

    [Fact]
    public void Marks_survive_a_grid()
    {
        var panel = Plot.WithMarkedCell(Plot.Heatmap("h", "column", "row", Z), 0, 1, "target");
        var grid = Plot.Grid("g", 1, 2, [panel, panel]);
        var marks = Traces(grid).Where(t => t.GetProperty("type").GetString() == "scatter").ToArray();
        Assert.Equal(2, marks.Length);
        Assert.Equal("x2", marks[1].GetProperty("xaxis").GetString());
        Assert.Equal(1, marks[1].GetProperty("x")[0].GetInt32());
    }

    [Fact]
    public void Bad_shapes_and_cells_are_rejected()
    {
        var heatmap = Plot.Heatmap("h", "column", "row", Z);
        var e = Assert.Throws<ArgumentException>(() => Plot.WithCellText(heatmap, new string[3, 2]));
        Assert.Contains("3×2", e.Message);
        Assert.Throws<ArgumentException>(() => Plot.WithMarkedCell(heatmap, 2, 0, "t"));
        Assert.Throws<ArgumentException>(() => Plot.WithMarkedCell(Plot.Lines("l", "x", "y", [new Series("s", [0.0], [1.0])]), 0, 0, "t"));
    }
}

using System.Text.Json;
using Companion.Charts;

namespace Companion.Tests.Charts;

/// <summary>Category heatmaps (legend instead of colour bar) and colour bars in grids, by their JSON.</summary>
public class PlotHeatmapTests
{
    private static JsonElement Figure(Chart chart) => JsonDocument.Parse(Plot.ToFigureJson(chart)).RootElement;

    private static readonly double[,] Field = { { 1, 1, 0 }, { -1, 0, 0 } };
    private static readonly (double, string)[] FieldCategories = [(1, "in the field"), (0, "outside"), (-1, "blind spot")];

    [Fact]
    public void A_category_heatmap_has_no_colour_bar_and_one_legend_square_per_category_in_its_band_colour()
    {
        var fig = Figure(Plot.Heatmap("field", "j", "i", Field, categories: FieldCategories));
        var traces = fig.GetProperty("data").EnumerateArray().ToArray();
        var heat = traces[0];
        Assert.False(heat.GetProperty("showscale").GetBoolean());
        var keys = traces.Skip(1).ToArray();
        Assert.Equal(["in the field", "outside", "blind spot"], keys.Select(k => k.GetProperty("name").GetString())); // as given
        Assert.True(fig.GetProperty("layout").GetProperty("showlegend").GetBoolean());
        // The colour the stepped scale gives each category's value is its legend square's colour.
        double zmin = heat.GetProperty("zmin").GetDouble(), zmax = heat.GetProperty("zmax").GetDouble();
        var scale = heat.GetProperty("colorscale").EnumerateArray().Select(s => (At: s[0].GetDouble(), Colour: s[1].GetString()!)).ToArray();
        string ColourAt(double v)
        {
            double t = (v - zmin) / (zmax - zmin);
            return scale.First(s => s.At >= t).Colour; // stepped: the band's upper edge has the band's colour
        }
        foreach (var (value, label) in FieldCategories)
        {
            var key = keys.Single(k => k.GetProperty("name").GetString() == label);
            Assert.Equal(ColourAt(value), key.GetProperty("marker").GetProperty("color").GetString());
        }
        Assert.Equal(3, keys.Select(k => k.GetProperty("marker").GetProperty("color").GetString()).Distinct().Count());
    }

    [Fact]
    public void A_cell_outside_the_categories_is_rejected_naming_the_cell()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Plot.Heatmap("mask", "v", "u", new double[,] { { 0, 1 }, { 1, 0.5 } }, categories: [(0, "zeroed"), (1, "kept")]));
        Assert.Contains("cell (1, 1) is 0.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Heatmaps_of_one_scale_in_a_grid_share_one_colour_bar_and_others_keep_titles_along_their_bars()
    {
        var same = Figure(Plot.Grid("g", 1, 2, [
            Plot.Heatmap("a", "j", "i", new double[,] { { 0, 1 } }, "|∂y/∂x| / max"),
            Plot.Heatmap("b", "j", "i", new double[,] { { 0, 0.5 } }, "|∂y/∂x| / max")]));
        var axis = same.GetProperty("layout").GetProperty("coloraxis");
        Assert.Equal("|∂y/∂x| / max", axis.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());
        Assert.True(axis.GetProperty("colorbar").GetProperty("x").GetDouble() >= 1, "the shared bar sits right of every panel");
        Assert.All(same.GetProperty("data").EnumerateArray(), t =>
        {
            Assert.Equal("coloraxis", t.GetProperty("coloraxis").GetString());
            Assert.False(t.TryGetProperty("colorbar", out _));
        });

        var mixed = Figure(Plot.Grid("g", 1, 2, [
            Plot.Heatmap("a", "j", "i", new double[,] { { 0, 1 } }, "value"),
            Plot.Heatmap("b", "j", "i", new double[,] { { -1, 1 } }, "value")]));
        Assert.False(mixed.GetProperty("layout").TryGetProperty("coloraxis", out _));
        var layout = mixed.GetProperty("layout");
        var first = mixed.GetProperty("data")[0].GetProperty("colorbar");
        Assert.Equal("right", first.GetProperty("title").GetProperty("side").GetString());
        // The bar starts right of its panel and before the next panel's domain.
        double barX = first.GetProperty("x").GetDouble();
        Assert.True(barX > layout.GetProperty("xaxis").GetProperty("domain")[1].GetDouble());
        Assert.True(barX < layout.GetProperty("xaxis2").GetProperty("domain")[0].GetDouble());
    }

    [Fact]
    public void Trajectory_end_markers_come_after_every_line_and_are_outlined()
    {
        double[] x = [0, 1, 2], y = [0, 1, 0];
        var traces = Figure(Plot.Trajectories("t", "d", "g", [new Series("a", x, y), new Series("b", x, y)]))
            .GetProperty("data").EnumerateArray().ToArray();
        int lastLine = Array.FindLastIndex(traces, t => t.GetProperty("mode").GetString() == "lines");
        int firstMarker = Array.FindIndex(traces, t => t.GetProperty("name").GetString()!.EndsWith(" end", StringComparison.Ordinal)
            || t.GetProperty("name").GetString()!.EndsWith(" start", StringComparison.Ordinal));
        Assert.True(lastLine < firstMarker, "markers are drawn after (on top of) every path");
        var end = traces.Single(t => t.GetProperty("name").GetString() == "a end").GetProperty("marker");
        Assert.True(end.GetProperty("line").GetProperty("width").GetDouble() > 0);
        Assert.NotEqual(end.GetProperty("color").GetString(), end.GetProperty("line").GetProperty("color").GetString());
    }
}

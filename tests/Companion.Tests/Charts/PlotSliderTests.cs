using System.Text.Json;
using Companion.Charts;

namespace Companion.Tests.Charts;

/// <summary>The slider chart by its JSON: one trace set per position, only the active one visible, one step per position.</summary>
public class PlotSliderTests
{
    private static JsonElement Figure(Chart chart) => JsonDocument.Parse(Plot.ToFigureJson(chart)).RootElement;

    [Fact]
    public void Each_slider_step_shows_exactly_its_own_traces()
    {
        double[] x = [1, 2, 3];
        var positions = new[] { 0.5, 1.0, 1.5 }.Select(r => (r.ToString("0.0"), (IReadOnlyList<Series>)[
            new Series("a", x, [r, r * r, r * r * r]), new Series("b", x, [1, 1, 1])])).ToList();
        var fig = Figure(Plot.LinesWithSlider("t", "x", "y", "ρ = ", positions, logY: true, active: 1));
        var traces = fig.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(6, traces.Count);
        Assert.Equal([false, false, true, true, false, false], traces.Select(t => t.GetProperty("visible").GetBoolean()));
        var steps = fig.GetProperty("layout").GetProperty("sliders")[0].GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["0.5", "1.0", "1.5"], steps.Select(s => s.GetProperty("label").GetString()));
        var visibleAt2 = steps[2].GetProperty("args")[0].GetProperty("visible").EnumerateArray().Select(v => v.GetBoolean());
        Assert.Equal([false, false, false, false, true, true], visibleAt2);
        Assert.Equal("log", fig.GetProperty("layout").GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Throws<ArgumentException>(() => Plot.LinesWithSlider("t", "x", "y", "", positions, active: 3));
    }

    [Fact]
    public void Markers_mark_every_line_point_and_leave_markers_only_series_as_they_are()
    {
        double[] x = [1, 2, 3];
        var positions = new[] { ("1", (IReadOnlyList<Series>)[new Series("line", x, x), new Series("dots", x, x, MarkersOnly: true)]) };
        var modes = Figure(Plot.LinesWithSlider("t", "x", "y", "", positions, markers: true)).GetProperty("data").EnumerateArray()
            .Select(t => t.GetProperty("mode").GetString()).ToList();
        Assert.Equal(["lines+markers", "markers"], modes);
        var plain = Figure(Plot.LinesWithSlider("t", "x", "y", "", positions)).GetProperty("data")[0].GetProperty("mode").GetString();
        Assert.Equal("lines", plain);
    }
}

using System.Numerics;
using System.Text.Json;
using Companion.Charts;

namespace Companion.Tests.Charts;

/// <summary>Charts are checked through their Plotly figure JSON (data + layout), never by pixels.</summary>
public class PlotTests
{
    private const double UnitCircleTolerance = 1e-12;

    private static readonly double[] X3 = [0.0, 1.0, 2.0];
    private static readonly double[] Y3 = [1.5, -2.25, 3.125];

    private static JsonElement Figure(Chart chart) => JsonDocument.Parse(Plot.ToFigureJson(chart)).RootElement;

    private static JsonElement Layout(Chart chart) => Figure(chart).GetProperty("layout");

    private static JsonElement[] Traces(Chart chart) => Figure(chart).GetProperty("data").EnumerateArray().ToArray();

    private static string AxisTitle(JsonElement layout, string axis) =>
        layout.GetProperty(axis).GetProperty("title").GetProperty("text").GetString()!;

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static Series[] TwoSeries() =>
    [
        new Series("first", X3, Y3),
        new Series("second", X3, [4.0, 5.0, 6.0]),
    ];

    [Fact]
    public void Lines_has_title_axis_titles_and_one_named_scatter_trace_per_series()
    {
        var chart = Plot.Lines("Loss", "epoch", "loss", TwoSeries());
        var layout = Layout(chart);
        Assert.Equal("Loss", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("epoch", AxisTitle(layout, "xaxis"));
        Assert.Equal("loss", AxisTitle(layout, "yaxis"));
        var traces = Traces(chart);
        Assert.Equal(["first", "second"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal("scatter", t.GetProperty("type").GetString()));
        Assert.All(traces, t => Assert.Equal("lines", t.GetProperty("mode").GetString()));
        Assert.True(layout.GetProperty("showlegend").GetBoolean());
    }

    [Fact]
    public void Lines_round_trips_the_data_values()
    {
        var trace = Traces(Plot.Lines("t", "x", "y", TwoSeries()))[0];
        Assert.Equal(X3, Doubles(trace.GetProperty("x")));
        Assert.Equal(Y3, Doubles(trace.GetProperty("y")));
    }

    [Fact]
    public void Lines_writes_non_finite_values_as_null_gaps()
    {
        var trace = Traces(Plot.Lines("t", "x", "y", [new Series("s", X3, [1.0, double.NaN, double.PositiveInfinity])]))[0];
        var y = trace.GetProperty("y").EnumerateArray().ToArray();
        Assert.Equal(1.0, y[0].GetDouble());
        Assert.Equal(JsonValueKind.Null, y[1].ValueKind);
        Assert.Equal(JsonValueKind.Null, y[2].ValueKind);
    }

    [Fact]
    public void Lines_log_axes_have_type_log_and_linear_axes_have_no_type()
    {
        var logY = Layout(Plot.Lines("t", "x", "y", TwoSeries(), logY: true));
        Assert.Equal("log", logY.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.False(logY.GetProperty("xaxis").TryGetProperty("type", out _));
        var logX = Layout(Plot.Lines("t", "x", "y", TwoSeries(), logX: true));
        Assert.Equal("log", logX.GetProperty("xaxis").GetProperty("type").GetString());
    }

    [Fact]
    public void Log_axis_over_one_decade_ticks_at_1_2_5_and_over_many_decades_at_powers_of_ten()
    {
        var oneDecade = Layout(Plot.Lines("t", "x", "y", [new Series("s", X3, [1.5, 4.0, 11.0])], logY: true))
            .GetProperty("yaxis");
        Assert.Equal("array", oneDecade.GetProperty("tickmode").GetString());
        Assert.Equal([1.0, 2, 5, 10, 20], Doubles(oneDecade.GetProperty("tickvals")));
        Assert.Equal(["1", "2", "5", "10", "20"], oneDecade.GetProperty("ticktext").EnumerateArray().Select(e => e.GetString()));
        var sixDecades = Layout(Plot.Lines("t", "x", "y", [new Series("s", X3, [1e-3, 1.0, 1e3])], logY: true));
        Assert.Equal([1e-3, 1e-2, 0.1, 1, 10, 100, 1000], Doubles(sixDecades.GetProperty("yaxis").GetProperty("tickvals")));
        var small = Layout(Plot.Lines("t", "x", "y", [new Series("s", X3, [0.03, 0.1, 0.3])], logY: true)).GetProperty("yaxis");
        Assert.Equal(["0.02", "0.05", "0.1", "0.2", "0.5"], small.GetProperty("ticktext").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Thin_keeps_every_nth_point()
    {
        var s = new Series("s", [0.0, 1, 2, 3, 4, 5, 6], [10.0, 11, 12, 13, 14, 15, 16], Group: "g", MarkersOnly: true).Thin(3);
        Assert.Equal([0.0, 3, 6], s.X);
        Assert.Equal([10.0, 13, 16], s.Y);
        Assert.Equal("g", s.Group);
        Assert.True(s.MarkersOnly);
        Assert.Throws<ArgumentException>(() => s.Thin(0));
    }

    [Fact]
    public void Thin_with_an_offset_keeps_the_points_between()
    {
        var s = new Series("s", [0.0, 1, 2, 3, 4, 5, 6], [10.0, 11, 12, 13, 14, 15, 16]);
        Assert.Equal([1.0, 4], s.Thin(3, 1).X);
        Assert.Equal([12.0, 15], s.Thin(3, 2).Y);
        Assert.Throws<ArgumentException>(() => s.Thin(3, 3));
        Assert.Throws<ArgumentException>(() => s.Thin(3, -1));
    }

    [Fact]
    public void Lines_with_markers_uses_lines_and_markers_mode()
    {
        var trace = Traces(Plot.Lines("t", "x", "y", TwoSeries(), markers: true))[0];
        Assert.Equal("lines+markers", trace.GetProperty("mode").GetString());
    }

    [Fact]
    public void Lines_shows_no_legend_for_a_single_series()
    {
        var layout = Layout(Plot.Lines("t", "x", "y", [new Series("only", X3, Y3)]));
        Assert.False(layout.GetProperty("showlegend").GetBoolean());
    }

    [Fact]
    public void Series_of_one_group_share_a_colour_and_a_dashed_series_is_dashed()
    {
        var traces = Traces(Plot.Lines("t", "x", "y",
        [
            new Series("measured", X3, Y3, Group: "a"),
            new Series("predicted", X3, Y3, Dashed: true, Group: "a"),
            new Series("other", X3, Y3),
        ]));
        string Colour(JsonElement t) => t.GetProperty("line").GetProperty("color").GetString()!;
        Assert.Equal(Colour(traces[0]), Colour(traces[1]));
        Assert.NotEqual(Colour(traces[0]), Colour(traces[2]));
        Assert.Equal("dash", traces[1].GetProperty("line").GetProperty("dash").GetString());
        Assert.False(traces[0].GetProperty("line").TryGetProperty("dash", out _));
        Assert.Equal("a", traces[1].GetProperty("legendgroup").GetString());
    }

    [Fact]
    public void Markers_only_series_are_drawn_as_dots_beneath_the_lines()
    {
        var traces = Traces(Plot.Lines("t", "x", "y",
        [
            new Series("predicted", X3, Y3, Dashed: true, Group: "a"),
            new Series("measured", X3, Y3, Group: "a", MarkersOnly: true),
        ]));
        Assert.Equal(["measured", "predicted"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("markers", traces[0].GetProperty("mode").GetString());
        Assert.Equal("lines", traces[1].GetProperty("mode").GetString());
    }

    [Fact]
    public void Scatter_draws_markers_only()
    {
        var chart = Plot.Scatter("Points", "x₁", "x₂", TwoSeries());
        Assert.All(Traces(chart), t => Assert.Equal("markers", t.GetProperty("mode").GetString()));
        Assert.Equal("x₁", AxisTitle(Layout(chart), "xaxis"));
    }

    [Fact]
    public void Trajectories_that_start_at_one_point_share_one_start_marker_named_after_all()
    {
        var chart = Plot.Trajectories("Paths", "d", "g",
            [new Series("a", X3, Y3), new Series("b", X3, [Y3[0], 5.0, 6.0]), new Series("c", [9.0, 8.0], [9.0, 8.0])]);
        var traces = Traces(chart);
        var starts = traces.Where(t => t.GetProperty("name").GetString()!.EndsWith(" start", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(["a, b start", "c start"], starts.Select(t => t.GetProperty("name").GetString()));
        Assert.DoesNotContain(starts[0].GetProperty("marker").GetProperty("color").GetString(), Plot.Palette);
        Assert.Equal(traces[2].GetProperty("line").GetProperty("color").GetString(),
            starts[1].GetProperty("marker").GetProperty("color").GetString());
        Assert.Equal(3, traces.Count(t => t.GetProperty("name").GetString()!.EndsWith(" end", StringComparison.Ordinal)));
    }

    [Fact]
    public void Trajectories_mark_start_with_a_circle_and_end_with_a_cross_on_an_equal_scale()
    {
        var chart = Plot.Trajectories("Paths", "d", "g", TwoSeries());
        var traces = Traces(chart);
        // 2 lines, then start/end markers per path, then the two legend keys.
        Assert.Equal(2 + 2 * 2 + 2, traces.Length);
        var start = traces.Single(t => t.GetProperty("name").GetString() == "first start");
        var end = traces.Single(t => t.GetProperty("name").GetString() == "first end");
        Assert.Equal([X3[0]], Doubles(start.GetProperty("x")));
        Assert.Equal([Y3[0]], Doubles(start.GetProperty("y")));
        Assert.Equal([X3[^1]], Doubles(end.GetProperty("x")));
        Assert.Equal([Y3[^1]], Doubles(end.GetProperty("y")));
        Assert.Equal("circle", start.GetProperty("marker").GetProperty("symbol").GetString());
        Assert.Equal("x", end.GetProperty("marker").GetProperty("symbol").GetString());
        Assert.Equal(traces[0].GetProperty("line").GetProperty("color").GetString(),
            start.GetProperty("marker").GetProperty("color").GetString());
        Assert.False(start.GetProperty("showlegend").GetBoolean());
        Assert.Equal(["start", "end"], traces[^2..].Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces[^2..], t => Assert.True(t.GetProperty("legendrank").GetInt32() > 1000));
        var yAxis = Layout(chart).GetProperty("yaxis");
        Assert.Equal("x", yAxis.GetProperty("scaleanchor").GetString());
        Assert.Equal(1.0, yAxis.GetProperty("scaleratio").GetDouble());
    }

    [Fact]
    public void Trajectories_without_equal_axes_leave_the_scale_free()
    {
        var yAxis = Layout(Plot.Trajectories("Paths", "d", "g", TwoSeries(), equalAxes: false)).GetProperty("yaxis");
        Assert.False(yAxis.TryGetProperty("scaleanchor", out _));
    }

    [Fact]
    public void ComplexPlane_draws_a_dashed_unit_circle_whose_points_lie_on_the_circle()
    {
        var chart = Plot.ComplexPlane("Eigenvalues", [("A", [new Complex(1, 0.1), new Complex(1, -0.1)])]);
        var circle = Traces(chart).Single(t => t.GetProperty("name").GetString() == "unit circle");
        Assert.Equal("dash", circle.GetProperty("line").GetProperty("dash").GetString());
        var re = Doubles(circle.GetProperty("x"));
        var im = Doubles(circle.GetProperty("y"));
        Assert.True(re.Length > 100);
        for (int i = 0; i < re.Length; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(re[i] * re[i] + im[i] * im[i]), UnitCircleTolerance);
        }
        // Closed, and going all the way round: points in all four quadrants.
        Assert.Equal(re[0], re[^1], UnitCircleTolerance);
        Assert.Equal(im[0], im[^1], UnitCircleTolerance);
        Assert.Contains(re.Zip(im), p => p.First < -0.9);
        Assert.Contains(re.Zip(im), p => p.Second < -0.9);
    }

    [Fact]
    public void ComplexPlane_has_Re_Im_axes_on_an_equal_scale_and_the_points_round_trip()
    {
        Complex[] points = [new Complex(0.5, 0.25), new Complex(-1.5, 2)];
        var chart = Plot.ComplexPlane("λ", [("A", points), ("B", [Complex.One])]);
        var layout = Layout(chart);
        Assert.Equal("Re λ", AxisTitle(layout, "xaxis"));
        Assert.Equal("Im λ", AxisTitle(layout, "yaxis"));
        Assert.Equal("x", layout.GetProperty("yaxis").GetProperty("scaleanchor").GetString());
        var traces = Traces(chart);
        Assert.Equal(["unit circle", "A", "B"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([0.5, -1.5], Doubles(traces[1].GetProperty("x")));
        Assert.Equal([0.25, 2.0], Doubles(traces[1].GetProperty("y")));
        Assert.NotEqual(traces[1].GetProperty("marker").GetProperty("symbol").GetString(),
            traces[2].GetProperty("marker").GetProperty("symbol").GetString());
    }

    [Fact]
    public void ComplexPlane_without_unit_circle_has_only_the_groups()
    {
        var traces = Traces(Plot.ComplexPlane("λ", [("A", [Complex.One])], unitCircle: false));
        Assert.Equal(["A"], traces.Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public void Heatmap_keeps_the_z_matrix_row_by_row_and_reverses_y_on_request()
    {
        double[,] z = { { 1, 2, 3 }, { 4, 5, 6 } };
        var chart = Plot.Heatmap("M", "column", "row", z, colorbarTitle: "value", reverseY: true);
        var trace = Traces(chart).Single();
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        var rows = trace.GetProperty("z").EnumerateArray().Select(Doubles).ToArray();
        Assert.Equal([1.0, 2, 3], rows[0]);
        Assert.Equal([4.0, 5, 6], rows[1]);
        Assert.Equal("value", trace.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());
        var layout = Layout(chart);
        Assert.Equal("reversed", layout.GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Equal("column", AxisTitle(layout, "xaxis"));
        Assert.Equal("row", AxisTitle(layout, "yaxis"));
        Assert.False(trace.TryGetProperty("texttemplate", out _));
    }

    [Fact]
    public void Heatmap_annotations_tick_labels_and_a_diverging_scale_for_signed_data()
    {
        double[,] z = { { -1, 2 }, { 3, -4 } };
        var trace = Traces(Plot.Heatmap("M", "j", "i", z, xTicks: ["a", "b"], yTicks: ["r0", "r1"], annotate: true)).Single();
        Assert.Contains("%{z", trace.GetProperty("texttemplate").GetString(), StringComparison.Ordinal);
        Assert.Equal(["a", "b"], trace.GetProperty("x").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["r0", "r1"], trace.GetProperty("y").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0.0, trace.GetProperty("zmid").GetDouble());
        var positive = Traces(Plot.Heatmap("M", "j", "i", new double[,] { { 1, 2 } })).Single();
        Assert.Equal("Viridis", positive.GetProperty("colorscale").GetString());
        Assert.False(positive.TryGetProperty("zmid", out _));
    }

    [Fact]
    public void Histogram_puts_all_groups_on_the_same_bins_covering_every_value()
    {
        double[] a = [0.0, 1.0, 2.0, 10.0], b = [-5.0, 3.0];
        const int bins = 15;
        var chart = Plot.Histogram("H", "value", "count", [("a", a), ("b", b)], bins);
        var traces = Traces(chart);
        Assert.All(traces, t => Assert.Equal("histogram", t.GetProperty("type").GetString()));
        var xbins = traces.Select(t => t.GetProperty("xbins")).ToArray();
        Assert.Equal(xbins[0].GetRawText(), xbins[1].GetRawText());
        double start = xbins[0].GetProperty("start").GetDouble(), end = xbins[0].GetProperty("end").GetDouble();
        double size = xbins[0].GetProperty("size").GetDouble();
        Assert.Equal(bins, (int)Math.Round((end - start) / size));
        Assert.True(start <= -5.0 && end > 10.0, $"bins [{start}, {end}] must cover [-5, 10]");
        Assert.True(start + (bins - 1) * size <= 10.0, "the largest value must fall in the last bin, not past it");
        Assert.Equal(a, Doubles(traces[0].GetProperty("x")));
        Assert.Equal("overlay", Layout(chart).GetProperty("barmode").GetString());
    }

    [Fact]
    public void Grid_has_rows_times_cols_axes_keeping_panel_axis_titles_and_subtitles()
    {
        var panels = new[]
        {
            Plot.Lines("one", "k", "loss", TwoSeries(), logY: true),
            Plot.Scatter("two", "x", "y", TwoSeries()),
            Plot.Trajectories("three", "d", "g", TwoSeries()),
            Plot.Heatmap("four", "j", "i", new double[,] { { 1, 2 }, { 3, 4 } }, "v"),
        };
        var chart = Plot.Grid("All", 2, 2, panels, ["A", "B", "C", "D"]);
        var layout = Layout(chart);
        var xAxes = layout.EnumerateObject().Where(p => p.Name.StartsWith("xaxis", StringComparison.Ordinal)).ToArray();
        var yAxes = layout.EnumerateObject().Where(p => p.Name.StartsWith("yaxis", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, xAxes.Length);
        Assert.Equal(4, yAxes.Length);
        Assert.Equal("loss", AxisTitle(layout, "yaxis"));
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Equal("x", AxisTitle(layout, "xaxis2"));
        Assert.Equal("d", AxisTitle(layout, "xaxis3"));
        Assert.Equal("x3", layout.GetProperty("yaxis3").GetProperty("scaleanchor").GetString());
        Assert.Equal("j", AxisTitle(layout, "xaxis4"));
        Assert.Equal(["<b>A</b>", "<b>B</b>", "<b>C</b>", "<b>D</b>"],
            layout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
        Assert.Equal("All", layout.GetProperty("title").GetProperty("text").GetString());
        var traces = Traces(chart);
        Assert.Equal(panels.Sum(p => Traces(p).Length), traces.Length);
        Assert.Equal("x4", traces[^1].GetProperty("xaxis").GetString());
        Assert.Equal("y4", traces[^1].GetProperty("yaxis").GetString());
        // Panel domains do not overlap: panel 1 (top left) is left of panel 2 and above panel 3.
        double Domain(string axis, int i) => layout.GetProperty(axis).GetProperty("domain")[i].GetDouble();
        Assert.True(Domain("xaxis", 1) < Domain("xaxis2", 0));
        Assert.True(Domain("yaxis3", 1) < Domain("yaxis", 0));
    }

    [Fact]
    public void Grid_defaults_subtitles_to_panel_titles_shows_a_repeated_legend_entry_once_and_copies_panels()
    {
        var a = Plot.Lines("first panel", "k", "y", TwoSeries());
        var before = Plot.ToFigureJson(a);
        var chart = Plot.Grid("G", 1, 2, [a, Plot.Lines("second panel", "k", "y", TwoSeries())]);
        Assert.Equal(before, Plot.ToFigureJson(a));
        var layout = Layout(chart);
        Assert.Equal(["<b>first panel</b>", "<b>second panel</b>"],
            layout.GetProperty("annotations").EnumerateArray().Select(x => x.GetProperty("text").GetString()));
        var shown = Traces(chart).Where(t => !t.TryGetProperty("showlegend", out var s) || s.GetBoolean())
            .Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["first", "second"], shown);
    }

    [Fact]
    public void Standalone_html_inlines_plotly_js_and_loads_nothing_from_the_network()
    {
        var html = Plot.ToStandaloneHtml(Plot.Lines("Offline λ", "x", "y", TwoSeries()));
        Assert.Contains("plotly.js v2", html, StringComparison.Ordinal);
        Assert.True(html.Length > 1_000_000, $"expected plotly.js inline (~3.6 MB) but the page has {html.Length} characters");
        // plotly.js itself mentions cdn.plot.ly (a topojson default); what matters is that no script is fetched.
        Assert.DoesNotContain("cdn.plot.ly/plotly", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script[^>]*\\ssrc\\s*=", html);
        Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
        Assert.Contains("utf-8", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Offline λ", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_fragment_draws_with_a_global_Plotly_and_carries_no_library()
    {
        var html = Plot.ToHtmlFragment(Plot.Lines("Fragment", "x", "y", TwoSeries()));
        Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
        Assert.Contains("<div", html, StringComparison.Ordinal);
        Assert.DoesNotContain("plotly.js v2", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.True(html.Length < 100_000);
    }

    [Fact]
    public void WithSize_and_WithRange_return_changed_copies_and_leave_the_original_alone()
    {
        var chart = Plot.Lines("t", "x", "y", TwoSeries(), logY: true);
        var before = Plot.ToFigureJson(chart);
        var sized = Layout(Plot.WithSize(chart, 640, 480));
        Assert.Equal(640, sized.GetProperty("width").GetInt32());
        Assert.Equal(480, sized.GetProperty("height").GetInt32());
        var ranged = Layout(Plot.WithRange(chart, x: (0, 2), y: (1, 100)));
        Assert.Equal([0.0, 2.0], Doubles(ranged.GetProperty("xaxis").GetProperty("range")));
        Assert.Equal([0.0, 2.0], Doubles(ranged.GetProperty("yaxis").GetProperty("range"))); // log10 of [1, 100]
        Assert.Equal("y", AxisTitle(ranged, "yaxis"));
        Assert.Equal(before, Plot.ToFigureJson(chart));
    }

    [Fact]
    public void Series_with_X_and_Y_of_different_lengths_is_rejected_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Plot.Lines("t", "x", "y", [new Series("bad one", X3, [1.0, 2.0])]));
        Assert.Contains("bad one", e.Message, StringComparison.Ordinal);
        Assert.Contains("X of length 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("Y of length 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Plot.Trajectories("t", "x", "y", [new Series("p", X3, [1.0])]));
        Assert.Throws<ArgumentException>(() => Plot.Scatter("t", "x", "y", [new Series("p", [1.0], X3)]));
    }

    [Fact]
    public void Empty_series_and_empty_collections_are_rejected()
    {
        var empty = Assert.Throws<ArgumentException>(() => Plot.Lines("t", "x", "y", [new Series("nothing", [], [])]));
        Assert.Contains("'nothing' is empty", empty.Message, StringComparison.Ordinal);
        var none = Assert.Throws<ArgumentException>(() => Plot.Lines("t", "x", "y", []));
        Assert.Contains("at least one series", none.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Plot.ComplexPlane("t", [("none", [])]));
        Assert.Throws<ArgumentException>(() => Plot.Histogram("t", "x", "y", [("none", [])]));
    }

    [Fact]
    public void Ragged_or_empty_heatmaps_and_mismatched_tick_labels_are_rejected()
    {
        var ragged = Assert.Throws<ArgumentException>(() =>
            Plot.Heatmap("t", "x", "y", new[] { new[] { 1.0, 2.0 }, new[] { 3.0 } }));
        Assert.Contains("ragged", ragged.Message, StringComparison.Ordinal);
        Assert.Contains("row 1 has 1", ragged.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Plot.Heatmap("t", "x", "y", new double[0, 3]));
        var ticks = Assert.Throws<ArgumentException>(() =>
            Plot.Heatmap("t", "x", "y", new double[,] { { 1, 2 } }, xTicks: ["only one"]));
        Assert.Contains("xTicks has 1 labels but z has 2 columns", ticks.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_rejects_non_finite_values_and_fewer_than_one_bin()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Histogram("t", "x", "y", [("g", [1.0, double.NaN])]));
        Assert.Contains("index 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Plot.Histogram("t", "x", "y", [("g", [1.0])], bins: 0));
    }

    [Fact]
    public void Grid_gives_each_legend_group_one_colour_across_panels_and_keeps_grey_references()
    {
        // Each panel alone colours its only path with the first palette colour; in the grid they must differ.
        var panels = new[] { "A", "B" }.Select(n => Plot.Trajectories(n, "d", "g", [new Series(n, X3, Y3)])).ToArray();
        var panelBefore = Plot.ToFigureJson(panels[1]);
        var traces = Traces(Plot.Grid("G", 1, 2, panels));
        Assert.Equal(panelBefore, Plot.ToFigureJson(panels[1])); // recoloured in the grid, not in the panel
        string LineColour(string name) =>
            traces.Single(t => t.GetProperty("name").GetString() == name).GetProperty("line").GetProperty("color").GetString()!;
        string MarkerColour(string name) =>
            traces.Single(t => t.GetProperty("name").GetString() == name).GetProperty("marker").GetProperty("color").GetString()!;
        Assert.NotEqual(LineColour("A"), LineColour("B"));
        Assert.Equal(LineColour("B"), MarkerColour("B start"));
        Assert.Equal(LineColour("B"), MarkerColour("B end"));
        Assert.All(traces.Where(t => t.GetProperty("name").GetString() is "start" or "end"),
            t => Assert.DoesNotContain(t.GetProperty("marker").GetProperty("color").GetString(), Plot.Palette));
        var circle = Traces(Plot.Grid("G", 1, 1, [Plot.ComplexPlane("c", [("A", [Complex.One])])]))
            .Single(t => t.GetProperty("name").GetString() == "unit circle");
        Assert.DoesNotContain(circle.GetProperty("line").GetProperty("color").GetString(), Plot.Palette);
    }

    [Fact]
    public void Grid_rejects_more_panels_than_cells_and_a_wrong_number_of_subtitles()
    {
        var p = Plot.Lines("t", "x", "y", TwoSeries());
        var tooMany = Assert.Throws<ArgumentException>(() => Plot.Grid("g", 1, 1, [p, p]));
        Assert.Contains("1×1", tooMany.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Plot.Grid("g", 1, 2, [p, p], ["only one"]));
        Assert.Throws<ArgumentException>(() => Plot.Grid("g", 0, 2, [p]));
    }
}

using System.Text.Json.Nodes;
using Companion.Publishing;

namespace Companion.Publishing.Tests;

/// <summary>Each chart rule on small hand-made Plotly figures: one that breaks it, one that follows it.</summary>
public class ChartRulesTests
{
    static JsonObject Figure(string data, string layout = "{}") =>
        new() { ["data"] = JsonNode.Parse(data), ["layout"] = JsonNode.Parse(layout) };

    static List<string> Rules(JsonObject figure) => ChartRules.Check(figure).Select(v => v.Rule).ToList();

    static string Line(string name, string y, string extra = "", string x = "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]") =>
        $$"""{"type":"scatter","mode":"lines","name":"{{name}}","x":{{x}},"y":{{y}}{{extra}}}""";

    const string Ramp = "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]";
    const string Ramp2 = "[0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40]";

    [Fact]
    public void A_trace_under_an_identical_one_is_hidden_but_a_dashed_one_on_top_shows_both()
    {
        var hidden = Figure($"[{Line("closed form", Ramp)},{Line("measured", Ramp)}]");
        var violations = ChartRules.Check(hidden);
        Assert.Equal([ChartRules.HiddenTrace], violations.Select(v => v.Rule));
        Assert.Contains("'closed form' and 'measured' are drawn on top of each other", violations[0].Detail);
        Assert.Empty(Rules(Figure($"[{Line("closed form", Ramp)},{Line("measured", Ramp, ",\"line\":{\"dash\":\"dash\"}")}]")));
        // Solid on top of dashed hides the dashed one all the same.
        Assert.Equal([ChartRules.HiddenTrace], Rules(Figure($"[{Line("a", Ramp, ",\"line\":{\"dash\":\"dash\"}")},{Line("b", Ramp)}]")));
        Assert.Empty(Rules(Figure($"[{Line("a", Ramp)},{Line("b", Ramp2)}]")));
        // A dashed line of the same colour on top of a solid one is lost in it; a flat two-point line lying on a curve
        // that reaches it early is hidden too (the same line over most of its length).
        const string Red = ",\"line\":{\"color\":\"red\"}", RedDash = ",\"line\":{\"color\":\"red\",\"dash\":\"dash\"}";
        Assert.Equal([ChartRules.HiddenTrace], Rules(Figure($"[{Line("a", Ramp, Red)},{Line("b", Ramp, RedDash)}]")));
        const string Saturating = "[0,10,18,19.5,20,20,20,20,20,20,20,20,20,20,20,20,20,20,20,20,20]";
        Assert.Contains(ChartRules.HiddenTrace, Rules(Figure($"[{Line("a", Saturating, Red)},{Line("limit", "[20,20]", RedDash, "[3,20]")}]")));
        Assert.Empty(Rules(Figure($"[{Line("a", Ramp, Red)},{Line("limit", "[20,20]", RedDash, "[0,20]")}]")));
        // On another subplot, or hidden by the slider: nothing is under anything.
        Assert.Empty(Rules(Figure($"[{Line("a", Ramp)},{Line("b", Ramp, ",\"yaxis\":\"y2\"")}]")));
        Assert.Empty(Rules(Figure($"[{Line("a", Ramp)},{Line("b", Ramp, ",\"visible\":false")}]")));
    }

    [Fact]
    public void An_axis_needs_two_labelled_ticks_in_its_range()
    {
        // Explicit log ticks 1, 10, 100 on data from 2 to 5: none falls in the range.
        var log = """{"yaxis":{"type":"log","tickmode":"array","tickvals":[1,10,100],"ticktext":["1","10","100"]}}""";
        var few = ChartRules.Check(Figure($"[{Line("s", "[2,2.15,2.3,2.45,2.6,2.75,2.9,3.05,3.2,3.35,3.5,3.65,3.8,3.95,4.1,4.25,4.4,4.55,4.7,4.85,5]")}]", log));
        Assert.Equal([ChartRules.AxisTicks], few.Select(v => v.Rule));
        Assert.Contains("yaxis", few[0].Detail);
        Assert.Contains("0 labelled ticks", few[0].Detail);
        Assert.Empty(Rules(Figure($"[{Line("s", "[2,2.454,3.012,3.696,4.536,5.566,6.831,8.383,10.29,12.62,15.49,19.01,23.33,28.63,35.13,43.12,52.91,64.93,79.68,97.79,120]")}]", log)));
        // Data collapsed to one value; hidden labels; one category; dtick wider than the range.
        Assert.Equal([ChartRules.AxisTicks], Rules(Figure($"[{Line("s", "[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3]")}]")));
        Assert.Equal([ChartRules.AxisTicks], Rules(Figure($"[{Line("s", Ramp)}]", """{"yaxis":{"showticklabels":false}}""")));
        Assert.Equal([ChartRules.AxisTicks], Rules(Figure("""[{"type":"bar","x":["only"],"y":[3]}]""")));
        Assert.Empty(Rules(Figure("""[{"type":"bar","x":["a","b"],"y":[3,4]}]""")));
        Assert.Equal([ChartRules.AxisTicks], Rules(Figure($"[{Line("s", Ramp)}]", """{"xaxis":{"dtick":50,"tick0":7}}""")));
        Assert.Empty(Rules(Figure($"[{Line("s", Ramp)}]", """{"xaxis":{"dtick":5,"tick0":0}}""")));
        // Automatic ticks on a real range, and an explicit range that holds the ticks.
        Assert.Empty(Rules(Figure($"[{Line("s", Ramp)}]", """{"yaxis":{"range":[-1,25],"tickvals":[0,10,20]}}""")));
    }

    [Fact]
    public void Legend_entries_are_named_and_distinct()
    {
        var twice = ChartRules.Check(Figure($"[{Line("seed 1", Ramp)},{Line("seed 1", Ramp2)}]"));
        Assert.Equal([ChartRules.LegendEntries], twice.Select(v => v.Rule));
        Assert.Contains("'seed 1' 2 times", twice[0].Detail);
        Assert.Equal([ChartRules.LegendEntries], Rules(Figure($"[{Line("", Ramp)},{Line("b", Ramp2)}]")));
        Assert.Empty(Rules(Figure($"[{Line("seed 6", Ramp)},{Line("seed 7", Ramp2)}]")));
        // One entry per legend group is fine; so is a figure without a legend.
        Assert.Empty(Rules(Figure($"[{Line("σ₁", Ramp)},{Line("σ₁", Ramp2, ",\"showlegend\":false")}]")));
        Assert.Empty(Rules(Figure($"[{Line("x", Ramp)},{Line("x", Ramp2)}]", """{"showlegend":false}""")));
    }

    [Fact]
    public void A_sparse_line_without_markers_that_bends_is_a_polygon()
    {
        const string X = "[0,1,2,3,4,5,6]";
        const string Bends = "[0,0.84,0.91,0.14,-0.76,-0.96,-0.28]";  // sin at 7 points
        var sparse = ChartRules.Check(Figure($"[{Line("sin", Bends, x: X)}]"));
        Assert.Equal([ChartRules.SparseCurve], sparse.Select(v => v.Rule));
        Assert.Contains("7 points", sparse[0].Detail);
        Assert.Empty(Rules(Figure($"[{Line("sin", Bends, ",\"mode\":\"lines+markers\"", X).Replace("\"mode\":\"lines\",", "")}]")));
        Assert.Empty(Rules(Figure($"[{Line("straight", "[0,1,2,3,4,5,6]", x: X)}]")));
        var dense = string.Join(",", Enumerable.Range(0, 60).Select(i => Math.Sin(i / 10.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var xs = string.Join(",", Enumerable.Range(0, 60).Select(i => (i / 10.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(Rules(Figure($"[{Line("sin", $"[{dense}]", x: $"[{xs}]")}]")));
    }

    [Fact]
    public void A_slider_starts_at_a_step_that_shows_something()
    {
        static string Fig(int active) => $$"""
            [{{Line("ρ = 1", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", $",\"visible\":{(active == 0 ? "true" : "false")}")}},
             {{Line("ρ = 2", Ramp, $",\"visible\":{(active == 1 ? "true" : "false")}")}}]
            """;
        static string Layout(int active) => $$"""
            {"sliders":[{"active":{{active}},"steps":[{"label":"1","args":[{"visible":[true,false]}]},{"label":"2","args":[{"visible":[false,true]}]}]}]}
            """;
        var still = ChartRules.Check(Figure(Fig(0), Layout(0)));
        Assert.Contains(still, v => v.Rule == ChartRules.StillSlider && v.Detail.Contains("step '1'", StringComparison.Ordinal));
        Assert.DoesNotContain(ChartRules.StillSlider, Rules(Figure(Fig(1), Layout(1))));
    }

    [Fact]
    public void The_figure_is_read_from_a_chart_fragment()
    {
        const string fragment = "<div id=\"a\"></div><script>var renderPlotly = function() {\n var data = [{\"type\":\"scatter\",\"y\":[1,2]}];\n" +
            " var layout = {\"width\":600};\n var config = {};\n Plotly.newPlot('a', data, layout, config); };</script>";
        var figure = ChartRules.Parse(fragment);
        Assert.Equal(600, figure["layout"]!["width"]!.GetValue<int>());
        Assert.Single(figure["data"]!.AsArray());
        Assert.Throws<FormatException>(() => ChartRules.Parse("<div>no chart</div>"));
    }
}

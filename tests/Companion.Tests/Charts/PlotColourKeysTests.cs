using System.Numerics;
using System.Text.Json;
using Companion.Charts;

namespace Companion.Tests.Charts;

/// <summary>
/// One colour per key across charts (<c>Companion.Plotly.KeyColours</c>). The registry is process-wide and other
/// tests use it too, so these tests use keys of their own (a fresh GUID per test) and check relations between
/// charts, never a fixed palette index.
/// </summary>
public class PlotColourKeysTests
{
    private static readonly double[] X = [0.0, 1.0, 2.0];

    private static JsonElement[] Traces(Chart chart) =>
        JsonDocument.Parse(Plot.ToFigureJson(chart)).RootElement.GetProperty("data").EnumerateArray().ToArray();

    private static string Colour(JsonElement trace) =>
        (trace.TryGetProperty("line", out var line) ? line : trace.GetProperty("marker")).GetProperty("color").GetString()!;

    private static string Colour(Chart chart, string name) =>
        Colour(Traces(chart).Single(t => t.GetProperty("name").GetString() == name));

    private static string Fresh(string word) => $"{word}-{Guid.NewGuid():N}";

    [Fact]
    public void A_key_has_the_same_colour_in_every_chart_whatever_the_order_and_the_name()
    {
        string amortised = Fresh("amortised"), instance = Fresh("instance-wise");
        var first = Plot.Lines("one", "x", "y",
        [
            new Series("amortised q_φ*", X, X, Key: amortised),
            new Series("instance-wise q_i*", X, X, Key: instance),
        ]);
        // The second chart lists the keys the other way round, under other names, with a third key first.
        var second = Plot.Lines("two", "x", "y",
        [
            new Series("something else", X, X, Key: Fresh("other")),
            new Series("instance-wise", X, X, Key: instance),
            new Series("amortised, new datapoints", X, X, Dashed: true, Key: amortised),
        ]);
        Assert.Equal(Colour(first, "amortised q<sub>φ*</sub>"), Colour(second, "amortised, new datapoints"));
        Assert.Equal(Colour(first, "instance-wise q<sub>i*</sub>"), Colour(second, "instance-wise"));
        Assert.NotEqual(Colour(first, "amortised q<sub>φ*</sub>"), Colour(first, "instance-wise q<sub>i*</sub>"));
        Assert.Equal(Plot.ColourOf(amortised), Colour(first, "amortised q<sub>φ*</sub>"));
        Assert.Contains(Plot.ColourOf(instance), Plot.Palette);
    }

    [Fact]
    public void Without_a_key_the_group_then_the_name_is_the_key()
    {
        string name = Fresh("variant");
        var a = Plot.Lines("a", "x", "y", [new Series(Fresh("x"), X, X), new Series(name, X, X)]);
        var b = Plot.Scatter("b", "x", "y", [new Series(Fresh("y"), X, X, Group: name)]);
        Assert.Equal(Colour(a, name), Colour(Traces(b)[0]));
    }

    [Fact]
    public void Every_chart_type_with_named_traces_uses_the_registry()
    {
        string key = Fresh("method");
        string colour = Plot.ColourOf(key);
        Assert.Equal(colour, Colour(Traces(Plot.Trajectories("t", "d", "g", [new Series("p", X, X, Key: key)]))[0]));
        Assert.Equal(colour, Colour(Traces(Plot.Histogram("h", "v", "count", [("g", (string?)key, X)]))[0]));
        var plane = Traces(Plot.ComplexPlane("c", [("λ", (string?)key, new[] { Complex.One })], unitCircle: false));
        Assert.Equal(colour, Colour(plane[0]));
        var slider = Traces(Plot.LinesWithSlider("s", "x", "y", "", [("1", (IReadOnlyList<Series>)[new Series("p", X, X, Key: key)])]));
        Assert.Equal(colour, Colour(slider[0]));
    }

    [Fact]
    public void Two_keys_of_one_chart_never_share_a_colour_even_after_the_palette_cycles()
    {
        // More keys than palette colours: by the pigeonhole principle two of them share a registered colour
        // (other tests may register keys in between, so which two is not fixed).
        var keys = Enumerable.Range(0, Plot.Palette.Count + 1).Select(i => Fresh($"k{i}")).ToArray();
        var registered = keys.ToDictionary(k => k, Plot.ColourOf);
        var (k1, k2) = keys.SelectMany((a, i) => keys.Skip(i + 1).Select(b => (a, b))).First(p => registered[p.a] == registered[p.b]);
        var colours = Traces(Plot.Lines("pair", "x", "y", [new Series("a", X, X, Key: k1), new Series("b", X, X, Key: k2)]))
            .Select(Colour).ToArray();
        Assert.NotEqual(colours[0], colours[1]);
        Assert.Equal(registered[k1], colours[0]); // the first keeps its notebook-wide colour
        // A grid whose panels' single keys collide also keeps them apart.
        var grid = Plot.Grid("g", 1, 2, [
            Plot.Lines("a", "x", "y", [new Series("a", X, X, Key: k1)]),
            Plot.Lines("b", "x", "y", [new Series("b", X, X, Key: k2)])]);
        var gridColours = Traces(grid).Select(Colour).ToArray();
        Assert.NotEqual(gridColours[0], gridColours[1]);
    }

    [Fact]
    public void A_grid_keeps_the_panels_colours_so_a_key_matches_charts_outside_the_grid()
    {
        string key = Fresh("optimistic");
        var alone = Plot.Lines("alone", "x", "y", [new Series("optimistic", X, X, Key: key)]);
        var grid = Plot.Grid("g", 1, 2, [
            Plot.Lines("a", "x", "y", [new Series("first", X, X, Key: Fresh("simultaneous"))]),
            Plot.Trajectories("b", "d", "g", [new Series("optimistic path", X, X, Key: key)])]);
        Assert.Equal(Colour(alone, "optimistic"), Colour(grid, "optimistic path"));
        Assert.Equal(Colour(alone, "optimistic"), Colour(grid, "optimistic path end"));
    }
}

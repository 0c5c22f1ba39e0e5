using System.Text.Json;
using Companion.Charts;

namespace Companion.Tests.Charts;

/// <summary>
/// Tick rules read from the figure JSON: log axes tick at 1-2-5 or at powers of ten only, with explicit labels (one
/// font size); all-integer linear data get integer ticks. Each expected tick set is checked against its definition
/// (a mantissa of 1, 2 or 5; an integer exponent), not against a copy of the code.
/// </summary>
public class PlotTicksTests
{
    private const double Relative = 1e-12;

    private static JsonElement Axis(Chart chart, string axis) =>
        JsonDocument.Parse(Plot.ToFigureJson(chart)).RootElement.GetProperty("layout").GetProperty(axis);

    private static double[] Doubles(JsonElement a) => a.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static Chart LogY(params double[] y) =>
        Plot.Lines("t", "x", "y", [new Series("s", Enumerable.Range(0, y.Length).Select(i => i + 0.5).ToArray(), y)], logY: true);

    private static double Mantissa(double t) => t / Math.Pow(10, Math.Floor(Math.Log10(t) + 1e-9));

    [Theory]
    [InlineData(1.5, 11.0)]      // one decade (IFT6135 Q4's norms)
    [InlineData(0.03, 0.3)]
    [InlineData(0.0123, 0.0178)] // a fifth of a decade: no 1-2-5 tick inside, so the range widens to two
    [InlineData(3.2, 250.0)]
    public void A_narrow_log_axis_ticks_at_one_two_five_and_shows_at_least_two(double min, double max)
    {
        var axis = Axis(LogY(min, max), "yaxis");
        Assert.Equal("array", axis.GetProperty("tickmode").GetString());
        var ticks = Doubles(axis.GetProperty("tickvals"));
        Assert.All(ticks, t => Assert.Contains(Math.Round(Mantissa(t), 9), new[] { 1.0, 2.0, 5.0 }));
        var (lo, hi) = axis.TryGetProperty("range", out var range)
            ? (Math.Pow(10, range[0].GetDouble()), Math.Pow(10, range[1].GetDouble())) : (min, max);
        Assert.True(lo <= min * (1 + Relative) && hi >= max * (1 - Relative), "the range must contain the data");
        Assert.True(ticks.Count(t => t >= lo * (1 - Relative) && t <= hi * (1 + Relative)) >= 2, "at least two ticks must show");
        // Labels are the plain numbers, one per tick (plotly.js would draw its minor labels in small print).
        var text = axis.GetProperty("ticktext").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(ticks.Length, text.Length);
        Assert.All(ticks.Zip(text), p => Assert.Equal(p.First, double.Parse(p.Second, System.Globalization.CultureInfo.InvariantCulture), 12));
    }

    [Fact]
    public void A_wide_log_axis_ticks_at_powers_of_ten_only_at_most_eight_of_them()
    {
        var axis = Axis(LogY(1e-3, 1.0, 1e3), "yaxis");
        Assert.Equal([1e-3, 1e-2, 0.1, 1, 10, 100, 1000], Doubles(axis.GetProperty("tickvals")));
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10", "100", "1000"], axis.GetProperty("ticktext").EnumerateArray().Select(e => e.GetString()));

        var wide = Axis(LogY(1e-16, 1.0), "yaxis");
        var ticks = Doubles(wide.GetProperty("tickvals"));
        Assert.InRange(ticks.Length, 2, 8);
        Assert.All(ticks, t => Assert.Equal(1.0, Math.Round(Mantissa(t), 9)));
        var exponents = ticks.Select(t => (int)Math.Round(Math.Log10(t))).ToArray();
        Assert.Single(exponents.Zip(exponents.Skip(1), (a, b) => b - a).Distinct()); // evenly spaced decades
        Assert.Equal("10<sup>0</sup>", wide.GetProperty("ticktext").EnumerateArray().Last().GetString());
        Assert.StartsWith("10<sup>−", wide.GetProperty("ticktext")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WithRange_reticks_a_log_axis_for_the_new_range()
    {
        var zoomed = Axis(Plot.WithRange(LogY(1e-3, 1e3), y: (2.0, 60.0)), "yaxis");
        Assert.Equal([2.0, 5, 10, 20, 50], Doubles(zoomed.GetProperty("tickvals")).Where(t => t is >= 2 and <= 60));
        Assert.All(Doubles(zoomed.GetProperty("tickvals")), t => Assert.InRange(t, 2 / 2.5, 60 * 2.5));
        Assert.Equal(Math.Log10(2.0), zoomed.GetProperty("range")[0].GetDouble(), 12);
    }

    [Fact]
    public void All_integer_data_get_unit_integer_ticks_and_fractional_data_are_left_to_plotly()
    {
        double[] ranks = [1, 2, 3, 4];
        var rankAxis = Axis(Plot.Lines("t", "encoder rank r", "gap", [new Series("s", ranks, [0.5, 0.25, 0.125, 0.0625])]), "xaxis");
        Assert.Equal(1, rankAxis.GetProperty("dtick").GetDouble());
        Assert.Equal(0, rankAxis.GetProperty("tick0").GetDouble());
        Assert.Equal("d", rankAxis.GetProperty("tickformat").GetString());

        var yAxis = Axis(Plot.Lines("t", "x", "y", [new Series("s", ranks, [0.5, 0.25, 0.125, 0.0625])]), "yaxis");
        Assert.False(yAxis.TryGetProperty("dtick", out _));
        Assert.False(yAxis.TryGetProperty("tickformat", out _));

        // A long integer axis (steps 0 … 5000): plotly's own ticks are integers there; only the format is fixed.
        var steps = Axis(Plot.Lines("t", "step", "y", [new Series("s", [0.0, 2500, 5000], [1.0, 2, 3])]), "xaxis");
        Assert.False(steps.TryGetProperty("dtick", out _));
        Assert.Equal("d", steps.GetProperty("tickformat").GetString());

        var counts = Axis(Plot.Histogram("h", "v", "count", [("g", [1.0, 1.1, 1.2, 3.0])], bins: 2), "yaxis");
        Assert.Equal(1, counts.GetProperty("dtick").GetDouble());
    }
}

using Plotly.NET;
using static Companion.Charts.PlotStyle;

namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>
    /// Line chart with a slider: each slider position shows its own set of series (e.g. gradient norms for one spectral
    /// radius). Every position's traces are in the figure and the slider toggles their visibility (plotly.js
    /// <c>restyle</c>), so it works in a static HTML page with no kernel.
    /// </summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">x axis title.</param>
    /// <param name="yLabel">y axis title.</param>
    /// <param name="sliderLabel">Prefix of the slider's current-value label (e.g. "ρ(Wʰ) = ").</param>
    /// <param name="positions">Slider positions in order: a label and the series shown there (same count at each).</param>
    /// <param name="logY">Logarithmic y axis.</param>
    /// <param name="active">Index of the position shown first.</param>
    /// <exception cref="ArgumentException">No positions, an invalid series, or <paramref name="active"/> out of range.</exception>
    public static GenericChart LinesWithSlider(string title, string xLabel, string yLabel, string sliderLabel,
        IEnumerable<(string Label, IReadOnlyList<Series> Series)> positions, bool logY = false, int active = 0)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var list = positions.ToList();
        if (list.Count == 0) throw new ArgumentException($"LinesWithSlider '{title}': no slider positions", nameof(positions));
        if (active < 0 || active >= list.Count)
            throw new ArgumentException($"LinesWithSlider '{title}': active = {active} but there are {list.Count} positions", nameof(active));
        var validated = list.Select(p => Series.Validate(p.Series, $"LinesWithSlider '{title}' at '{p.Label}'", nameof(positions))).ToList();
        var colours = Colours(validated.SelectMany(s => s.Select(x => x.ColourKey)));
        var traces = new List<Trace>();
        var owner = new List<int>();
        for (int p = 0; p < validated.Count; p++)
        {
            foreach (var s in validated[p])
            {
                var t = ScatterTrace(s.Name, s.X, s.Y, s.MarkersOnly ? "markers" : "lines", colours[s.ColourKey],
                    legendGroup: s.ColourKey, dash: s.Dashed ? "dash" : null, markerSize: 6);
                t.SetProperty("visible", p == active);
                traces.Add(t);
                owner.Add(p);
            }
        }
        var steps = list.Select((pos, p) => Obj(
            ("method", "restyle"),
            ("label", pos.Label),
            ("args", new object[] { Obj(("visible", owner.Select(o => o == p).ToArray())) }))).ToArray();
        var slider = Obj(
            ("active", active),
            ("currentvalue", Obj(("prefix", sliderLabel))),
            ("pad", Obj(("t", 50))),
            ("steps", steps));
        var layout = BaseLayout(title, Width, Height + 80, showLegend: validated.Max(v => v.Count) > 1);
        Set(layout,
            ("xaxis", Axis(xLabel, false, validated.SelectMany(v => v.SelectMany(s => s.X)))),
            ("yaxis", Axis(yLabel, logY)),
            ("sliders", new object[] { slider }));
        return Figure(traces, layout);
    }
}

using Plotly.NET;
using static Companion.Plotly.PlotStyle;

namespace Companion.Plotly;

public static partial class Figures
{
    /// <summary>
    /// Line chart with a slider: each position shows its own series; every position's traces are in the figure and the
    /// slider toggles their visibility (plotly.js <c>restyle</c>), so it works in a static page with no kernel.
    /// </summary>
    public static GenericChart LinesWithSlider(string title, string xLabel, string yLabel, string sliderLabel,
        (string Label, SeriesTuple[] Series)[] positions, bool logY, int active, bool markers = false)
    {
        var validated = positions.Select(p => Series.From(p.Series)).ToList();
        var colours = Colours(validated.SelectMany(s => s.Select(x => x.ColourKey)));
        var traces = new List<Trace>();
        var owner = new List<int>();
        for (int p = 0; p < validated.Count; p++)
        {
            foreach (var s in validated[p])
            {
                var t = ScatterTrace(s.Name, s.X, s.Y, s.MarkersOnly ? "markers" : markers ? "lines+markers" : "lines", colours[s.ColourKey],
                    legendGroup: s.LegendGroup, dash: s.Dashed ? "dash" : null, markerSize: 6);
                t.SetProperty("visible", p == active);
                traces.Add(t);
                owner.Add(p);
            }
        }
        var steps = positions.Select((pos, p) => Obj(
            ("method", "restyle"),
            ("label", ChartText.Markup(pos.Label)),
            ("args", new object[] { Obj(("visible", owner.Select(o => o == p).ToArray())) }))).ToArray();
        var slider = Obj(
            ("active", active),
            ("currentvalue", Obj(("prefix", ChartText.Markup(sliderLabel)))),
            ("pad", Obj(("t", 50))),
            ("steps", steps));
        var layout = BaseLayout(title, Width, Height + 80, showLegend: validated.Max(v => v.Count) > 1);
        Set(layout,
            ("xaxis", Axis(xLabel, false, validated.SelectMany(v => v.SelectMany(s => s.X)))),
            ("yaxis", Axis(yLabel, logY, validated.SelectMany(v => v.SelectMany(s => s.Y)))),
            ("sliders", new object[] { slider }));
        return Figure(traces, layout);
    }
}

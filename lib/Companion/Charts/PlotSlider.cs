namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>
    /// Line chart with a slider: each slider position shows its own set of series (e.g. gradient norms for one spectral
    /// radius, EECS 182 HW7 Q1(d)). Every position's traces are in the figure and the slider toggles their visibility
    /// (plotly.js <c>restyle</c>), so it works in a static HTML page with no kernel.
    /// </summary>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">x axis title.</param>
    /// <param name="yLabel">y axis title.</param>
    /// <param name="sliderLabel">Prefix of the slider's current-value label (e.g. "ρ(Wʰ) = ").</param>
    /// <param name="positions">Slider positions in order: a label and the series shown there.</param>
    /// <param name="logY">Logarithmic y axis.</param>
    /// <param name="active">Index of the position shown first.</param>
    /// <param name="markers">Also mark each point (for values that exist only at the points, e.g. one per step).</param>
    /// <exception cref="ArgumentException">No positions, an invalid series, or <paramref name="active"/> out of range.</exception>
    public static Chart LinesWithSlider(string title, string xLabel, string yLabel, string sliderLabel,
        IEnumerable<(string Label, IReadOnlyList<Series> Series)> positions, bool logY = false, int active = 0,
        bool markers = false)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var list = positions.ToList();
        if (list.Count == 0) throw new ArgumentException($"LinesWithSlider '{title}': no slider positions", nameof(positions));
        if (active < 0 || active >= list.Count)
            throw new ArgumentException($"LinesWithSlider '{title}': active = {active} but there are {list.Count} positions", nameof(active));
        var validated = list.Select(p => (p.Label, Series.Validate(p.Series, $"LinesWithSlider '{title}' at '{p.Label}'", nameof(positions)))).ToArray();
        return PlotlyFigures.Call("LinesWithSlider", title, xLabel, yLabel, sliderLabel, validated, logY, active, markers);
    }
}

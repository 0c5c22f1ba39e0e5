global using SeriesTuple = (string Name, double[] X, double[] Y, bool Dashed, string? Group, bool MarkersOnly, string? Key);

namespace Companion.Plotly;

/// <summary>
/// A series as <c>Companion.Charts.Series</c> hands it over (already validated there): only BCL types cross the
/// boundary of the isolated load context, so it arrives as a tuple.
/// </summary>
internal sealed record Series(string Name, double[] X, double[] Y, bool Dashed, string? Group, bool MarkersOnly, string? Key)
{
    /// <summary>The key that decides the colour, in this chart and every other chart of the notebook (<see cref="KeyColours"/>).</summary>
    internal string ColourKey => Key ?? Group ?? Name;

    /// <summary>The legend group: series of one group toggle together.</summary>
    internal string LegendGroup => Group ?? Key ?? Name;

    internal static List<Series> From(SeriesTuple[] series) =>
        series.Select(s => new Series(s.Name, s.X, s.Y, s.Dashed, s.Group, s.MarkersOnly, s.Key)).ToList();
}

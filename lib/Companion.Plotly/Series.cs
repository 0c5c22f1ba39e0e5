global using SeriesTuple = (string Name, double[] X, double[] Y, bool Dashed, string? Group, bool MarkersOnly);

namespace Companion.Plotly;

/// <summary>
/// A series as <c>Companion.Charts.Series</c> hands it over (already validated there): only BCL types cross the
/// boundary of the isolated load context, so it arrives as a tuple.
/// </summary>
internal sealed record Series(string Name, double[] X, double[] Y, bool Dashed, string? Group, bool MarkersOnly)
{
    /// <summary>The key that decides the colour and the legend group.</summary>
    internal string ColourKey => Group ?? Name;

    internal static List<Series> From(SeriesTuple[] series) =>
        series.Select(s => new Series(s.Name, s.X, s.Y, s.Dashed, s.Group, s.MarkersOnly)).ToList();
}

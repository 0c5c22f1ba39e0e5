using System.Numerics;

namespace Companion.Charts;

public static partial class Plot
{
    /// <summary>
    /// Points of the complex plane, e.g. eigenvalues λ of update matrices: one marker trace per group (distinct
    /// colour and open symbol, so coinciding points of different groups stay visible), axes "Re λ" and "Im λ" on an
    /// equal scale, and, when <paramref name="unitCircle"/>, the dashed grey unit circle |z| = 1 as the first trace,
    /// named "unit circle" (inside it a linear iteration contracts, outside it expands).
    /// </summary>
    /// <param name="title">Chart title.</param>
    /// <param name="groups">Named groups of points, each non-empty.</param>
    /// <param name="unitCircle">Draw the unit circle.</param>
    /// <exception cref="ArgumentException">No groups, or an empty or null group.</exception>
    public static Chart ComplexPlane(string title, IEnumerable<(string Name, Complex[] Points)> groups,
        bool unitCircle = true) =>
        ComplexPlane(title, groups?.Select(g => (g.Name, (string?)null, g.Points))!, unitCircle);

    /// <summary>Points of the complex plane whose groups carry a colour key (see <see cref="ColourOf"/>); else as above.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="groups">Named groups of points with their key (null: the name), each non-empty.</param>
    /// <param name="unitCircle">Draw the unit circle.</param>
    /// <exception cref="ArgumentException">No groups, or an empty or null group.</exception>
    public static Chart ComplexPlane(string title, IEnumerable<(string Name, string? Key, Complex[] Points)> groups,
        bool unitCircle = true) =>
        PlotlyFigures.Call("ComplexPlane", title, groups?.ToArray()!, unitCircle);
}

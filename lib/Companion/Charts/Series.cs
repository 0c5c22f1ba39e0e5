namespace Companion.Charts;

/// <summary>One named trace of a 2-D chart: the points (X[i], Y[i]), i = 0..n−1.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="X">Abscissae, length n ≥ 1.</param>
/// <param name="Y">Ordinates, length n (same as <paramref name="X"/>). NaN or ±∞ leave a gap in a line.</param>
/// <param name="Dashed">Draw the line dashed, e.g. for a predicted (closed-form) curve next to a measured one.</param>
/// <param name="Group">Series with the same group toggle together in the legend (and share a colour when no
/// <paramref name="Key"/> is given); defaults to <paramref name="Name"/>. Use it to pair a measured curve with its
/// prediction.</param>
/// <param name="MarkersOnly">Draw the points as dots without a connecting line (in line charts and trajectories),
/// e.g. measured iterates under a dashed closed-form curve that passes through them.</param>
/// <param name="Key">What the series stands for (a method, a variant): every series with the same key has the same
/// colour in every chart of the notebook (see <see cref="Plot.ColourOf"/>). Defaults to <paramref name="Group"/>, then
/// <paramref name="Name"/>.</param>
public sealed record Series(string Name, double[] X, double[] Y, bool Dashed = false, string? Group = null,
    bool MarkersOnly = false, string? Key = null)
{
    /// <summary>
    /// Every <paramref name="every"/>-th point (indices offset, offset + every, offset + 2·every, …), e.g. to draw
    /// measured iterates as sparse dots so that a curve through them stays visible; different offsets let the dots of
    /// two nearly coinciding series interleave instead of covering each other.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="every"/> &lt; 1, or <paramref name="offset"/> outside
    /// [0, every).</exception>
    public Series Thin(int every, int offset = 0)
    {
        if (every < 1)
        {
            throw new ArgumentException($"Thin: every must be ≥ 1 but is {every}", nameof(every));
        }
        if (offset < 0 || offset >= every)
        {
            throw new ArgumentException($"Thin: offset must be in [0, {every}) but is {offset}", nameof(offset));
        }
        return this with
        {
            X = X.Where((_, i) => i % every == offset).ToArray(),
            Y = Y.Where((_, i) => i % every == offset).ToArray(),
        };
    }

    /// <summary>The series as the chart builder takes them (BCL types only).</summary>
    internal (string Name, double[] X, double[] Y, bool Dashed, string? Group, bool MarkersOnly, string? Key) ToTuple() =>
        (Name, X, Y, Dashed, Group, MarkersOnly, Key);

    /// <summary>Checks a chart's series: at least one, none null, X and Y of equal, non-zero length.</summary>
    /// <exception cref="ArgumentException">Names the offending series and what is wrong with it.</exception>
    internal static (string Name, double[] X, double[] Y, bool Dashed, string? Group, bool MarkersOnly, string? Key)[] Validate(IEnumerable<Series>? series, string chart, string paramName)
    {
        if (series is null)
        {
            throw new ArgumentNullException(paramName, $"{chart}: {paramName} is null; pass at least one series");
        }
        var list = series.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"{chart}: {paramName} is empty; pass at least one series", paramName);
        }
        for (int i = 0; i < list.Count; i++)
        {
            var s = list[i] ?? throw new ArgumentException($"{chart}: {paramName}[{i}] is null", paramName);
            if (s.Name is null)
            {
                throw new ArgumentException($"{chart}: {paramName}[{i}] has a null Name", paramName);
            }
            if (s.X is null || s.Y is null)
            {
                throw new ArgumentException($"{chart}: series '{s.Name}' has a null {(s.X is null ? "X" : "Y")}", paramName);
            }
            if (s.X.Length != s.Y.Length)
            {
                throw new ArgumentException(
                    $"{chart}: series '{s.Name}' has X of length {s.X.Length} but Y of length {s.Y.Length}; they must be equal",
                    paramName);
            }
            if (s.X.Length == 0)
            {
                throw new ArgumentException($"{chart}: series '{s.Name}' is empty (X and Y have no points)", paramName);
            }
        }
        return list.Select(s => s.ToTuple()).ToArray();
    }
}

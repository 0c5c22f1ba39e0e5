namespace Companion.Plotly;

/// <summary>
/// One colour per meaning across a notebook: a process-wide registry from colour key (a method, a variant; by default
/// a series' name) to a <see cref="PlotStyle.Palette"/> colour, assigned in first-use order. A notebook runs in one
/// process (the runner's worker, a Jupyter kernel session, a .NET Interactive kernel) and the builder is loaded once
/// per process, so every chart of the notebook gives "amortised" the colour it got the first time. Re-running a cell
/// keeps the colours; a new process starts over (<see cref="Reset"/> does so by hand). After ten keys the palette
/// cycles; two keys of one chart that would then share a colour are told apart by giving the later one the first
/// palette colour not used in that chart (for that chart only).
/// </summary>
internal static class KeyColours
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string> Assigned = new(StringComparer.Ordinal);

    /// <summary>The key's colour, registering it on first use.</summary>
    internal static string Of(string key)
    {
        lock (Gate)
        {
            if (!Assigned.TryGetValue(key, out var colour))
            {
                colour = PlotStyle.Palette[Assigned.Count % PlotStyle.Palette.Length];
                Assigned[key] = colour;
            }
            return colour;
        }
    }

    /// <summary>Colours for the keys of one chart: each key's registered colour, distinct within the chart.</summary>
    internal static Dictionary<string, string> ForChart(IEnumerable<string> keys)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (map.ContainsKey(key))
            {
                continue;
            }
            var colour = Of(key);
            if (map.ContainsValue(colour))
            {
                colour = PlotStyle.Palette.FirstOrDefault(c => !map.ContainsValue(c)) ?? colour;
            }
            map[key] = colour;
        }
        return map;
    }

    /// <summary>Forgets every key: the next key gets the first palette colour again.</summary>
    internal static void Reset()
    {
        lock (Gate)
        {
            Assigned.Clear();
        }
    }
}

using System.Numerics;
using Plotly.NET;
using static Companion.Plotly.PlotStyle;

namespace Companion.Plotly;

public static partial class Figures
{
    /// <summary>Number of segments of the drawn unit circle.</summary>
    private const int UnitCirclePoints = 360;

    // Open symbols, so that coinciding eigenvalues of different groups stay visible on top of each other.
    private static readonly string[] GroupSymbols =
        ["circle-open", "square-open", "diamond-open", "triangle-up-open", "star-open", "hexagon-open"];

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
    public static GenericChart ComplexPlane(string title, (string Name, string? Key, Complex[] Points)[] groups,
        bool unitCircle)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"ComplexPlane '{title}': groups is empty; pass at least one group", nameof(groups));
        }
        foreach (var (name, _, points) in list)
        {
            if (points is null || points.Length == 0)
            {
                throw new ArgumentException($"ComplexPlane '{title}': group '{name}' has no points", nameof(groups));
            }
        }

        var traces = new List<Trace>();
        if (unitCircle)
        {
            var theta = Enumerable.Range(0, UnitCirclePoints + 1).Select(k => 2 * Math.PI * k / UnitCirclePoints).ToArray();
            traces.Add(ScatterTrace("unit circle", theta.Select(Math.Cos).ToArray(), theta.Select(Math.Sin).ToArray(),
                "lines", ReferenceGrey, dash: "dash", lineWidth: 1.5, hoverTemplate: "|z| = 1<extra></extra>"));
        }
        var colours = Colours(list.Select(g => g.Key ?? g.Name));
        for (int i = 0; i < list.Count; i++)
        {
            var (name, key, points) = list[i];
            string colour = colours[key ?? name];
            var trace = ScatterTrace(name, points.Select(p => p.Real).ToArray(), points.Select(p => p.Imaginary).ToArray(),
                "markers", colour, legendGroup: key ?? name, symbol: GroupSymbols[i % GroupSymbols.Length], markerSize: 12 + 2 * (i % 3),
                hoverTemplate: "%{x:.4f} %{y:+.4f} i<extra>%{fullData.name}</extra>");
            Set((DynamicObj.DynamicObj)Get(trace, "marker")!, ("line", Obj(("color", colour), ("width", 2))));
            traces.Add(trace);
        }

        var layout = BaseLayout(title, SquareWidth, SquareHeight, showLegend: traces.Count > 1);
        var yAxis = Axis("Im λ");
        EqualScale(yAxis);
        Set(layout, ("xaxis", Axis("Re λ")), ("yaxis", yAxis));
        return Figure(traces, layout);
    }
}

using Plotly.NET;
using static Companion.Plotly.PlotStyle;

namespace Companion.Plotly;

public static partial class Figures
{
    /// <summary>A copy of the chart drawn at another size (pixels); the original is unchanged.</summary>
    /// <exception cref="ArgumentException">A size below 100 px.</exception>
    public static GenericChart WithSize(object chartFigure, int width, int height)
    {
        var chart = (GenericChart)chartFigure;
        ArgumentNullException.ThrowIfNull(chart);
        if (width < 100 || height < 100)
        {
            throw new ArgumentException($"WithSize: width and height must be ≥ 100 px but are {width}×{height}",
                width < 100 ? nameof(width) : nameof(height));
        }
        var layout = CopyLayout(chart);
        Set(layout, ("width", width), ("height", height));
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>
    /// A copy of the chart with fixed axis ranges, e.g. to zoom in on eigenvalues near 1; null keeps an axis
    /// automatic. On an equal-scale chart plotly.js widens one range to keep the scale. On a log axis give the
    /// range in data units; it is converted to the powers of ten that plotly.js expects. The original is unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">A range with Min ≥ Max, or a non-positive bound on a log axis.</exception>
    public static GenericChart WithRange(object chartFigure, (double Min, double Max)? x = null,
        (double Min, double Max)? y = null)
    {
        var chart = (GenericChart)chartFigure;
        ArgumentNullException.ThrowIfNull(chart);
        var layout = CopyLayout(chart);
        foreach (var (axisName, range) in new[] { ("xaxis", x), ("yaxis", y) })
        {
            if (range is not { } r)
            {
                continue;
            }
            if (!(r.Min < r.Max))
            {
                throw new ArgumentException($"WithRange: the {axisName} range must have Min < Max but is [{r.Min}, {r.Max}]",
                    axisName == "xaxis" ? nameof(x) : nameof(y));
            }
            var axis = Get(layout, axisName) as DynamicObj.DynamicObj ?? Obj();
            bool log = Get(axis, "type") as string == "log";
            if (log && r.Min <= 0)
            {
                throw new ArgumentException($"WithRange: the {axisName} is logarithmic, so the range must be positive but is [{r.Min}, {r.Max}]",
                    axisName == "xaxis" ? nameof(x) : nameof(y));
            }
            if (log && Get(axis, "tickmode") as string == "array")
            {
                LogTicks(axis, r.Min, r.Max); // the house ticks for the new range
            }
            Set(axis, ("range", log ? new[] { Math.Log10(r.Min), Math.Log10(r.Max) } : new[] { r.Min, r.Max }),
                ("autorange", false));
            layout.SetProperty(axisName, axis);
        }
        return GenericChart.setLayout(layout, chart);
    }

    private static Layout CopyLayout(GenericChart chart)
    {
        var copy = new Layout();
        GenericChart.getLayout(chart).DeepCopyPropertiesTo(copy, Microsoft.FSharp.Core.FSharpOption<bool>.Some(true),
            Microsoft.FSharp.Core.FSharpOption<bool>.None);
        return copy;
    }
}

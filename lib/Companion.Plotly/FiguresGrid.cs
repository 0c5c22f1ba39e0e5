using Plotly.NET;
using static Companion.Plotly.PlotStyle;

namespace Companion.Plotly;

public static partial class Figures
{
    private const double GridGapX = 0.12, GridGapXWithColorbar = 0.2, GridGapY = 0.16;
    private const double GridLegendDrop = 80; // px from the bottom row's axis line to the legend's top
    private const int GridMinWidth = 800, GridMaxWidth = 1000, GridCellWidth = 330, GridCellHeight = 320;

    /// <summary>
    /// Panels side by side: panel i goes to row i / cols, column i % cols (row 0 on top) with its own axes
    /// (xaxis{i+1}/yaxis{i+1}, keeping each panel's axis titles, log type, equal scale and reversed rows) and a
    /// subtitle above it (a layout annotation). Each colour key already has one colour in every panel
    /// (<see cref="KeyColours"/>); where two keys of the grid would share a colour (after ten keys the palette cycles),
    /// the later one is recoloured. A legend entry that repeats in several panels is shown once. Heatmaps with the
    /// same colour scale and colour-bar title share one colour axis with one bar right of the grid; otherwise each
    /// keeps its bar, titled along its side so that the title never reaches the next panel. The panels themselves
    /// are copied, not changed.
    /// </summary>
    /// <param name="title">Title of the whole figure.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="cols">Number of columns, ≥ 1.</param>
    /// <param name="panels">At most rows×cols charts made by this class, filled row by row.</param>
    /// <param name="subtitles">One per panel; default: each panel's own title.</param>
    /// <exception cref="ArgumentException">Bad grid size, too many or no panels, or a subtitle count that differs.</exception>
    public static GenericChart Grid(string title, int rows, int cols, object[] panels,
        string[]? subtitles)
    {
        string chart = $"Grid '{title}'";
        ArgumentNullException.ThrowIfNull(panels);
        if (rows < 1 || cols < 1)
        {
            throw new ArgumentException($"{chart}: rows and cols must be ≥ 1 but are {rows}×{cols}", rows < 1 ? nameof(rows) : nameof(cols));
        }
        var list = panels.Cast<GenericChart>().ToList();
        if (list.Count == 0 || list.Count > rows * cols)
        {
            throw new ArgumentException(
                $"{chart}: a {rows}×{cols} grid holds 1 to {rows * cols} panels but {list.Count} were given", nameof(panels));
        }
        var titles = (subtitles?.ToList() ?? list.Select(PanelTitle).ToList()).Select(t => ChartText.Markup(t) ?? "").ToList();
        if (titles.Count != list.Count)
        {
            throw new ArgumentException($"{chart}: {titles.Count} subtitles for {list.Count} panels", nameof(subtitles));
        }

        var panelTraces = list.Select(p => GenericChart.getTraces(p).ToList()).ToList();
        var scaled = panelTraces.SelectMany(t => t).Where(HasColourBar).ToList();
        bool shareColourAxis = scaled.Count > 1 && scaled.Select(ColourScaleSignature).Distinct().Count() == 1;
        bool colorbars = scaled.Count > 0 && !shareColourAxis;
        double gapX = cols > 1 ? (colorbars ? GridGapXWithColorbar : GridGapX) : 0;
        double gapY = rows > 1 ? GridGapY : 0;
        double cellW = (1 - gapX * (cols - 1)) / cols, cellH = (1 - gapY * (rows - 1)) / rows;

        // Keys keep their notebook-wide colours; only a key whose colour another key of the grid already has moves.
        var gridColours = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in panelTraces.SelectMany(t => t).Where(HasPaletteColour))
        {
            string group = LegendGroup(t), colour = TraceColour(t);
            if (!gridColours.ContainsKey(group))
            {
                gridColours[group] = gridColours.ContainsValue(colour)
                    ? PlotStyle.Palette.FirstOrDefault(c => !gridColours.ContainsValue(c)) ?? colour : colour;
            }
        }
        var traces = new List<Trace>();
        var annotations = new List<DynamicObj.DynamicObj>();
        var legendSeen = new HashSet<(string, string)>();
        int width = Math.Clamp(GridCellWidth * cols + 160, GridMinWidth, GridMaxWidth);
        // A title wrapped onto more lines makes the figure and its top margin taller by the same (see BaseLayout).
        int extra = TitleExtraHeight(title, width);
        int height = GridCellHeight * rows + 170, top = 100 + extra, bottom = 60;
        var layout = BaseLayout(title, width, height, showLegend: false);
        Set(layout,
            ("margin", Obj(("l", 70), ("r", 30), ("t", top), ("b", bottom))),
            // One legend for all panels, centred under the grid (below the bottom row's x axis titles) so that it
            // takes no width from the panels; plotly.js grows the bottom margin to fit it.
            ("legend", Obj(("orientation", "h"), ("x", 0.5), ("xanchor", "center"),
                ("y", -GridLegendDrop / (height + extra - top - bottom)), ("yanchor", "top"),
                ("bgcolor", "rgba(255,255,255,0.85)"), ("bordercolor", "#d0d0d0"), ("borderwidth", 1))));
        for (int i = 0; i < list.Count; i++)
        {
            int k = i + 1, r = i / cols, c = i % cols;
            string xRef = k == 1 ? "x" : $"x{k}", yRef = k == 1 ? "y" : $"y{k}";
            double x0 = c * (cellW + gapX), x1 = x0 + cellW, y1 = 1 - r * (cellH + gapY), y0 = y1 - cellH;

            var panelLayout = GenericChart.getLayout(list[i]);
            var xAxis = Copy(Get(panelLayout, "xaxis") as DynamicObj.DynamicObj);
            var yAxis = Copy(Get(panelLayout, "yaxis") as DynamicObj.DynamicObj);
            Set(xAxis, ("domain", new[] { x0, x1 }), ("anchor", yRef));
            Set(yAxis, ("domain", new[] { y0, y1 }), ("anchor", xRef));
            if (Get(yAxis, "scaleanchor") is not null)
            {
                yAxis.SetProperty("scaleanchor", xRef);
            }
            layout.SetProperty(k == 1 ? "xaxis" : $"xaxis{k}", xAxis);
            layout.SetProperty(k == 1 ? "yaxis" : $"yaxis{k}", yAxis);
            if (Get(panelLayout, "barmode") is { } barmode)
            {
                layout.SetProperty("barmode", barmode);
            }

            foreach (var source in panelTraces[i])
            {
                var trace = new Trace2D(Get(source, "type") as string ?? "scatter");
                source.DeepCopyPropertiesTo(trace, Microsoft.FSharp.Core.FSharpOption<bool>.Some(true),
                    Microsoft.FSharp.Core.FSharpOption<bool>.None);
                Set(trace, ("xaxis", xRef), ("yaxis", yRef));
                if (HasPaletteColour(trace) && gridColours[LegendGroup(trace)] != TraceColour(trace))
                {
                    Recolour(trace, gridColours[LegendGroup(trace)]);
                }
                if (shareColourAxis && HasColourBar(trace))
                {
                    if (Get(layout, "coloraxis") is null)
                    {
                        layout.SetProperty("coloraxis", SharedColourAxis(trace));
                    }
                    foreach (var key in new[] { "colorscale", "colorbar", "zmid", "zmin", "zmax" })
                    {
                        trace.RemoveProperty(key);
                    }
                    trace.SetProperty("coloraxis", "coloraxis");
                }
                else if (HasColourBar(trace))
                {
                    var colorbar = Copy(Get(trace, "colorbar") as DynamicObj.DynamicObj);
                    Set(colorbar, ("x", x1 + 0.01), ("xanchor", "left"), ("y", (y0 + y1) / 2), ("yanchor", "middle"),
                        ("len", cellH), ("thickness", 12));
                    if (Get(colorbar, "title") is DynamicObj.DynamicObj colorbarTitle)
                    {
                        // Along the bar's right side: the title takes a line's height of width, never the next panel's room.
                        colorbarTitle.SetProperty("side", "right");
                    }
                    trace.SetProperty("colorbar", colorbar);
                }
                if (Get(trace, "showlegend") is not false && Get(trace, "name") is string name)
                {
                    if (!legendSeen.Add((name, TraceColour(trace))))
                    {
                        trace.SetProperty("showlegend", false);
                    }
                }
                traces.Add(trace);
            }
            annotations.Add(Obj(
                ("text", $"<b>{titles[i]}</b>"), ("showarrow", false), ("xref", "paper"), ("yref", "paper"),
                ("x", (x0 + x1) / 2), ("y", y1), ("xanchor", "center"), ("yanchor", "bottom"), ("yshift", 6),
                ("font", Obj(("size", 14)))));
        }
        layout.SetProperty("annotations", annotations.ToArray());
        layout.SetProperty("showlegend", legendSeen.Count > 1);
        return Figure(traces, layout);
    }

    /// <summary>A heatmap that draws a colour bar (category heatmaps have a legend instead).</summary>
    private static bool HasColourBar(DynamicObj.DynamicObj trace) =>
        Get(trace, "type") as string == "heatmap" && Get(trace, "showscale") is not false;

    /// <summary>What must agree for heatmaps to share one colour axis: the scale, its centring and the bar's title.</summary>
    private static string ColourScaleSignature(DynamicObj.DynamicObj trace)
    {
        string scale = Get(trace, "colorscale") is string name ? name : "diverging";
        string title = Get(trace, "colorbar") is DynamicObj.DynamicObj bar && Get(bar, "title") is DynamicObj.DynamicObj t
            && Get(t, "text") is string text ? text : "";
        return $"{scale}|{Get(trace, "zmid") is not null}|{title}";
    }

    /// <summary>The layout colour axis the heatmaps of a grid share: their scale, one bar right of the panels.</summary>
    private static DynamicObj.DynamicObj SharedColourAxis(DynamicObj.DynamicObj heatmap)
    {
        var bar = Copy(Get(heatmap, "colorbar") as DynamicObj.DynamicObj);
        Set(bar, ("x", 1.02), ("xanchor", "left"), ("y", 0.5), ("yanchor", "middle"), ("len", 0.9), ("thickness", 14));
        var axis = Obj(("colorscale", Get(heatmap, "colorscale")), ("colorbar", bar));
        if (Get(heatmap, "zmid") is { } mid)
        {
            axis.SetProperty("cmid", mid);
        }
        return axis;
    }

    private static string PanelTitle(GenericChart panel) =>
        Get(GenericChart.getLayout(panel), "title") is DynamicObj.DynamicObj t && Get(t, "text") is string s ? s : "";

    private static DynamicObj.DynamicObj Copy(DynamicObj.DynamicObj? source)
    {
        var copy = new DynamicObj.DynamicObj();
        source?.DeepCopyPropertiesTo(copy, Microsoft.FSharp.Core.FSharpOption<bool>.Some(true),
            Microsoft.FSharp.Core.FSharpOption<bool>.None);
        return copy;
    }

    private static string LegendGroup(DynamicObj.DynamicObj trace) =>
        Get(trace, "legendgroup") as string ?? Get(trace, "name") as string ?? "";

    /// <summary>Whether the trace was coloured from the palette (reference curves and legend keys are grey).</summary>
    private static bool HasPaletteColour(DynamicObj.DynamicObj trace) => PlotStyle.Palette.Contains(TraceColour(trace));

    /// <summary>Replaces the trace's palette colour (in its line, marker and marker outline) by <paramref name="colour"/>.</summary>
    private static void Recolour(DynamicObj.DynamicObj trace, string colour)
    {
        string old = TraceColour(trace);
        foreach (var part in new[] { "line", "marker" })
        {
            if (Get(trace, part) is not DynamicObj.DynamicObj o)
            {
                continue;
            }
            if (Get(o, "color") as string == old)
            {
                o.SetProperty("color", colour);
            }
            if (Get(o, "line") is DynamicObj.DynamicObj outline && Get(outline, "color") as string == old)
            {
                outline.SetProperty("color", colour);
            }
        }
    }

    /// <summary>The colour a trace is drawn in (its line's, else its marker's), "" when not set.</summary>
    private static string TraceColour(DynamicObj.DynamicObj trace)
    {
        foreach (var part in new[] { "line", "marker" })
        {
            if (Get(trace, part) is DynamicObj.DynamicObj o && Get(o, "color") is string colour)
            {
                return colour;
            }
        }
        return "";
    }
}

using System.Collections;
using System.Globalization;
using System.Net;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace Companion.Notebooks;

/// <summary>
/// Turns a value into a MIME bundle the way a notebook shows it. Plotly charts become <c>text/html</c> that draws
/// offline: the first chart of a session carries plotly.js inline, later ones are fragments that use it. MathNet vectors
/// and matrices become HTML tables with a <c>text/plain</c> twin. Anything else is text.
/// One formatter per session (it remembers whether plotly.js was already emitted).
/// </summary>
public sealed class ValueFormatter
{
    const int MaxRows = 20;
    const int MaxCols = 12;
    bool plotlyEmitted;

    /// <summary>The MIME bundle of <paramref name="value"/>.</summary>
    public Dictionary<string, string> Format(object? value)
    {
        switch (value)
        {
            case null:
                return new() { ["text/plain"] = "<null>" };
            case GenericChart chart:
                return new() { ["text/html"] = ChartHtml(GenericChart.toChartHTML(chart)), ["text/plain"] = "Plotly chart" };
            case { } when value.GetType().FullName == CompanionChart:
                return new() { ["text/html"] = ChartHtml(CompanionChartFragment(value)), ["text/plain"] = value.ToString() ?? "Plotly chart" };
            case Matrix<double> m:
                return new() { ["text/html"] = MatrixHtml(m), ["text/plain"] = m.ToString() };
            case Vector<double> v:
                return new() { ["text/html"] = VectorHtml(v), ["text/plain"] = v.ToString() };
            case HtmlString h:
                return new() { ["text/html"] = h.Html, ["text/plain"] = h.Html };
            default:
                return new() { ["text/plain"] = PlainText(value) };
        }
    }

    /// <summary>The library's own chart type (<c>lib/Companion</c>, loaded by the notebook's <c>#r</c>, not referenced here).</summary>
    const string CompanionChart = "Companion.Charts.Chart";

    static string CompanionChartFragment(object chart) =>
        (string)chart.GetType().GetMethod("ToHtmlFragment", Type.EmptyTypes)!.Invoke(chart, null)!;

    string ChartHtml(string fragment)
    {
        if (plotlyEmitted) return fragment;
        plotlyEmitted = true;
        return $"{PlotlyJs.InlineScript}\n{fragment}";
    }

    /// <summary>Plain text for a value: strings as they are, sequences of scalars as [a, b, c], the rest by ToString.</summary>
    public static string PlainText(object value)
    {
        switch (value)
        {
            case string s: return s;
            case IFormattable f when value.GetType().IsPrimitive || value is decimal:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case IEnumerable e when value.GetType().IsArray || value.GetType().IsGenericType && value is ICollection:
                var items = e.Cast<object?>().Take(101).Select(x => x is null ? "null" : PlainText(x)).ToList();
                var more = items.Count > 100 ? ", …" : "";
                return "[" + string.Join(", ", items.Take(100)) + more + "]";
            default:
                return value.ToString() ?? value.GetType().FullName ?? "";
        }
    }

    static string Num(double x) => WebUtility.HtmlEncode(x.ToString("G6", CultureInfo.InvariantCulture));

    static string MatrixHtml(Matrix<double> m)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"matrix\"><div><i>{m.RowCount}×{m.ColumnCount} matrix</i></div><table>");
        for (int i = 0; i < Math.Min(m.RowCount, MaxRows); i++)
        {
            sb.Append("<tr>");
            for (int j = 0; j < Math.Min(m.ColumnCount, MaxCols); j++) sb.Append("<td>").Append(Num(m[i, j])).Append("</td>");
            if (m.ColumnCount > MaxCols) sb.Append("<td>…</td>");
            sb.Append("</tr>");
        }
        if (m.RowCount > MaxRows) sb.Append("<tr><td>⋮</td></tr>");
        return sb.Append("</table></div>").ToString();
    }

    static string VectorHtml(Vector<double> v)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"vector\"><div><i>vector of length {v.Count}</i></div><table><tr>");
        for (int i = 0; i < Math.Min(v.Count, MaxRows * 2); i++) sb.Append("<td>").Append(Num(v[i])).Append("</td>");
        if (v.Count > MaxRows * 2) sb.Append("<td>…</td>");
        return sb.Append("</tr></table></div>").ToString();
    }
}

/// <summary>Raw HTML to display as is (<c>display(new HtmlString("&lt;b&gt;hi&lt;/b&gt;"))</c>).</summary>
public sealed record HtmlString(string Html);

/// <summary>plotly.js as Plotly.NET embeds it (v2.28.0), for offline pages.</summary>
public static class PlotlyJs
{
    static readonly Lazy<string> Text = new(() =>
    {
        var asm = typeof(GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    });

    /// <summary>The full minified plotly.js source.</summary>
    public static string Source => Text.Value;

    static readonly Lazy<string> Script = new(() =>
        $"<script type=\"text/javascript\">(function (define, module, exports) {{\n{Text.Value}\n}})(undefined, undefined, undefined);</script>");

    /// <summary>
    /// plotly.js in a script element that sets <c>window.Plotly</c> in every front end. Jupyter Notebook (classic)
    /// loads require.js, and plotly.js's UMD header would then register an anonymous AMD module instead, so the charts'
    /// scripts fail with "Plotly is not defined"; the wrapper hides <c>define</c>/<c>module</c>/<c>exports</c> from it.
    /// </summary>
    public static string InlineScript => Script.Value;
}

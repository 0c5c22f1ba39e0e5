using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace Companion.Notebooks;

/// <summary>
/// Turns a value into a MIME bundle the way a notebook shows it. Plotly charts become <c>text/html</c> that draws
/// offline: the first chart of a session carries plotly.js inline, later ones are fragments that use it. MathNet vectors
/// and matrices become HTML tables with a <c>text/plain</c> twin. Anything else is text.
/// One formatter per session (it remembers whether plotly.js was already emitted).
/// With <see cref="ChartOutput.Standalone"/> (the Jupyter kernel) every chart output stands alone instead
/// (<see cref="ChartLoader"/>): Plotly's own MIME type beside HTML that finds plotly.js by itself.
/// </summary>
public sealed class ValueFormatter
{
    const int MaxRows = 20;
    const int MaxCols = 12;
    readonly ChartOutput charts;
    bool plotlyEmitted;

    /// <summary>The environment variable the engine's worker reads to choose <see cref="ChartOutput"/>
    /// (<c>standalone</c>; anything else or unset: <see cref="ChartOutput.InlineOnce"/>).</summary>
    public const string ChartOutputVariable = "COMPANION_CHART_OUTPUT";

    /// <param name="charts">How chart outputs carry plotly.js.</param>
    public ValueFormatter(ChartOutput charts = ChartOutput.InlineOnce) => this.charts = charts;

    /// <summary>The chart output chosen by <see cref="ChartOutputVariable"/> in this process's environment.</summary>
    public static ChartOutput ChartOutputFromEnvironment() =>
        string.Equals(Environment.GetEnvironmentVariable(ChartOutputVariable), "standalone", StringComparison.OrdinalIgnoreCase)
            ? ChartOutput.Standalone : ChartOutput.InlineOnce;

    /// <summary>
    /// The MIME bundle of <paramref name="value"/>, as .NET Interactive shows it: <c>&lt;null&gt;</c>; charts as offline
    /// HTML; MathNet matrices and vectors as HTML tables (a vector's text is its sequence); every other
    /// <see cref="IEnumerable"/> of scalars (arrays, lists, <c>HashSet</c>, lazy LINQ) as <c>[ 1, 2, 3 ]</c>; dictionaries
    /// as a key/value table; sequences of objects as a table with a row per item; objects, records, tuples and anonymous
    /// objects as a table of their public properties and fields, each with a <c>text/plain</c> twin.
    /// </summary>
    public Dictionary<string, string> Format(object? value)
    {
        switch (value)
        {
            case null:
                return new() { ["text/plain"] = "<null>" };
            case GenericChart chart:
                return ChartBundle(GenericChart.toChartHTML(chart), "Plotly chart");
            case { } when value.GetType().FullName == CompanionChart:
                return ChartBundle(CompanionChartFragment(value), value.ToString() ?? "Plotly chart");
            case Matrix<double> m:
                return new() { ["text/html"] = MatrixHtml(m), ["text/plain"] = m.ToString() };
            case Vector<double> v:
                return new() { ["text/html"] = VectorHtml(v), ["text/plain"] = PlainText(v) };
            case HtmlString h:
                return new() { ["text/html"] = h.Html, ["text/plain"] = h.Html };
            case string s:
                return new() { ["text/plain"] = s };
            case IDictionary d:
                return new() { ["text/html"] = DictionaryHtml(d), ["text/plain"] = PlainText(d) };
            case IEnumerable e when !IsScalar(value):
                var items = e.Cast<object?>().Take(MaxItems + 1).ToList();
                if (items.Any(x => x is not null && !IsScalar(x) && !HasNoMembers(x)))
                    return new() { ["text/html"] = RowsHtml(items), ["text/plain"] = PlainText(value) };
                return new() { ["text/plain"] = PlainText(value) };
            default:
                if (IsScalar(value) || HasNoMembers(value)) return new() { ["text/plain"] = PlainText(value) };
                return new() { ["text/html"] = ObjectHtml(value), ["text/plain"] = PlainText(value) };
        }
    }

    /// <summary>How many items of a sequence are shown (.NET Interactive shows 20, then "... (more)").</summary>
    const int MaxItems = 20;

    /// <summary>The library's own chart type (<c>lib/Companion</c>, loaded by the notebook's <c>#r</c>, not referenced here).</summary>
    const string CompanionChart = "Companion.Charts.Chart";

    static string CompanionChartFragment(object chart) =>
        (string)chart.GetType().GetMethod("ToHtmlFragment", Type.EmptyTypes)!.Invoke(chart, null)!;

    Dictionary<string, string> ChartBundle(string fragment, string text)
    {
        if (charts == ChartOutput.InlineOnce) return new() { ["text/html"] = ChartHtml(fragment), ["text/plain"] = text };
        var bundle = new Dictionary<string, string> { ["text/html"] = ChartLoader.Html(fragment), ["text/plain"] = text };
        if (ChartLoader.FigureJson(fragment) is { } json) bundle[ChartLoader.PlotlyMimeType] = json;
        return bundle;
    }

    string ChartHtml(string fragment)
    {
        if (plotlyEmitted) return fragment;
        plotlyEmitted = true;
        return $"{PlotlyJs.InlineScript}\n{fragment}";
    }

    /// <summary>Values shown by their own text: numbers, strings, booleans, enums, dates, and the like.</summary>
    static bool IsScalar(object value) => value is string || value is not IEnumerable && value is IFormattable or bool or char or Type or Uri or Guid or System.Numerics.Complex
        || value.GetType().IsPrimitive || value.GetType().IsEnum;

    /// <summary>Objects with no public property or field worth a table (their ToString is all there is).</summary>
    static bool HasNoMembers(object value) => value is Delegate or Exception or System.Reflection.MemberInfo || Members(value.GetType()).Count == 0;

    static List<MemberInfo> Members(Type t) =>
    [
        .. t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Cast<MemberInfo>(),
        .. t.GetFields(BindingFlags.Public | BindingFlags.Instance),
    ];

    static object? Get(MemberInfo m, object o)
    {
        try
        {
            return m is PropertyInfo p ? p.GetValue(o) : ((FieldInfo)m).GetValue(o);
        }
        catch (TargetInvocationException e)
        {
            return $"<{e.InnerException?.GetType().Name}: {e.InnerException?.Message}>";
        }
    }

    /// <summary>
    /// Plain text as .NET Interactive writes it: strings as they are, numbers in the invariant culture, every sequence as
    /// <c>[ a, b, c ]</c> (20 items, then <c>... (more)</c>), dictionaries as <c>{ k: v, … }</c>, an object that does not
    /// override ToString as <c>Type { A = 1, B = 2 }</c>, anything else by its ToString.
    /// </summary>
    public static string PlainText(object value) => PlainText(value, 0);

    static string PlainText(object? value, int depth)
    {
        switch (value)
        {
            case null: return "<null>";
            case string s: return s;
            case IFormattable f when value.GetType().IsPrimitive || value is decimal:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case IDictionary d:
                var pairs = Entries(d).Take(MaxItems + 1).ToList();
                return "{ " + string.Join(", ", pairs.Take(MaxItems).Select(p => $"{PlainText(p.Key, depth + 1)}: {PlainText(p.Value, depth + 1)}"))
                    + (pairs.Count > MaxItems ? ", ... (more)" : "") + " }";
            case IEnumerable e when !IsScalar(value):
                if (depth > 2) return "[ ... ]";
                var items = e.Cast<object?>().Take(MaxItems + 1).ToList();
                if (items.Count == 0) return "[  ]";
                return "[ " + string.Join(", ", items.Take(MaxItems).Select(x => PlainText(x, depth + 1)))
                    + (items.Count > MaxItems ? ", ... (more)" : "") + " ]";
            default:
                var type = value.GetType();
                bool ownToString = type.GetMethod("ToString", Type.EmptyTypes)?.DeclaringType is { } dt && dt != typeof(object) && dt != typeof(ValueType);
                if (ownToString || IsScalar(value) || depth > 2) return value.ToString() ?? type.Name;
                var members = Members(type);
                if (members.Count == 0) return value.ToString() ?? type.Name;
                return $"{TypeName(type)} {{ {string.Join(", ", members.Select(m => $"{m.Name} = {PlainText(Get(m, value), depth + 1)}"))} }}";
        }
    }

    /// <summary>A type's name as a reader knows it (script submission wrappers removed).</summary>
    static string TypeName(Type t) => System.Text.RegularExpressions.Regex.Replace(t.FullName ?? t.Name, @"^Submission#\d+\+", "");

    static string Cell(object? v) => "<td>" + WebUtility.HtmlEncode(PlainText(v, 1)) + "</td>";

    /// <summary>An object: one row per public property and field (name, value), as .NET Interactive's object table.</summary>
    static string ObjectHtml(object value)
    {
        var sb = new StringBuilder("<details open=\"open\" class=\"dni-treeview\"><summary><span class=\"dni-code-hint\"><code>")
            .Append(WebUtility.HtmlEncode(PlainText(value))).Append("</code></span></summary><div><table><thead><tr></tr></thead><tbody>");
        foreach (var m in Members(value.GetType()))
            sb.Append("<tr><td>").Append(WebUtility.HtmlEncode(m.Name)).Append("</td>").Append(Cell(Get(m, value))).Append("</tr>");
        return sb.Append("</tbody></table></div></details>").ToString();
    }

    /// <summary>A sequence of objects: a column per public member (the union over the items) and a row per item.</summary>
    static string RowsHtml(List<object?> items)
    {
        var shown = items.Take(MaxItems).ToList();
        var columns = shown.Where(x => x is not null && !IsScalar(x)).SelectMany(x => Members(x!.GetType()))
            .Select(m => m.Name).Distinct().ToList();
        var sb = new StringBuilder("<table><thead><tr><td><span>index</span></td>");
        bool anyScalar = shown.Any(x => x is null || IsScalar(x));
        if (anyScalar) sb.Append("<td><span>value</span></td>");
        foreach (var c in columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        for (int i = 0; i < shown.Count; i++)
        {
            var x = shown[i];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{i}</td>");
            if (anyScalar) sb.Append(x is null || IsScalar(x) ? Cell(x) : "<td></td>");
            foreach (var c in columns)
            {
                var m = x is null || IsScalar(x) ? null : Members(x.GetType()).FirstOrDefault(mm => mm.Name == c);
                sb.Append(m is null ? "<td></td>" : Cell(Get(m, x!)));
            }
            sb.Append("</tr>");
        }
        if (items.Count > MaxItems) sb.Append("<tr><td colspan=\"99\">... (more)</td></tr>");
        return sb.Append("</tbody></table>").ToString();
    }

    static IEnumerable<DictionaryEntry> Entries(IDictionary d)
    {
        var e = d.GetEnumerator();
        while (e.MoveNext()) yield return e.Entry;
    }

    /// <summary>A dictionary: a key column and a value column.</summary>
    static string DictionaryHtml(IDictionary d)
    {
        var sb = new StringBuilder("<table><thead><tr><th><i>key</i></th><th>value</th></tr></thead><tbody>");
        int n = 0;
        foreach (var p in Entries(d))
        {
            if (n++ == MaxItems) { sb.Append("<tr><td colspan=\"2\">... (more)</td></tr>"); break; }
            sb.Append("<tr>").Append(Cell(p.Key)).Append(Cell(p.Value)).Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
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

/// <summary>How chart outputs get plotly.js.</summary>
public enum ChartOutput
{
    /// <summary>The first chart of a session carries plotly.js inline, later ones are fragments that use it: an executed
    /// notebook (the runner's) draws offline as a whole.</summary>
    InlineOnce,

    /// <summary>Every chart stands alone (<see cref="ChartLoader"/>): for a live front end, where outputs are re-run,
    /// saved and reopened one by one.</summary>
    Standalone,
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

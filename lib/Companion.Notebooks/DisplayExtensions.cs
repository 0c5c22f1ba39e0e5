namespace Companion.Notebooks.Interactive;

/// <summary>
/// .NET Interactive's display extension methods (<c>Microsoft.DotNet.Interactive.DisplayExtensions</c>), imported in
/// every session: <c>x.Display()</c> shows a value as an output of the running cell (optionally only some MIME types of
/// its formatted bundle), <c>"&lt;b&gt;hi&lt;/b&gt;".DisplayAs("text/html")</c> shows a string as the given MIME type.
/// Both return a handle whose <c>Update</c> replaces that output.
/// </summary>
public static class DisplayExtensions
{
    /// <summary>Shows <paramref name="value"/> formatted as the cell's trailing value would be; with
    /// <paramref name="mimeTypes"/>, only those MIME types (a type the formatter did not produce is filled with the
    /// value's text: HTML-escaped for <c>text/html</c>).</summary>
    public static DisplayHandle Display(this object? value, params string[] mimeTypes)
    {
        var kernel = Kernel();
        Dictionary<string, string> Bundle(object? v)
        {
            var all = kernel.Formatter.Format(v);
            if (mimeTypes.Length == 0) return all;
            var text = all.TryGetValue("text/plain", out var t) ? t : "";
            return mimeTypes.Distinct(StringComparer.Ordinal).ToDictionary(m => m, m => all.TryGetValue(m, out var x) ? x
                : m == "text/html" ? $"<pre>{System.Net.WebUtility.HtmlEncode(text)}</pre>" : text);
        }
        var id = Guid.NewGuid().ToString("N");
        kernel.ShowBundle(Bundle(value), id);
        return new DisplayHandle(id, (v, displayId) => kernel.UpdateBundle(Bundle(v), displayId));
    }

    /// <summary>Shows <paramref name="value"/> as MIME type <paramref name="mimeType"/> (e.g. <c>text/html</c>,
    /// <c>text/markdown</c>, <c>image/svg+xml</c>); a type other than HTML also gets the text as <c>text/plain</c>.</summary>
    public static DisplayHandle DisplayAs(this string value, string mimeType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        var kernel = Kernel();
        Dictionary<string, string> Bundle(object? v)
        {
            var text = v as string ?? (v is null ? "<null>" : ValueFormatter.PlainText(v));
            var bundle = new Dictionary<string, string> { [mimeType] = text };
            if (mimeType is not ("text/html" or "text/plain")) bundle["text/plain"] = text;
            return bundle;
        }
        var id = Guid.NewGuid().ToString("N");
        kernel.ShowBundle(Bundle(value), id);
        return new DisplayHandle(id, (v, displayId) => kernel.UpdateBundle(Bundle(v), displayId));
    }

    static SubmissionRunner Kernel() => CurrentKernel.Kernel
        ?? throw new InvalidOperationException("Display()/DisplayAs() work only inside a running notebook cell");
}

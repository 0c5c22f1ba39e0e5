using System.Reflection;
using System.Runtime.CompilerServices;

namespace Companion.Charts;

/// <summary>
/// Makes charts display as drawn HTML under .NET Interactive (Polyglot Notebooks) for users who still have that kernel:
/// when its <c>Microsoft.DotNet.Interactive.Formatting.Formatter</c> is loaded, an HTML formatter for
/// <see cref="Chart"/> is registered (plotly.js inlined with the first chart, fragments after, so it works
/// offline). This project's own engine formats charts itself; there, nothing happens.
/// </summary>
public static class DotNetInteractiveDisplay
{
    const string FormatterType = "Microsoft.DotNet.Interactive.Formatting.Formatter";
    static readonly Lock Gate = new();
    static readonly string[] HtmlOnly = ["text/html"];
    static bool plotlyEmitted;

#pragma warning disable CA2255 // a library module initializer on purpose: it must run when a notebook's #r loads this assembly
    [ModuleInitializer]
    internal static void OnLoad() => Register();
#pragma warning restore CA2255

    /// <summary>Registers the chart formatter if .NET Interactive's formatter is loaded; true when it was.</summary>
    public static bool Register()
    {
        var formatter = AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetType(FormatterType, throwOnError: false))
            .FirstOrDefault(t => t is not null);
        var register = formatter?.GetMethod("Register", BindingFlags.Public | BindingFlags.Static, [typeof(Type), typeof(Action<object, TextWriter>), typeof(string)]);
        if (formatter is null || register is null) return false;
        register.Invoke(null, [typeof(Chart), (Action<object, TextWriter>)WriteHtml, "text/html"]);
        formatter.GetMethod("SetPreferredMimeTypesFor", BindingFlags.Public | BindingFlags.Static)
            ?.Invoke(null, [typeof(Chart), HtmlOnly]);
        return true;
    }

    static void WriteHtml(object chart, TextWriter writer)
    {
        lock (Gate)
        {
            if (!plotlyEmitted)
            {
                writer.Write("<script type=\"text/javascript\">");
                writer.Write(Chart.PlotlyJs);
                writer.Write("</script>");
                plotlyEmitted = true;
            }
        }
        writer.Write(((Chart)chart).ToHtmlFragment());
    }
}

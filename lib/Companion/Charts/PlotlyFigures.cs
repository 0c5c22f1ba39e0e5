using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;

namespace Companion.Charts;

/// <summary>
/// Runs the chart builder (<c>Companion.Plotly.dll</c>: Plotly.NET 6.0.0 with the house style) in an isolated
/// <see cref="AssemblyLoadContext"/> that loads it, Plotly.NET and Plotly.NET's own FSharp.Core (≥ 10.1.403) from
/// <c>bin/plotly/</c> beside <c>Companion.dll</c>. Whatever FSharp.Core the host has loaded — .NET Interactive 1.0.712001
/// has 10.0 loaded for its F# kernel, and .NET will not bind a 10.1 reference to it — the builder gets its own, in
/// every host alike (this project's engine and tests too). Only BCL types and <see cref="Chart"/> cross the boundary.
/// </summary>
internal static class PlotlyFigures
{
    /// <summary>Folder of the builder and its dependencies, relative to Companion.dll.</summary>
    internal const string FolderName = "plotly";

    const string BuilderAssembly = "Companion.Plotly";
    const string BuilderType = "Companion.Plotly.Figures";

    static readonly Lazy<Type> Builder = new(Load);
    static readonly Lazy<string> PlotlyJsText = new(() => (string)Invoke("PlotlyJs")!);

    /// <summary>The minified plotly.js embedded in Plotly.NET.</summary>
    internal static string PlotlyJs => PlotlyJsText.Value;

    /// <summary>The load context the builder runs in (for tests).</summary>
    internal static AssemblyLoadContext Context => AssemblyLoadContext.GetLoadContext(Builder.Value.Assembly)!;

    /// <summary>Calls the builder's static method <paramref name="method"/> and wraps the figure it returns.</summary>
    internal static Chart Call(string method, params object?[] args) => new(Invoke(method, args)!);

    /// <summary>Calls a builder method that returns a BCL value (a colour, nothing).</summary>
    internal static object? Value(string method, params object?[] args) => Invoke(method, args);

    /// <summary>Calls a builder method that returns text.</summary>
    internal static string Text(string method, object figure) => (string)Invoke(method, figure)!;

    static object? Invoke(string method, params object?[] args)
    {
        var m = Builder.Value.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(BuilderType, method);
        try
        {
            return m.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException); // the builder's ArgumentException, as if thrown here
            throw;
        }
    }

    static Type Load()
    {
        var folder = Folder();
        var context = new IsolatedContext(folder);
        var assembly = context.LoadFromAssemblyPath(Path.Combine(folder, BuilderAssembly + ".dll"));
        return assembly.GetType(BuilderType, throwOnError: true)!;
    }

    /// <summary>
    /// <c>plotly/</c> beside Companion.dll (a notebook's <c>#r "…/lib/Companion/bin/Companion.dll"</c>), else the folder
    /// the library was built into (a copy of Companion.dll in a test or tool output folder).
    /// </summary>
    static string Folder()
    {
        var asm = typeof(PlotlyFigures).Assembly;
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(asm.Location))
        {
            candidates.Add(Path.Combine(Path.GetDirectoryName(asm.Location)!, FolderName));
        }
        candidates.Add(Path.Combine(AppContext.BaseDirectory, FolderName));
        if (asm.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "CompanionPlotlyFolder")?.Value is { } built)
        {
            candidates.Add(built);
        }
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, BuilderAssembly + ".dll")))
            ?? throw new FileNotFoundException(
                $"Companion charts: {BuilderAssembly}.dll (Plotly.NET and its FSharp.Core) not found in any of: " +
                string.Join(", ", candidates) + ". Build the library: dotnet build lib/Companion");
    }

    /// <summary>Loads every assembly found in the folder from there (FSharp.Core included); the rest from the host.</summary>
    sealed class IsolatedContext(string folder) : AssemblyLoadContext("Companion.Plotly")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}

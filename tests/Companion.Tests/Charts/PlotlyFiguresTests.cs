using System.Runtime.Loader;
using Companion.Charts;

namespace Companion.Tests.Charts;

/// <summary>
/// The chart builder runs in its own load context: Plotly.NET and the FSharp.Core it needs are loaded there, so a host
/// whose default context holds another FSharp.Core (.NET Interactive 1.0.712001 has 10.0) still draws charts.
/// </summary>
public class PlotlyFiguresTests
{
    /// <summary>Plotly.NET 6.0.0 is built against FSharp.Core 10.1 (its nuspec asks for ≥ 10.1.403).</summary>
    private static readonly Version PlotlyFSharpCore = new(10, 1, 0, 0);

    [Fact]
    public void Plotly_NET_and_its_FSharp_Core_load_in_the_isolated_context_only()
    {
        _ = Plot.Lines("t", "x", "y", [new Series("s", [1.0, 2.0], [3.0, 5.0])]).ToFigureJson();
        var loaded = AppDomain.CurrentDomain.GetAssemblies();
        var plotly = loaded.Where(a => a.GetName().Name == "Plotly.NET").ToList();
        Assert.NotEmpty(plotly);
        Assert.All(plotly, a => Assert.Equal("Companion.Plotly", AssemblyLoadContext.GetLoadContext(a)!.Name));
        var fsharp = loaded.Single(a => a.GetName().Name == "FSharp.Core"
            && AssemblyLoadContext.GetLoadContext(a)!.Name == "Companion.Plotly");
        Assert.True(fsharp.GetName().Version >= PlotlyFSharpCore, $"FSharp.Core {fsharp.GetName().Version} in the isolated context");
        Assert.DoesNotContain(loaded, a => a.GetName().Name == "Plotly.NET" && AssemblyLoadContext.GetLoadContext(a) == AssemblyLoadContext.Default);
    }

    [Fact]
    public void Builder_errors_arrive_as_the_builders_own_ArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Histogram("h", "x", "n", [("g", [1.0, 2.0])], bins: 0));
        Assert.Contains("bins must be ≥ 1", e.Message);
    }

    [Fact]
    public void Chart_text_names_its_title_and_plotly_js_is_the_embedded_v2()
    {
        Assert.Equal("Plotly chart: Loss", Plot.Lines("Loss", "x", "y", [new Series("s", [1.0], [2.0])]).ToString());
        Assert.Contains("plotly.js v2.28.0", Chart.PlotlyJs[..1000]);
    }
}

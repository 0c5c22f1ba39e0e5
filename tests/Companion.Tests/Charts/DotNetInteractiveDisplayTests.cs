using Companion.Charts;
using Microsoft.DotNet.Interactive.Formatting;

namespace Companion.Tests.Charts;

/// <summary>Against .NET Interactive's real formatter package: charts format as drawable, offline HTML.</summary>
public class DotNetInteractiveDisplayTests
{
    [Fact]
    public void Charts_format_as_plotly_html_under_dotnet_interactive()
    {
        _ = Formatter.DefaultMimeType;
        Assert.True(DotNetInteractiveDisplay.Register());
        var chart = Plot.Lines("t", "x", "y", [new Series("s", [1.0, 2.0], [3.0, 5.0])]);
        var first = Formatter.ToDisplayString(chart, "text/html");
        var second = Formatter.ToDisplayString(chart, "text/html");
        Assert.Contains("Plotly.newPlot", first);
        Assert.Contains("\"y\":[3.0,5.0]", second);
        Assert.True(first.Length > 3_000_000 || second.Length < 100_000, "plotly.js is inlined at most once");
        Assert.DoesNotContain("plotly.js v2", second);
    }
}

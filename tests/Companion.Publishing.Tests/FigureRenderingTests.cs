using System.Diagnostics;
using Companion.Publishing;
using Companion.Runner;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Publishing.Tests;

/// <summary>Figures written by the runner draw in a real headless Chromium with no network (.ci/run installs chromium).</summary>
public class FigureRenderingTests
{
    static string Chromium() =>
        ChromiumRenderer.Find() ?? throw new InvalidOperationException("chromium is not installed (apt-get install chromium); .ci/run installs it");

    /// <summary>Without chromium the test reports itself skipped, and why; with CI=true a missing chromium is a failure.</summary>
    static void RequireChromium()
    {
        bool has = ChromiumRenderer.Find() is not null;
        Assert.True(has || Environment.GetEnvironmentVariable("CI") != "true", "CI=true: chromium must be installed (.ci/run installs it)");
        Skip.IfNot(has, "skipped: chromium is not installed (apt-get install chromium); figures are still written as HTML");
    }

    /// <summary>The DOM after scripts ran, as Chromium serialises it, with networking disabled.</summary>
    static string DumpDom(string html)
    {
        var profile = Directory.CreateTempSubdirectory("nbtest-chromium-");
        var psi = new ProcessStartInfo(Chromium()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                     "--no-first-run", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
                     "--proxy-server=http://127.0.0.1:9", "--virtual-time-budget=5000", "--dump-dom", new Uri(html).AbsoluteUri })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        var dom = p.StandardOutput.ReadToEnd();
        p.WaitForExit(60_000);
        profile.Delete(true);
        return dom;
    }

    [SkippableFact]
    public async Task Figure_files_and_pages_draw_the_chart_offline_and_png_is_written()
    {
        var dir = TempDir();
        var path = Save(Make("md:# Chart\n\n$x^2$", "Plotly.NET.CSharp.Chart.Line<double, double, string>(new double[] { 1, 2, 3 }, new double[] { 1, 4, 9 }, Name: \"squares\")"), dir);
        var outDir = Path.Combine(dir, "out");
        RequireChromium();
        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([path, "-o", outDir, "--png"]), new StringWriter());
        Assert.Equal(0, code);
        var figure = Path.Combine(outDir, "figures", "test", "cell02-1.html");
        foreach (var html in new[] { figure, Path.Combine(outDir, "test.html") })
        {
            var dom = DumpDom(html);
            Assert.Contains("class=\"main-svg\"", dom);
            Assert.Contains("js-line", dom);
        }
        var png = Path.ChangeExtension(figure, ".png");
        Assert.True(File.Exists(png) && new FileInfo(png).Length > 5_000, "the PNG of the figure is written");
    }
}

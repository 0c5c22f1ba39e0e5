using System.Diagnostics;
using Companion.Notebooks;
using Companion.Publishing;
using Companion.Runner;
using Companion.Testing;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Publishing.Tests;

/// <summary>Figures written by the runner draw in a real headless Chromium with no network (.ci/run installs chromium).</summary>
public class FigureRenderingTests
{
    /// <summary>The DOM after scripts ran, as Chromium serialises it, with networking disabled.</summary>
    internal static string DumpDom(string html)
    {
        var profile = Directory.CreateTempSubdirectory("nbtest-chromium-");
        var psi = new ProcessStartInfo(ToolRequirements.Chromium()) { RedirectStandardOutput = true, RedirectStandardError = true };
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

    /// <summary>The width and height a PNG file says it has (its IHDR chunk); throws when it is not a PNG.</summary>
    static (int Width, int Height) PngSize(byte[] png)
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.Length > 24 && png.AsSpan(0, 8).SequenceEqual(signature), "a PNG signature");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>A PNG this small or smaller is blank (a blank screenshot compresses to a few kB).</summary>
    const int BlankPngBytes = 5_000;

    [SkippableFact]
    public async Task Figure_files_and_pages_draw_the_chart_offline_and_the_executed_notebook_carries_its_png()
    {
        var dir = TempDir();
        var path = Save(Make("md:# Chart\n\n$x^2$\n\n## Squares", "var squares = 3;",
            "Plotly.NET.CSharp.GenericChartExtensions.WithSize(Plotly.NET.CSharp.Chart.Line<double, double, string>(new double[] { 1, 2, 3 }, new double[] { 1, 4, 9 }, Name: \"squares\"), 700, 450)"), dir);
        var sourceBytes = File.ReadAllBytes(path);
        var outDir = Path.Combine(dir, "out");
        ToolRequirements.Chromium();
        var log = new StringWriter();
        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([path, "-o", outDir, "--png"]), log);
        Assert.Equal(0, code);
        Assert.Equal(sourceBytes, File.ReadAllBytes(path));  // the source notebook is never modified

        // The figure file is a fragment that loads the output folder's one plotly.js, and still draws offline.
        var figure = Path.Combine(outDir, "figures", "test", "cell03-1.html");
        Assert.Contains("<script src=\"../../assets/plotly.min.js\"></script>", File.ReadAllText(figure));
        Assert.True(new FileInfo(figure).Length < PlotlyJs.Source.Length / 10, "the figure file does not carry its own plotly.js");
        var page = Path.Combine(outDir, "test.html");
        foreach (var html in new[] { figure, page })
        {
            var dom = DumpDom(html);
            Assert.Contains("class=\"main-svg\"", dom);
            Assert.Contains("js-line", dom);
        }
        var pageDom = DumpDom(page);
        Assert.Contains("<span class=\"hljs-keyword\">var</span>", pageDom);
        Assert.Contains("class=\"katex\"", pageDom);

        // The executed notebook: the chart's bundle holds image/png beside text/html, the same picture as the PNG file.
        var png = File.ReadAllBytes(Path.ChangeExtension(figure, ".png"));
        var output = NotebookFile.Read(Path.Combine(outDir, "test.ipynb")).Cells[2].Outputs.Single();
        var data = output["data"]!.AsObject();
        Assert.NotNull(data["text/html"]);
        var embedded = Convert.FromBase64String(Outputs.Text(data["image/png"]));
        Assert.Equal(png, embedded);
        var (w, h) = PngSize(embedded);
        Assert.InRange(w, 700, 740);  // the chart's 700×450 layout, plus the window's margin
        Assert.InRange(h, 450, 490);
        Assert.True(embedded.Length > BlankPngBytes, $"the PNG ({embedded.Length} bytes) is not blank");

        // The chart's HTML itself carries the picture: a viewer without JavaScript shows it; with JavaScript the chart
        // draws and the picture is removed.
        var chartHtml = Outputs.Text(data["text/html"]);
        Assert.Contains($"src=\"data:image/png;base64,{Outputs.Text(data["image/png"])}\"", chartHtml);
        var alone = Path.Combine(dir, "chart-output.html");
        File.WriteAllText(alone, "<!DOCTYPE html><html><body>" + chartHtml + "</body></html>");
        var withJs = DumpDom(alone);
        Assert.Contains("class=\"main-svg\"", withJs);
        Assert.DoesNotContain("<img id=\"nbrun-png-", withJs);
        // As a sanitising viewer (GitHub, untrusted VS Code/Jupyter) shows it: every script element removed.
        var sanitised = Path.Combine(dir, "chart-output-sanitised.html");
        File.WriteAllText(sanitised, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(alone), "<script.*?</script>", "",
            System.Text.RegularExpressions.RegexOptions.Singleline));
        var withoutJs = DumpDom(sanitised);
        Assert.Contains("<img id=\"nbrun-png-", withoutJs);
        Assert.DoesNotContain("class=\"main-svg\"", withoutJs);
        Assert.Contains("figures (PNG/all): 1 of 1 charts carry a PNG in the executed notebooks", log.ToString());
        Assert.Matches(@"output folder .*: [0-9.]+ MB \(executed notebooks", log.ToString());
    }

    [Fact]
    public async Task Without_png_the_closing_summary_says_the_charts_have_no_picture()
    {
        var dir = TempDir();
        var path = Save(Make("Plotly.NET.CSharp.Chart.Line<double, double, string>(new double[] { 1, 2 }, new double[] { 1, 4 })"), dir);
        var log = new StringWriter();
        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([path, "-o", Path.Combine(dir, "out"), "--no-pages"]), log);
        Assert.Equal(0, code);
        Assert.Contains("figures (PNG/all): no PNGs (--png not given): the executed notebooks' 1 charts show only where JavaScript runs", log.ToString());
        var data = NotebookFile.Read(Path.Combine(dir, "out", "test.ipynb")).Cells[0].Outputs.Single()["data"]!.AsObject();
        Assert.Null(data["image/png"]);
    }
}

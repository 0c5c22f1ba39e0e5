using System.Diagnostics;
using System.Security.Cryptography;
using Companion.Notebooks;
using Companion.Runner;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>The runner end to end: folders in, executed notebooks, pages, figures and a report out.</summary>
public class NotebookRunnerTests
{
    const string ChartCell = "var c = Plotly.NET.CSharp.Chart.Line<double, double, string>(new double[] { 1, 2 }, new double[] { 3, 4 });\nc";

    static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Folder_run_writes_copies_pages_figures_and_reports_the_failing_cell()
    {
        var src = TempDir();
        var good = Save(Make("md:# Good", "var x = 2;", ChartCell, "display(c);\nx"), src, "hw/good.ipynb");
        var bad = Save(Make("var y = 1;", "var z = y / 0;"), src, "hw/bad.ipynb");
        var (goodHash, badHash) = (Hash(good), Hash(bad));
        var outDir = Path.Combine(TempDir(), "out");
        var log = new StringWriter();

        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([src, "-o", outDir]), log);

        var text = log.ToString();
        Assert.Equal(1, code);
        Assert.Equal(goodHash, Hash(good));
        Assert.Equal(badHash, Hash(bad));
        Assert.Contains("FAILED hw/bad.ipynb: Cell 2, line 1: System.DivideByZeroException", text);
        Assert.Contains("1 of 2 notebooks ok", text);
        var executed = NotebookFile.Read(Path.Combine(outDir, "hw", "good.ipynb"));
        Assert.Equal(3, executed.Cells[3].ExecutionCount);
        Assert.True(File.Exists(Path.Combine(outDir, "hw", "good.html")));
        Assert.True(File.Exists(Path.Combine(outDir, "hw", "bad.html")));
        Assert.True(File.Exists(Path.Combine(outDir, "index.html")));
        var figures = Directory.GetFiles(Path.Combine(outDir, "figures", "hw", "good"), "*.html").Order().ToArray();
        Assert.Equal(["cell03-1.html", "cell04-1.html"], figures.Select(Path.GetFileName));
        foreach (var f in figures)
        {
            var html = File.ReadAllText(f);
            // One plotly.js per output folder, loaded by a relative address (so the file opens offline by double-click).
            Assert.Contains("<script src=\"../../../assets/plotly.min.js\"></script>", html);
            Assert.DoesNotContain("src=\"http", html);
        }
        Assert.Contains("plotly.js v2.28.0", File.ReadAllText(Path.Combine(outDir, "assets", "plotly.min.js")));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Parameters_and_inplace()
    {
        var dir = TempDir();
        var nb = Make("var n = 1;", "n * 10");
        nb.Cells[0].Metadata["tags"] = new System.Text.Json.Nodes.JsonArray("parameters");
        var path = Save(nb, dir);
        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([path, "-p", "n=4", "--inplace", "--no-pages"]), new StringWriter());
        Assert.Equal(0, code);
        var done = NotebookFile.Read(path);
        Assert.Equal("40", Text(done.Cells[1], 0));
    }

    [Fact]
    public async Task Malformed_notebook_fails_that_notebook_only()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "a.ipynb"), "{ nope");
        Save(Make("1"), dir, "b.ipynb");
        var log = new StringWriter();
        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([dir, "-o", Path.Combine(dir, "out"), "--no-pages"]), log);
        Assert.Equal(1, code);
        Assert.Contains("a.ipynb: not valid JSON", log.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "out", "b.ipynb")));
        Assert.Equal("{ nope", File.ReadAllText(Path.Combine(dir, "a.ipynb")));
    }

    [Theory]
    [InlineData(new string[0], "no notebook or folder given")]
    [InlineData(new[] { "x.ipynb", "--timeout", "soon" }, "--timeout expects a positive number")]
    [InlineData(new[] { "x.ipynb", "-p", "novalue" }, "-p expects NAME=VALUE")]
    [InlineData(new[] { "x.ipynb", "--frobnicate" }, "unknown option --frobnicate")]
    [InlineData(new[] { "x.ipynb", "--timeout", "NaN" }, "--timeout expects a positive number")]
    [InlineData(new[] { "x.ipynb", "--timeout", "1e300" }, "--timeout expects a positive number")]
    [InlineData(new[] { "x.ipynb", "--timeout", "Infinity" }, "--timeout expects a positive number")]
    [InlineData(new[] { "x.ipynb", "--shard", "3/2" }, "--shard expects I/N")]
    [InlineData(new[] { "x.ipynb", "--shard", "0/2" }, "--shard expects I/N")]
    [InlineData(new[] { "merge", "-o", "site" }, "merge: no shard output folder given")]
    public void Bad_usage_is_explained(string[] args, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => RunnerOptions.Parse(args));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_nbrun_program_exits_2_on_a_missing_input()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "nbrun.dll"), "/nonexistent/folder" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("no such notebook or folder: /nonexistent/folder", err);
    }
}

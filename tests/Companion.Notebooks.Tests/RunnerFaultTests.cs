using System.Diagnostics;
using System.Text.Json.Nodes;
using Companion.Notebooks;
using Companion.Runner;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>Hostile input and faults: each fails its notebook with a named error, and the run goes on to its summary.</summary>
public class RunnerFaultTests
{
    static async Task<(int Code, string Log)> Run(params string[] args)
    {
        var log = new StringWriter();
        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse(args), log);
        return (code, log.ToString());
    }

    static string Good(string dir, string name = "good.ipynb") => Save(Make("6 * 7"), dir, name);

    [Theory]
    [InlineData("""{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","id":7,"metadata":{},"outputs":[],"source":"1"}]}""",
        "cell 1: \"id\" must be a string, not 7")]
    [InlineData("""{"nbformat":4,"nbformat_minor":5,"metadata":{},"metadata":{},"cells":[]}""", "not valid JSON: Duplicate property 'metadata'")]
    [InlineData("""{"nbformat":4,"nbformat_minor":5,"metadata":{"kernelspec":{"name":"python3","language":"python"}},"cells":[]}""",
        "this notebook's kernel is python, not C#")]
    public async Task A_bad_notebook_fails_with_a_named_error_and_the_run_goes_on(string json, string expected)
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "bad.ipynb"), json);
        Good(dir);
        var outDir = Path.Combine(TempDir(), "out");
        var (code, log) = await Run(dir, "-o", outDir, "--no-pages");
        Assert.Equal(1, code);
        Assert.Contains("bad.ipynb", log);
        Assert.Contains(expected, log);
        Assert.Contains("1 of 2 notebooks ok", log);
        Assert.True(File.Exists(Path.Combine(outDir, "good.ipynb")));
    }

    [Fact]
    public void A_json_error_gives_its_position_once()
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Parse("{\n \"cells\": [\n  {,\n ]}", "x.ipynb"));
        Assert.Contains("not valid JSON (line 3, byte 4)", e.Message);
        Assert.DoesNotContain("LineNumber", e.Message);
    }

    [Fact]
    public async Task Output_that_is_a_file_or_that_would_replace_a_source_is_refused()
    {
        var dir = TempDir();
        var path = Good(dir);
        var before = File.ReadAllText(path);
        var file = Path.Combine(dir, "not-a-folder");
        File.WriteAllText(file, "x");
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Run(path, "-o", file));
        Assert.Contains("that is a file", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => Run(dir, "-o", dir));
        Assert.Contains("would replace a source notebook", e.Message);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public async Task A_text_file_is_refused_as_not_a_notebook()
    {
        var dir = TempDir();
        var txt = Path.Combine(dir, "readme.txt");
        File.WriteAllText(txt, "hello");
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Run(txt, "-o", Path.Combine(dir, "out")));
        Assert.Contains("readme.txt: not a notebook", e.Message);
    }

    [Fact]
    public async Task Notebooks_with_the_same_name_in_two_folders_keep_their_relative_paths()
    {
        var dir = TempDir();
        var a = Save(Make("1"), dir, "x/t.ipynb");
        var b = Save(Make("2"), dir, "y/t.ipynb");
        var outDir = Path.Combine(TempDir(), "out");
        var (code, _) = await Run(a, b, "-o", outDir, "--no-pages");
        Assert.Equal(0, code);
        Assert.Equal("1", Text(NotebookFile.Read(Path.Combine(outDir, "x", "t.ipynb")).Cells[0], 0));
        Assert.Equal("2", Text(NotebookFile.Read(Path.Combine(outDir, "y", "t.ipynb")).Cells[0], 0));
    }

    [Fact]
    public async Task An_output_folder_inside_the_input_folder_is_not_run_again()
    {
        var dir = TempDir();
        Good(dir);
        var outDir = Path.Combine(dir, "results");
        await Run(dir, "-o", outDir, "--no-pages");
        Assert.True(File.Exists(Path.Combine(outDir, "good.ipynb")));
        var (_, log) = await Run(dir, "-o", Path.Combine(dir, "results2"), "--no-pages");
        Assert.Contains("1 of 1 notebooks ok", log);
    }

    [Fact]
    public async Task A_write_failure_fails_that_notebook_and_leaves_no_mixed_pair()
    {
        var dir = TempDir();
        Save(Make("1"), dir, "a.ipynb");
        Good(dir, "b.ipynb");
        var outDir = Path.Combine(TempDir(), "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "a.html"), "<html>a page from an older run</html>");
        Directory.CreateDirectory(Path.Combine(outDir, "a.ipynb")); // the executed copy cannot be written there
        var (code, log) = await Run(dir, "-o", outDir);
        Assert.Equal(1, code);
        Assert.Contains("a.ipynb: could not write its outputs", log);
        Assert.False(File.Exists(Path.Combine(outDir, "a.html")), "the older page must not stay beside a failed write");
        Assert.True(File.Exists(Path.Combine(outDir, "b.ipynb")));
        Assert.Contains("1 of 2 notebooks ok", log);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp-*", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public async Task A_full_disk_fails_that_notebook_and_the_run_reports_it()
    {
        var dir = TempDir();
        Save(Make("Plotly.NET.CSharp.Chart.Line<double, double, string>(new double[] { 1, 2 }, new double[] { 3, 4 })"), dir, "chart.ipynb");
        var outDir = Path.Combine(TempDir(), "full");
        Directory.CreateDirectory(outDir);
        var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", outDir])!;
        mount.WaitForExit();
        Skip.If(mount.ExitCode != 0, "a small tmpfs cannot be mounted here (needs root with CAP_SYS_ADMIN); the full-disk path is the same " +
            "IOException path as A_write_failure_fails_that_notebook_and_leaves_no_mixed_pair");
        try
        {
            var (code, log) = await Run(dir, "-o", outDir);
            Assert.Equal(1, code);
            Assert.Contains("chart.ipynb: could not write its outputs", log);
            Assert.Contains("0 of 1 notebooks ok", log);
            Assert.False(File.Exists(Path.Combine(outDir, "chart.html")) && !File.Exists(Path.Combine(outDir, "chart.ipynb")));
            Assert.Empty(Directory.GetFiles(outDir, "*.tmp-*", SearchOption.AllDirectories));
        }
        finally
        {
            Process.Start("umount", [outDir])!.WaitForExit();
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Inplace_keeps_the_files_mode_and_owner()
    {
        var dir = TempDir();
        var path = Good(dir);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        bool root = Environment.IsPrivilegedProcess;
        if (root) Process.Start("chown", ["65534:65534", path])!.WaitForExit();
        var (code, _) = await Run(path, "--inplace", "--no-pages");
        Assert.Equal(0, code);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Equal("42", Text(NotebookFile.Read(path).Cells[0], 0));
        if (root)
        {
            var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%u:%g", path]) { RedirectStandardOutput = true })!;
            Assert.Equal("65534:65534", stat.StandardOutput.ReadToEnd().Trim());
        }
    }

    [Fact]
    public async Task Temporary_files_left_by_a_killed_run_are_removed()
    {
        var dir = TempDir();
        Good(dir);
        var outDir = Path.Combine(TempDir(), "out");
        Directory.CreateDirectory(outDir);
        var leftover = Path.Combine(outDir, "good.ipynb.tmp-999999999-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(leftover, "half a notebook");
        var (_, log) = await Run(dir, "-o", outDir, "--no-pages");
        Assert.False(File.Exists(leftover));
        Assert.Contains("removed 1 temporary file(s)", log);
    }

    [Fact]
    public async Task Shards_split_the_notebooks_report_json_and_merge_builds_one_index()
    {
        var dir = TempDir();
        for (int k = 0; k < 5; k++) Save(Make(k == 3 ? "throw new Exception(\"three\");" : $"{k}"), dir, $"hw/n{k}.ipynb");
        var root = TempDir();
        var shards = new[] { Path.Combine(root, "s1"), Path.Combine(root, "s2") };
        for (int i = 0; i < 2; i++) await Run(dir, "-o", shards[i], "--shard", $"{i + 1}/2");
        var names = shards.Select(s => RunReport.Read(s)["notebooks"]!.AsArray().Select(n => n!["notebook"]!.GetValue<string>()).ToList()).ToList();
        Assert.Equal(["hw/n0.ipynb", "hw/n2.ipynb", "hw/n4.ipynb"], names[0]);
        Assert.Equal(["hw/n1.ipynb", "hw/n3.ipynb"], names[1]);
        Assert.Equal("1/2", RunReport.Read(shards[0])["shard"]!.GetValue<string>());

        var failed = RunReport.Read(shards[1])["notebooks"]!.AsArray().Single(n => n!["notebook"]!.GetValue<string>() == "hw/n3.ipynb")!;
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        var cell = failed["cells"]!.AsArray().Single()!;
        Assert.Equal("failed", cell["status"]!.GetValue<string>());
        Assert.Contains("three", cell["error"]!.GetValue<string>());
        Assert.True(cell["seconds"]!.GetValue<double>() >= 0);

        var site = Path.Combine(root, "site");
        var (code, _) = await Run("merge", "-o", site, shards[0], shards[1]);
        Assert.Equal(1, code);
        var merged = RunReport.Read(site);
        Assert.Equal(5, merged["notebooks"]!.AsArray().Count);
        Assert.Equal(4, merged["ok"]!.GetValue<int>());
        var index = File.ReadAllText(Path.Combine(site, "index.html"));
        for (int k = 0; k < 5; k++)
        {
            Assert.Contains($"href=\"hw/n{k}.html\"", index);
            Assert.True(File.Exists(Path.Combine(site, "hw", $"n{k}.html")));
        }
    }
}

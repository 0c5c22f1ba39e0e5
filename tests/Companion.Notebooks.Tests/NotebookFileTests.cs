using System.Diagnostics;
using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

public class NotebookFileTests
{
    [Fact]
    public void Round_trip_keeps_cells_metadata_and_unknown_fields()
    {
        var json = """
            {"cells":[{"cell_type":"markdown","id":"a","metadata":{"x":1},"source":["# T\n","line"],"attachments":{}},
                      {"cell_type":"code","execution_count":null,"id":"b","metadata":{"tags":["parameters"]},"outputs":[],"source":"var n = 1;"}],
             "metadata":{"kernelspec":{"name":".net-csharp"},"custom":true},"nbformat":4,"nbformat_minor":5}
            """;
        var nb = NotebookFile.Parse(json);
        Assert.Equal("# T\nline", nb.Cells[0].Source);
        Assert.Equal(["parameters"], nb.Cells[1].Tags);
        var again = NotebookFile.Parse(NotebookFile.Serialize(nb));
        Assert.Equal(NotebookFile.Serialize(nb), NotebookFile.Serialize(again));
        Assert.True(again.Metadata["custom"]!.GetValue<bool>());
        Assert.NotNull(again.Cells[0].Extra["attachments"]);
    }

    [Fact]
    public void Source_lines_all_end_in_newline_but_the_last()
    {
        var lines = NotebookFile.ToLines("a\nb\n\nc");
        Assert.Equal(["a\n", "b\n", "\n", "c"], lines.Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public void Malformed_json_names_the_file_and_the_line()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "broken.ipynb");
        File.WriteAllText(path, "{\n \"cells\": [\n  {,\n ]}");
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Read(path));
        Assert.Contains("broken.ipynb", e.Message);
        Assert.Contains("not valid JSON (line 3", e.Message);
    }

    [Theory]
    [InlineData("""{"nbformat":3,"cells":[]}""", "nbformat 3 is not supported")]
    [InlineData("""{"nbformat":4,"nbformat_minor":5}""", "missing \"cells\"")]
    [InlineData("""{"nbformat":4,"cells":[{"source":"x"}]}""", "cell 1: missing \"cell_type\"")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"sql","source":"x"}]}""", "unknown cell_type \"sql\"")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    public void Structural_errors_are_explained(string json, string expected)
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Parse(json, "x.ipynb"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("x.ipynb:", e.Message);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Read("/nonexistent/nb.ipynb"));
        Assert.Contains("no such notebook file", e.Message);
    }

    [Fact]
    public async Task Executed_notebook_validates_against_the_nbformat_schema()
    {
        var (nb, _) = await NotebookExecutor.ExecuteAsync(
            Make("md:# T", "Console.WriteLine(1);\ndisplay(2);\n3", "throw new Exception(\"x\");"),
            Path.Combine(TempDir(), "t.ipynb"), new ExecutionOptions { Isolated = false, ContinueOnError = true });
        var path = Save(nb, TempDir());
        var (code, output) = RunSystemPython(
            "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print('valid', len(nb.cells))", path);
        Assert.True(code == 0, "nbformat validation failed: " + output);
        Assert.Contains("valid 3", output);
    }

    /// <summary>Runs Debian's system python3 (which has python3-nbformat; .ci/run installs it).</summary>
    static (int Code, string Output) RunSystemPython(string script, string arg)
    {
        var python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "Debian's /usr/bin/python3 with python3-nbformat is needed (apt-get install python3-nbformat)");
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(arg);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}

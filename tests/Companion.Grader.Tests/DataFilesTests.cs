using System.Text.Json.Nodes;
using Companion.Notebooks;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

/// <summary>
/// <c>metadata.grader.files</c>: a notebook that reads a file beside it declares it, and its grading worker sees that
/// file read-only at the same relative path (bound into the sandbox, copied with <c>--no-sandbox</c>), and nothing
/// else of the source folder: not an undeclared sibling file or folder, not the notebook.
/// </summary>
public class DataFilesTests
{
    /// <summary>A source folder: the notebook, data/values.txt (declared), secret.txt and other/x.txt (not declared).</summary>
    static (string Dir, NotebookKey Key, string Submission) Assignment(JsonNode? files)
    {
        var dir = TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        File.WriteAllText(Path.Combine(dir, "data", "values.txt"), "42 17\n");
        File.WriteAllText(Path.Combine(dir, "secret.txt"), "not for the worker\n");
        Directory.CreateDirectory(Path.Combine(dir, "other"));
        File.WriteAllText(Path.Combine(dir, "other", "x.txt"), "not for the worker either\n");
        var nb = Make(
            Code("q1-code", "static string ReadValues()\n{\n    // BEGIN SOLUTION\n    return System.IO.File.ReadAllText(\"data/values.txt\").Trim();\n    // END SOLUTION\n}"),
            Code("q1-read", "// reads the declared file\nif (ReadValues() != \"42 17\") throw new Exception(\"data/values.txt was not read\");", "test"),
            Code("q1-rest", "// sees nothing else of the source folder, and cannot change the data\n" +
                "foreach (var p in new[] { \"secret.txt\", \"other/x.txt\", \"source.ipynb\" })\n" +
                "    if (System.IO.File.Exists(p)) throw new Exception(p + \" is visible\");\n" +
                "bool written = false;\n" +
                "try { System.IO.File.WriteAllText(\"data/values.txt\", \"0\"); written = true; } catch (UnauthorizedAccessException) { } catch (System.IO.IOException) { }\n" +
                "if (written) throw new Exception(\"data/values.txt is writable\");", "test"));
        if (files is not null) nb.Metadata["grader"] = new JsonObject { ["files"] = files };
        NotebookFile.Write(nb, Path.Combine(dir, "source.ipynb"));
        var split = SourceNotebook.Split(nb, "source.ipynb");
        var submission = Path.Combine(dir, "submission.ipynb");
        NotebookFile.Write(split.Solution, submission);
        return (dir, split.Key, submission);
    }

    static async Task<NotebookOutcome> Grade(NotebookKey key, string dir, string submission, bool sandboxed)
    {
        var limits = GradingLimits.Default with { CellTimeout = TimeSpan.FromSeconds(60), Sandboxed = sandboxed };
        var (outcome, _) = await SubmissionGrader.GradeFileAsync(key, dir, submission, limits);
        return outcome;
    }

    static string Why(NotebookOutcome o) => string.Join("\n", o.Questions.SelectMany(q => q.Tests.Select(t => $"{t.Name}: {t.Status} {t.Message}")).Concat(o.Problems));

    [SkippableFact]
    public async Task A_declared_folder_is_readable_in_the_sandbox_and_nothing_else_is()
    {
        Skip.If(!Sandbox.Available && Environment.GetEnvironmentVariable("CI") != "true", $"the bubblewrap sandbox is not available: {Sandbox.Unavailable}");
        var (dir, key, submission) = Assignment(new JsonArray("data/"));
        Assert.Equal(["data"], key.Files!);
        var o = await Grade(key, dir, submission, sandboxed: true);
        Assert.True(o.Score == 2, Why(o));
        Assert.Equal("42 17\n", File.ReadAllText(Path.Combine(dir, "data", "values.txt")));
    }

    [SkippableFact]
    public async Task Without_the_declaration_the_file_is_not_there()
    {
        Skip.If(!Sandbox.Available && Environment.GetEnvironmentVariable("CI") != "true", $"the bubblewrap sandbox is not available: {Sandbox.Unavailable}");
        var (dir, key, submission) = Assignment(null);
        var o = await Grade(key, dir, submission, sandboxed: true);
        var tests = o.Questions.Single().Tests;
        Assert.Equal(TestOutcome.FailedStatus, tests.Single(t => t.CellId == "q1-read").Status);
        Assert.Contains("NotFoundException", tests.Single(t => t.CellId == "q1-read").Message);
        Assert.Equal(TestOutcome.Passed, tests.Single(t => t.CellId == "q1-rest").Status);
    }

    [Fact]
    public async Task Without_the_sandbox_the_declared_file_is_copied_into_the_private_folder()
    {
        var (dir, key, submission) = Assignment(new JsonArray("data/values.txt"));
        var o = await Grade(key, dir, submission, sandboxed: false);
        // The copy is writable (the test of that fails), the original is untouched, and nothing else is there.
        var tests = o.Questions.Single().Tests;
        Assert.True(tests.Single(t => t.CellId == "q1-read").Status == TestOutcome.Passed, Why(o));
        Assert.Contains("data/values.txt is writable", tests.Single(t => t.CellId == "q1-rest").Message);
        Assert.Equal("42 17\n", File.ReadAllText(Path.Combine(dir, "data", "values.txt")));
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData(".")]
    [InlineData("data/../..")]
    public void A_path_out_of_the_notebooks_folder_is_an_error_naming_it(string path)
    {
        var nb = Make(Code("c", "1"));
        nb.Metadata["grader"] = new JsonObject { ["files"] = new JsonArray(path) };
        var e = Assert.Throws<GraderFormatException>(() => GraderMetadata.Files(nb, "hw.ipynb"));
        Assert.Contains("hw.ipynb", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_link_out_of_the_folder_or_a_folder_holding_a_notebook_is_refused()
    {
        var dir = TempDir();
        var outside = TempDir();
        File.WriteAllText(Path.Combine(outside, "key.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(dir, "data"), outside);
        var e = Assert.Throws<InvalidOperationException>(() => Sandbox.CheckDeclared(dir, Path.Combine(dir, "data"), "data"));
        Assert.Contains("leads out of the notebook's folder", e.Message);
        Directory.CreateDirectory(Path.Combine(dir, "more"));
        File.WriteAllText(Path.Combine(dir, "more", "solution.ipynb"), "{}");
        e = Assert.Throws<InvalidOperationException>(() => Sandbox.CheckDeclared(dir, Path.Combine(dir, "more"), "more"));
        Assert.Contains("holds a notebook", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => Sandbox.CheckDeclared(dir, Path.Combine(dir, "missing"), "missing"));
        Assert.Contains("is not in", e.Message);
    }
}

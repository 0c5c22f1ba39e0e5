using System.Text.Json.Nodes;
using Companion.Notebooks;
using Companion.Runner;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>
/// A notebook whose cell throws the dataset registry's DatasetUnavailableException is recorded as skipped with the
/// reason, everywhere the runner reports (terminal, report.json, index, the page's banner), its later cells are not run
/// even with --continue-on-error, and it fails the run only under --require-data.
/// </summary>
public class DatasetSkipTests
{
    static string ThrowingCell => $"#r \"{Path.Combine(RepoRoot(), "lib", "Companion", "bin", "Companion.dll")}\"\n" +
        "throw new Companion.Data.DatasetUnavailableException(\"mnist\", \"dataset mnist (subset t10k) is not available: downloads are off (COMPANION_OFFLINE=1).\\nTo fix: put the files in /somewhere\");";

    static (string Src, string Out) Folder()
    {
        var src = TempDir();
        Save(Make("md:# Needs data", "var before = 1;", ThrowingCell, "var after = before + 1;\nafter"), src, "hw/data.ipynb");
        Save(Make("1 + 1"), src, "hw/plain.ipynb");
        return (src, Path.Combine(TempDir(), "out"));
    }

    [Fact]
    public async Task A_missing_dataset_skips_the_notebook_with_its_reason_and_the_run_succeeds()
    {
        var (src, outDir) = Folder();
        var log = new StringWriter();
        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([src, "-o", outDir, "--continue-on-error"]), log);
        var text = log.ToString();
        Assert.Equal(0, code);
        Assert.Matches(@"hw/data\s+skipped", text);
        Assert.Contains("SKIPPED hw/data.ipynb: dataset mnist (subset t10k) is not available: downloads are off (COMPANION_OFFLINE=1).", text);
        Assert.Contains("1 of 2 notebooks ok, 1 skipped", text);

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        var entry = report["notebooks"]!.AsArray().Single(n => n!["notebook"]!.GetValue<string>() == "hw/data.ipynb")!;
        Assert.Equal("skipped", entry["status"]!.GetValue<string>());
        Assert.StartsWith("dataset mnist (subset t10k) is not available", entry["reason"]!.GetValue<string>());
        Assert.Contains("To fix: put the files in /somewhere", entry["reason"]!.GetValue<string>());
        Assert.Equal(["ok", "skipped"], entry["cells"]!.AsArray().Select(c => c!["status"]!.GetValue<string>()));   // the cell after it never ran
        Assert.Equal(1, report["skipped"]!.GetValue<int>());
        Assert.Equal(0, report["failed"]!.GetValue<int>());

        var executed = NotebookFile.Read(Path.Combine(outDir, "hw", "data.ipynb"));
        Assert.Null(executed.Cells[3].ExecutionCount);
        Assert.Contains("<header class=\"status skipped\">", File.ReadAllText(Path.Combine(outDir, "hw", "data.html")));
        Assert.Contains("skipped: dataset mnist (subset t10k) is not available", File.ReadAllText(Path.Combine(outDir, "index.html")));
    }

    [Fact]
    public async Task Require_data_turns_the_skip_into_a_failure()
    {
        var (src, outDir) = Folder();
        var log = new StringWriter();
        var code = await NotebookRunner.RunAsync(RunnerOptions.Parse([src, "-o", outDir, "--require-data", "--no-pages"]), log);
        Assert.Equal(1, code);
        Assert.Contains("FAILED (--require-data) hw/data.ipynb: dataset mnist", log.ToString());
    }
}

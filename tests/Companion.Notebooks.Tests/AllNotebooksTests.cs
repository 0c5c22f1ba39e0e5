using Companion.Notebooks;

namespace Companion.Notebooks.Tests;

/// <summary>Executes every notebook under notebooks/ with its default parameters and fails on any error output
/// (a notebook whose dataset cannot be had is skipped outside CI).</summary>
public class AllNotebooksTests
{
    public static TheoryData<string> Notebooks()
    {
        var root = Path.Combine(TestNotebooks.RepoRoot(), "notebooks");
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(root, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(root, f));
        return data;
    }

    [Fact]
    public void There_are_notebooks_to_run() => Assert.NotEmpty(Notebooks());

    /// <summary>
    /// A notebook that needs a dataset this machine does not have (see docs/datasets.md) is skipped with the reason the
    /// notebook gives; under CI=true nothing skips: a missing dataset fails.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_without_errors(string relativePath)
    {
        var path = Path.Combine(TestNotebooks.RepoRoot(), "notebooks", relativePath);
        var source = NotebookFile.Read(path);
        Assert.DoesNotContain(source.Cells, c => c.Outputs.Count > 0);
        var (nb, report) = await NotebookExecutor.ExecuteAsync(source, path,
            new ExecutionOptions { CellTimeout = TimeSpan.FromMinutes(5) });
        if (report.SkipReason is { } why)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"{relativePath} needs a dataset that is missing, and CI=true runs everything: {why}");
            Skip.If(true, $"{relativePath}: {why.Split('\n')[0]}");
        }
        var errors = nb.CodeCells
            .SelectMany(p => p.Cell.Outputs.Where(o => o["output_type"]!.GetValue<string>() == "error")
                .Select(o => $"{relativePath} cell {p.Number}: {o["ename"]}: {o["evalue"]}"))
            .ToList();
        Assert.True(errors.Count == 0 && report.Succeeded, string.Join("\n", errors.DefaultIfEmpty(report.FirstFailure?.Error ?? "")));
        Assert.Equal(report.CodeCellCount, report.Cells.Count);
    }
}

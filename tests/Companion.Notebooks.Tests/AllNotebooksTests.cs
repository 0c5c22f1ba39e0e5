using Companion.Notebooks;
using Companion.Publishing;
using Xunit.Abstractions;

namespace Companion.Notebooks.Tests;

/// <summary>
/// Executes every notebook under notebooks/ with its default parameters and fails on any error output, then checks every
/// figure it drew against the chart rules (<see cref="ChartRules"/>): a violation fails the notebook's test unless the
/// notebook and rule are listed in chart-rule-debts.txt (rules a notebook is known to break while it is being fixed;
/// the message still lists them, by cell and figure).
/// </summary>
public class AllNotebooksTests(ITestOutputHelper output)
{
    /// <summary>"notebook rule" pairs (one a line, # comments) whose violations are known and not yet fixed.</summary>
    static HashSet<string> Debts()
    {
        var file = Path.Combine(TestNotebooks.RepoRoot(), "tests", "Companion.Notebooks.Tests", "chart-rule-debts.txt");
        return File.ReadLines(file).Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every chart-rule violation of an executed notebook: "notebook cell N figure N.K rule: detail".</summary>
    public static List<(string Rule, string Message)> ChartViolations(Notebook executed, string relativePath) =>
        FigureExport.Find(executed).SelectMany(f => ChartRules.Check(f).Select(v =>
            (v.Rule, $"{relativePath} cell {f.CellNumber} figure {f.Number}: {v}"))).ToList();

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

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_without_errors(string relativePath)
    {
        var path = Path.Combine(TestNotebooks.RepoRoot(), "notebooks", relativePath);
        var source = NotebookFile.Read(path);
        Assert.DoesNotContain(source.Cells, c => c.Outputs.Count > 0);
        var (nb, report) = await NotebookExecutor.ExecuteAsync(source, path,
            new ExecutionOptions { CellTimeout = TimeSpan.FromMinutes(5) });
        var errors = nb.CodeCells
            .SelectMany(p => p.Cell.Outputs.Where(o => o["output_type"]!.GetValue<string>() == "error")
                .Select(o => $"{relativePath} cell {p.Number}: {o["ename"]}: {o["evalue"]}"))
            .ToList();
        Assert.True(errors.Count == 0 && report.Succeeded, string.Join("\n", errors.DefaultIfEmpty(report.FirstFailure?.Error ?? "")));
        Assert.Equal(report.CodeCellCount, report.Cells.Count);
        var name = relativePath.Replace(Path.DirectorySeparatorChar, '/');
        var violations = ChartViolations(nb, name);
        var debts = Debts();
        var owed = violations.Where(v => debts.Contains($"{name} {v.Rule}")).Select(v => v.Message).ToList();
        var fresh = violations.Where(v => !debts.Contains($"{name} {v.Rule}")).Select(v => v.Message).ToList();
        foreach (var m in owed) output.WriteLine("chart-rule debt: " + m);
        Assert.True(fresh.Count == 0, $"{fresh.Count} chart-rule violations (see ChartRules):\n" + string.Join("\n", fresh) +
            (owed.Count == 0 ? "" : $"\nand {owed.Count} listed in chart-rule-debts.txt:\n" + string.Join("\n", owed)));
    }
}

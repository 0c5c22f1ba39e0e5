using System.Diagnostics;
using System.Text.RegularExpressions;
using Companion.Notebooks;
using Companion.Testing;

namespace Companion.Kernel.Tests;

/// <summary>
/// <c>jupyter nbconvert --to notebook --execute</c> (Debian's nbconvert and nbclient) over every notebook in
/// notebooks/, with no kernel named on the command line: each notebook's own kernelspec (<c>.net-csharp</c>) must
/// resolve to this kernel. The executed notebooks must have no error output and the same output texts, cell by cell,
/// as the engine's headless runner gives (display ids, plot div ids and timings aside).
/// </summary>
public partial class NbconvertTests : IClassFixture<Jupyter>
{
    /// <summary>nbconvert's per-cell timeout, and the limit for one folder's run on a loaded 2-core machine.</summary>
    const int CellTimeoutSeconds = 600;
    static readonly TimeSpan FolderTimeout = TimeSpan.FromMinutes(20);

    readonly Jupyter jupyter;
    public NbconvertTests(Jupyter jupyter) => this.jupyter = jupyter;

    [SkippableFact]
    public async Task Every_notebook_runs_under_nbconvert_with_the_runners_output_texts()
    {
        ToolRequirements.PythonModules("jupyter_client", "zmq", "nbclient", "nbconvert");
        var root = Path.Combine(Jupyter.RepoRoot(), "notebooks");
        var notebooks = Directory.EnumerateFiles(root, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(notebooks);
        var outDir = Path.Combine(jupyter.Root, "executed");
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var folder in notebooks.GroupBy(Path.GetDirectoryName))
        {
            var target = Path.Combine(outDir, Path.GetRelativePath(root, folder.Key!));
            var (code, stdout, stderr) = await jupyter.RunAsync(Jupyter.Python,
                ["-m", "nbconvert", "--to", "notebook", "--execute", $"--ExecutePreprocessor.timeout={CellTimeoutSeconds}",
                 "--output-dir", target, .. folder], FolderTimeout);
            if (code != 0) problems.Add($"nbconvert failed on {folder.Key} (exit {code}):\n{stdout}\n{stderr[Math.Max(0, stderr.Length - 3000)..]}");
        }
        var nbconvertTime = clock.Elapsed;
        foreach (var path in notebooks)
        {
            var rel = Path.GetRelativePath(root, path);
            var executedPath = Path.Combine(outDir, rel);
            if (!File.Exists(executedPath)) { problems.Add($"{rel}: nbconvert wrote no output"); continue; }
            var viaKernel = NotebookFile.Read(executedPath);
            var (viaRunner, _) = await NotebookExecutor.ExecuteAsync(NotebookFile.Read(path), path,
                new ExecutionOptions { CellTimeout = TimeSpan.FromSeconds(CellTimeoutSeconds) });
            var kernelCells = viaKernel.CodeCells.ToList();
            var runnerCells = viaRunner.CodeCells.ToList();
            for (int i = 0; i < Math.Min(kernelCells.Count, runnerCells.Count); i++)
            {
                var (k, r) = (kernelCells[i].Cell, runnerCells[i].Cell);
                foreach (var o in k.Outputs.Where(o => o["output_type"]!.GetValue<string>() == "error"))
                    problems.Add($"{rel} cell {kernelCells[i].Number}: {o["ename"]}: {o["evalue"]}");
                var (kt, rt) = (Texts(k), Texts(r));
                if (!kt.SequenceEqual(rt))
                    problems.Add($"{rel} cell {kernelCells[i].Number}: outputs differ\n  kernel: {string.Join(" | ", kt)}\n  runner: {string.Join(" | ", rt)}");
            }
            if (kernelCells.Count != runnerCells.Count) problems.Add($"{rel}: {kernelCells.Count} vs {runnerCells.Count} code cells");
        }
        Assert.True(problems.Count == 0, $"{notebooks.Count} notebooks, nbconvert {nbconvertTime.TotalSeconds:0} s:\n" + string.Join("\n", problems));
    }

    /// <summary>A cell's outputs as comparable texts: type and text/plain (or stream text; consecutive chunks of one
    /// stream merged, as the chunking depends on timing), with ids and wall-clock measurements masked: durations
    /// (a number with a time unit), the numbers of a line comparing speeds ("faster", "slower"), and runs of spaces
    /// (columns aligned to the width of a duration).</summary>
    static List<string> Texts(Cell cell)
    {
        var texts = new List<string>();
        string? lastStream = null;
        foreach (var o in cell.Outputs)
        {
            var type = o["output_type"]!.GetValue<string>();
            if (type == "stream")
            {
                var name = o["name"]!.GetValue<string>();
                var text = Mask(Outputs.Text(o["text"]));
                if (lastStream == name) texts[^1] += text;
                else texts.Add($"stream/{name}: " + text);
                lastStream = name;
                continue;
            }
            lastStream = null;
            texts.Add(type == "error" ? $"error: {o["ename"]}" : $"{type}: " + Mask(Outputs.Text(o["data"]?["text/plain"])));
        }
        return texts;
    }

    static string Mask(string s) => string.Join('\n', s.Replace("\r\n", "\n").Split('\n').Select(line =>
    {
        line = Duration().Replace(Ids().Replace(line, "<id>"), "<time>");
        if (line.Contains("faster", StringComparison.OrdinalIgnoreCase) || line.Contains("slower", StringComparison.OrdinalIgnoreCase))
            line = Number().Replace(line, "<n>");
        return Spaces().Replace(line, " ");
    }));

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex("[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Ids();

    [GeneratedRegex(@"\d+(\.\d+)?\s?(µs|us|ms|s|min)\b")]
    private static partial Regex Duration();
}

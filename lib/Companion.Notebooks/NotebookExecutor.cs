using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>How to execute a notebook.</summary>
public sealed record ExecutionOptions
{
    /// <summary>A cell running longer than this is stopped (isolated execution only).</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Run every cell even after one fails (what .NET Interactive does); by default execution stops at the first failure.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>Run cells in a worker process (timeouts work, crashes are contained). False runs them in this process.</summary>
    public bool Isolated { get; init; } = true;

    /// <summary>Papermill-style parameter values for the cell tagged <c>parameters</c>.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Called before each code cell runs: (cell number, index among code cells, code cell count).</summary>
    public Action<int, int, int>? OnCellStart { get; init; }

    /// <summary>Called after each code cell.</summary>
    public Action<CellReport>? OnCellDone { get; init; }

    /// <summary>
    /// Full names of exceptions that mean "this notebook cannot run here" rather than "it is wrong": a cell that throws one
    /// stops the notebook (even with <see cref="ContinueOnError"/>) and the report says <see cref="NotebookReport.SkipReason"/>.
    /// Default: the dataset registry's <c>Companion.Data.DatasetUnavailableException</c>.
    /// </summary>
    public IReadOnlySet<string> SkipExceptions { get; init; } = new HashSet<string>(StringComparer.Ordinal) { DatasetUnavailable };

    /// <summary>The exception the dataset registry throws when a dataset cannot be had.</summary>
    public const string DatasetUnavailable = "Companion.Data.DatasetUnavailableException";
}

/// <summary>One executed cell: its 1-based number in the notebook, its position among the code cells (i of n), time, and
/// the error line when it failed.</summary>
public sealed record CellReport(int Number, int Position, int Of, TimeSpan Duration, bool Failed, string? Error)
{
    /// <summary>Set when the cell threw one of <see cref="ExecutionOptions.SkipExceptions"/>: the exception's message.</summary>
    public string? SkipReason { get; init; }
}

/// <summary>The outcome of executing one notebook.</summary>
/// <param name="StartupTime">Time to start the kernel (worker process and Roslyn warm-up).</param>
public sealed record NotebookReport(string Path, bool Succeeded, TimeSpan Duration, TimeSpan StartupTime,
    IReadOnlyList<CellReport> Cells, CellReport? FirstFailure, int CodeCellCount)
{
    /// <summary>
    /// Why the notebook could not run here (a cell threw one of <see cref="ExecutionOptions.SkipExceptions"/>, e.g. a
    /// dataset that cannot be had), or null. Such a notebook is not <see cref="Succeeded"/>; runners report it as skipped.
    /// </summary>
    public string? SkipReason => FirstFailure?.SkipReason;
}

/// <summary>Executes a notebook's code cells in order in one session and fills in their outputs, on a copy.</summary>
public static class NotebookExecutor
{
    /// <summary>
    /// Executes a copy of <paramref name="source"/> (the source is never modified). <paramref name="notebookPath"/> gives
    /// the folder for relative <c>#r</c> paths and the name used in reports.
    /// </summary>
    public static async Task<(Notebook Executed, NotebookReport Report)> ExecuteAsync(
        Notebook source, string notebookPath, ExecutionOptions options)
    {
        var clock = Stopwatch.StartNew();
        CheckKernelLanguage(source, notebookPath);
        var nb = source.Clone();
        NotebookParameters.Apply(nb, options.Parameters, notebookPath);
        nb.ClearOutputs();
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(notebookPath)) ?? ".";
        var startClock = Stopwatch.StartNew();
        using IKernel kernel = options.Isolated ? new WorkerKernel(baseDir) : new ScriptKernel(baseDir);
        var startup = startClock.Elapsed;
        var reports = new List<CellReport>();
        var displays = new Dictionary<string, (Cell Cell, int Index)>();
        var codeCells = nb.CodeCells.ToList();
        int count = 0;
        CellReport? firstFailure = null;
        foreach (var (number, cell) in codeCells)
        {
            options.OnCellStart?.Invoke(number, count, codeCells.Count);
            var result = await kernel.ExecuteAsync(number, cell.Source, options.CellTimeout);
            cell.ExecutionCount = ++count;
            Apply(cell, count, result, displays);
            var report = new CellReport(number, count, codeCells.Count, result.Duration, result.Failed, result.ErrorSummary)
            {
                SkipReason = result.Failed ? SkipReasonOf(cell, options.SkipExceptions) : null,
            };
            reports.Add(report);
            options.OnCellDone?.Invoke(report);
            if (result.Failed)
            {
                firstFailure ??= report;
                if (!options.ContinueOnError || report.SkipReason is not null) break;
            }
        }
        var summary = new NotebookReport(notebookPath, firstFailure is null, clock.Elapsed, startup, reports, firstFailure, codeCells.Count);
        return (nb, summary);
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the notebook's metadata names a kernel other than C#
    /// (<c>kernelspec.language</c>, <c>language_info.name</c>, <c>kernelspec.name</c>); a notebook without them is taken as C#.</summary>
    public static void CheckKernelLanguage(Notebook nb, string notebookPath)
    {
        var spec = nb.Metadata["kernelspec"] as JsonObject;
        var language = Str(spec?["language"]) ?? Str((nb.Metadata["language_info"] as JsonObject)?["name"]) ?? Str(spec?["name"]);
        if (language is null) return;
        var l = language.Trim().ToLowerInvariant();
        if (l is "c#" or "csharp" or ".net-csharp" or "dotnet-csharp" or "polyglot-notebook" or ".net") return;
        var name = l.StartsWith("python", StringComparison.Ordinal) ? "python" : l.Contains("fsharp", StringComparison.Ordinal) || l == "f#" ? "F#" : language;
        throw new ArgumentException($"{notebookPath}: this notebook's kernel is {name}, not C# (metadata kernelspec/language_info say " +
            $"\"{language}\"); this engine runs C# notebooks only");
    }

    /// <summary>The message of the cell's error output when its exception is one of <paramref name="skip"/>, else null.</summary>
    static string? SkipReasonOf(Cell cell, IReadOnlySet<string> skip)
    {
        foreach (var o in cell.Outputs)
            if (Str(o?["output_type"]) == "error" && Str(o?["ename"]) is { } ename && skip.Contains(ename))
                return Str(o?["evalue"]) ?? ename;
        return null;
    }

    static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    static void Apply(Cell cell, int executionCount, CellResult result, Dictionary<string, (Cell Cell, int Index)> displays)
    {
        foreach (var e in result.Events)
        {
            if (e.Kind == KernelEvent.UpdateKind)
            {
                if (e.DisplayId is { } id && displays.TryGetValue(id, out var at))
                    at.Cell.Outputs[at.Index] = e.Output;
                continue;
            }
            var output = (JsonObject)e.Output.DeepClone();
            if (output["output_type"]?.GetValue<string>() == "execute_result") output["execution_count"] = executionCount;
            cell.Outputs.Add(output);
            if (e.DisplayId is { } newId) displays[newId] = (cell, cell.Outputs.Count - 1);
        }
    }
}

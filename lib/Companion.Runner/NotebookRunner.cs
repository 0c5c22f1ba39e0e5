using System.Diagnostics;
using System.Globalization;
using System.Text;
using Companion.Notebooks;
using Companion.Publishing;

namespace Companion.Runner;

/// <summary>What the runner did with one notebook.</summary>
public sealed record RunOutcome(NotebookJob Job, NotebookReport? Report, string? LoadError, string? ExecutedPath, int FigureCount,
    string? PagePath = null)
{
    public bool Succeeded => LoadError is null && Report is { Succeeded: true };
}

/// <summary>Runs notebooks one after another, writes their executed copies, pages and figures, and reports.</summary>
public static class NotebookRunner
{
    /// <summary>
    /// Runs the jobs of <paramref name="options"/>; returns the process exit code (0 ok, 1 a notebook failed). Throws
    /// <see cref="ArgumentException"/> (exit code 2 in nbrun) for a run that must not start: an output folder that is a
    /// file, or outputs that would replace a source notebook without <c>--inplace</c>.
    /// </summary>
    public static async Task<int> RunAsync(RunnerOptions options, TextWriter log)
    {
        if (options.Merge) return RunReport.Merge(options.Inputs, options.OutputDirectory, log);
        var outDir = Path.GetFullPath(options.OutputDirectory);
        if (File.Exists(outDir))
            throw new ArgumentException($"-o {options.OutputDirectory}: that is a file; the output must be a folder");
        var all = NotebookDiscovery.Find(options.Inputs, outDir);
        var jobs = options.ShardCount > 1 ? NotebookDiscovery.Shard(all, options.ShardIndex, options.ShardCount) : all;
        if (all.Count == 0)
        {
            log.WriteLine("no notebooks found in " + string.Join(", ", options.Inputs));
            return 1;
        }
        if (!options.InPlace)
        {
            var sources = all.Select(j => j.SourcePath).ToHashSet(StringComparer.Ordinal);
            foreach (var j in jobs)
                if (sources.Contains(Path.GetFullPath(Path.Combine(outDir, j.RelativeName + ".ipynb"))))
                    throw new ArgumentException($"-o {options.OutputDirectory}: the executed copy of {j.DisplayName} would replace a source " +
                        "notebook; choose another output folder, or pass --inplace to write executed notebooks over their sources");
        }
        var shard = options.ShardCount > 1 ? $"{options.ShardIndex}/{options.ShardCount}" : null;
        if (shard is not null) log.WriteLine($"shard {shard}: {jobs.Count} of {all.Count} notebooks");
        var chromium = options.Png ? ChromiumRenderer.Find() : null;
        if (options.Png && chromium is null)
            log.WriteLine("warning: --png given but no chromium on PATH; figures are written as HTML only (apt-get install chromium)");
        var katex = options.Pages ? KatexAssets.Find(AppContext.BaseDirectory) ?? KatexAssets.Find(Directory.GetCurrentDirectory()) : null;
        try
        {
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, NotebookDiscovery.OutputMarker), "written by nbrun; never searched for notebooks\n");
            var stale = NotebookFile.RemoveStaleTemporaries(outDir);
            if (stale > 0) log.WriteLine($"removed {stale} temporary file(s) left in {options.OutputDirectory} by an interrupted run");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"warning: output folder {options.OutputDirectory}: {e.Message}");
        }
        var outcomes = new List<RunOutcome>();
        var total = Stopwatch.StartNew();
        for (int n = 0; n < jobs.Count; n++)
        {
            log.WriteLine($"[{n + 1}/{jobs.Count}] {jobs[n].DisplayName}");
            RunOutcome outcome;
            try
            {
                outcome = await RunOneAsync(jobs[n], options, outDir, chromium, katex, log);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong, it is this notebook's failure: the run goes on with the next one.
                var message = $"{jobs[n].DisplayName}: {e.GetType().Name}: {e.Message}";
                log.WriteLine($"  ERROR {message}");
                outcome = new RunOutcome(jobs[n], null, message, null, 0);
            }
            outcomes.Add(outcome);
        }
        var report = RunReport.Build(outcomes.Select(o => RunReport.Entry(o, outDir)), shard);
        try
        {
            RunReport.Write(report, outDir);
            if (options.Pages) RunReport.WriteIndex(report, outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"ERROR could not write {RunReport.FileName}/index.html in {options.OutputDirectory}: {e.Message}");
            outcomes.Add(new RunOutcome(new NotebookJob(Path.Combine(outDir, RunReport.FileName), RunReport.FileName), null, e.Message, null, 0));
        }
        WriteSummary(outcomes, total.Elapsed, log);
        return outcomes.All(o => o.Succeeded) ? 0 : 1;
    }

    static async Task<RunOutcome> RunOneAsync(NotebookJob job, RunnerOptions options, string outDir, string? chromium, KatexAssets? katex,
        TextWriter log)
    {
        Notebook source;
        try
        {
            source = NotebookFile.Read(job.SourcePath);
        }
        catch (Exception e) when (e is NotebookFormatException or IOException or UnauthorizedAccessException)
        {
            var message = e is NotebookFormatException ? e.Message : $"{job.SourcePath}: cannot read: {e.Message}";
            log.WriteLine($"  ERROR {message}");
            return new RunOutcome(job, null, message, null, 0);
        }
        var clock = Stopwatch.StartNew();
        var exec = new ExecutionOptions
        {
            CellTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            ContinueOnError = options.ContinueOnError,
            Isolated = !options.InProcess,
            Parameters = options.Parameters,
            OnCellDone = c => log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  code cell {c.Position,2} of {c.Of,-2} (cell {c.Number,2})  {(c.Failed ? "FAILED" : "ok    ")} {c.Duration.TotalSeconds,6:0.00} s   elapsed {clock.Elapsed.TotalSeconds,5:0.0} s{(c.Failed ? "  " + c.Error : "")}")),
        };
        Notebook executed;
        NotebookReport report;
        try
        {
            (executed, report) = await NotebookExecutor.ExecuteAsync(source, job.SourcePath, exec);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            // Bad parameters, another kernel's notebook, or a kernel that could not start: this notebook fails, the run goes on.
            log.WriteLine($"  ERROR {e.Message}");
            return new RunOutcome(job, null, e.Message, null, 0);
        }
        var target = options.InPlace ? job.SourcePath : Path.Combine(outDir, job.RelativeName + ".ipynb");
        var pagePath = Path.Combine(outDir, job.RelativeName + ".html");
        var files = new List<(string Path, string Text)> { (target, NotebookFile.Serialize(executed)) };
        if (options.Pages)
        {
            var status = report.Succeeded
                ? string.Create(CultureInfo.InvariantCulture, $"executed in {report.Duration.TotalSeconds:0.0} s, all {report.CodeCellCount} code cells ok")
                : $"FAILED at {report.FirstFailure!.Error}";
            files.Add((pagePath, NotebookPage.Render(executed, job.RelativeName, status, katex)));
        }
        try
        {
            WriteTogether(files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var message = $"{job.DisplayName}: could not write its outputs ({e.GetType().Name}: {e.Message}); nothing of this run was kept for it";
            log.WriteLine($"  ERROR {message}");
            return new RunOutcome(job, report, message, null, 0);
        }
        int figures = 0;
        if (options.Pages)
        {
            try
            {
                figures = WriteFigures(executed, job, outDir, chromium, log);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var message = $"{job.DisplayName}: could not write its figures: {e.Message}";
                log.WriteLine($"  ERROR {message}");
                return new RunOutcome(job, report, message, target, 0, pagePath);
            }
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(report.Succeeded ? "ok" : "FAILED")} in {report.Duration.TotalSeconds:0.0} s (kernel start {report.StartupTime.TotalSeconds:0.00} s), {figures} figures -> {target}"));
        return new RunOutcome(job, report, null, target, figures, options.Pages ? pagePath : null);
    }

    /// <summary>
    /// Writes a notebook's files (executed .ipynb, page) so that they are never from different runs side by side: all are
    /// written to temporary files first and renamed only when every one was written; if a rename still fails, the files
    /// of this notebook already replaced and the older ones not yet replaced are both removed.
    /// </summary>
    public static void WriteTogether(IReadOnlyList<(string Path, string Text)> files)
    {
        var staged = new List<(string Tmp, string Target)>();
        try
        {
            foreach (var (path, text) in files)
            {
                var full = Path.GetFullPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                var tmp = NotebookFile.TempName(full);
                staged.Add((tmp, full));
                File.WriteAllText(tmp, text, new UTF8Encoding(false));
                NotebookFile.KeepModeAndOwner(full, tmp);
            }
            for (int k = 0; k < staged.Count; k++)
            {
                try
                {
                    File.Move(staged[k].Tmp, staged[k].Target, overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    foreach (var (_, t) in staged.Where((_, j) => j != k))
                        try { if (File.Exists(t)) File.Delete(t); }
                        catch (IOException) { }
                        catch (UnauthorizedAccessException) { }
                    throw;
                }
            }
        }
        finally
        {
            foreach (var (tmp, _) in staged)
                try { if (File.Exists(tmp)) File.Delete(tmp); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
        }
    }

    static int WriteFigures(Notebook executed, NotebookJob job, string outDir, string? chromium, TextWriter log)
    {
        var figures = FigureExport.Find(executed);
        var dir = Path.Combine(outDir, "figures", job.RelativeName);
        foreach (var f in figures)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"cell{f.CellNumber:00}-{f.IndexInCell}");
            var html = Path.Combine(dir, name + ".html");
            NotebookFile.WriteTextAtomically(html, f.Html);
            if (chromium is null) continue;
            // The PNG is a static picture: render a copy without Plotly's hover toolbar.
            var still = Path.Combine(Path.GetTempPath(), $"nbrun-{Guid.NewGuid():N}.html");
            File.WriteAllText(still, f.Html.Replace("<body", "<style>.modebar-container{display:none !important}</style><body", StringComparison.Ordinal));
            try
            {
                if (ChromiumRenderer.Render(chromium, still, Path.ChangeExtension(html, ".png"), f.Width, f.Height) is { } err)
                    log.WriteLine($"  warning: PNG of {html} failed: {err}");
            }
            finally
            {
                File.Delete(still);
            }
        }
        return figures.Count;
    }

    static void WriteSummary(IReadOnlyList<RunOutcome> outcomes, TimeSpan total, TextWriter log)
    {
        log.WriteLine();
        log.WriteLine($"{"notebook",-52} {"status",-7} {"time",8}  slowest cells");
        foreach (var o in outcomes)
        {
            var slow = o.Report is null ? "" : string.Join(", ", o.Report.Cells.OrderByDescending(c => c.Duration).Take(3)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"cell {c.Number} {c.Duration.TotalSeconds:0.00} s")));
            var time = o.Report is null ? "-" : o.Report.Duration.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture);
            log.WriteLine($"{o.Job.RelativeName,-52} {(o.Succeeded ? "ok" : "FAILED"),-7} {time,8}  {slow}");
        }
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        foreach (var f in failed)
            log.WriteLine($"FAILED {f.Job.DisplayName}: {f.LoadError ?? f.Report!.FirstFailure!.Error}");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outcomes.Count - failed.Count} of {outcomes.Count} notebooks ok in {total.TotalSeconds:0.0} s"));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Companion.Notebooks;

namespace Companion.Runner;

/// <summary>What the runner did with one notebook.</summary>
public sealed record RunOutcome(NotebookJob Job, NotebookReport? Report, string? LoadError, string? ExecutedPath, int FigureCount)
{
    public bool Succeeded => LoadError is null && Report is { Succeeded: true };
}

/// <summary>Runs notebooks one after another, writes their executed copies, pages and figures, and reports.</summary>
public static class NotebookRunner
{
    /// <summary>Runs the jobs of <paramref name="options"/>; returns the process exit code (0 ok, 1 a notebook failed).</summary>
    public static async Task<int> RunAsync(RunnerOptions options, TextWriter log)
    {
        var jobs = NotebookDiscovery.Find(options.Inputs);
        if (jobs.Count == 0)
        {
            log.WriteLine("no notebooks found in " + string.Join(", ", options.Inputs));
            return 1;
        }
        var chromium = options.Png ? ChromiumRenderer.Find() : null;
        if (options.Png && chromium is null)
            log.WriteLine("warning: --png given but no chromium on PATH; figures are written as HTML only (apt-get install chromium)");
        var katex = options.Pages ? KatexAssets.Find(AppContext.BaseDirectory) ?? KatexAssets.Find(Directory.GetCurrentDirectory()) : null;
        var outcomes = new List<RunOutcome>();
        var total = Stopwatch.StartNew();
        for (int n = 0; n < jobs.Count; n++)
        {
            log.WriteLine($"[{n + 1}/{jobs.Count}] {jobs[n].RelativeName}.ipynb");
            outcomes.Add(await RunOneAsync(jobs[n], options, chromium, katex, log));
        }
        if (options.Pages) WriteIndex(options.OutputDirectory, outcomes);
        WriteSummary(outcomes, total.Elapsed, log);
        return outcomes.All(o => o.Succeeded) ? 0 : 1;
    }

    static async Task<RunOutcome> RunOneAsync(NotebookJob job, RunnerOptions options, string? chromium, KatexAssets? katex, TextWriter log)
    {
        Notebook source;
        try
        {
            source = NotebookFile.Read(job.SourcePath);
        }
        catch (NotebookFormatException e)
        {
            log.WriteLine($"  ERROR {e.Message}");
            return new RunOutcome(job, null, e.Message, null, 0);
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
            // Bad parameters, or a kernel that could not start: this notebook fails, the run goes on.
            log.WriteLine($"  ERROR {e.Message}");
            return new RunOutcome(job, null, e.Message, null, 0);
        }
        var target = options.InPlace ? job.SourcePath : Path.Combine(options.OutputDirectory, job.RelativeName + ".ipynb");
        NotebookFile.Write(executed, target);
        int figures = 0;
        if (options.Pages)
        {
            var status = report.Succeeded
                ? string.Create(CultureInfo.InvariantCulture, $"executed in {report.Duration.TotalSeconds:0.0} s, all {report.CodeCellCount} code cells ok")
                : $"FAILED at {report.FirstFailure!.Error}";
            var page = NotebookPage.Render(executed, job.RelativeName, status, katex);
            NotebookFile.WriteTextAtomically(Path.Combine(options.OutputDirectory, job.RelativeName + ".html"), page);
            figures = WriteFigures(executed, job, options.OutputDirectory, chromium, log);
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(report.Succeeded ? "ok" : "FAILED")} in {report.Duration.TotalSeconds:0.0} s (kernel start {report.StartupTime.TotalSeconds:0.00} s), {figures} figures -> {target}"));
        return new RunOutcome(job, report, null, target, figures);
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

    static void WriteIndex(string outDir, IReadOnlyList<RunOutcome> outcomes)
    {
        var sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Executed notebooks</title>" +
            "<style>body{font-family:sans-serif;max-width:900px;margin:24px auto}td{padding:4px 12px}.bad{color:#b00}</style></head><body>" +
            "<h1>Executed notebooks</h1><table><tr><th>notebook</th><th>status</th><th>time</th><th>figures</th></tr>");
        foreach (var o in outcomes)
        {
            var name = System.Net.WebUtility.HtmlEncode(o.Job.RelativeName);
            var status = o.Succeeded ? "ok" : "<span class=\"bad\">failed</span>";
            var time = o.Report is null ? "" : o.Report.Duration.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"{name}.html\">{name}</a></td><td>{status}</td><td>{time}</td><td>{o.FigureCount}</td></tr>");
        }
        NotebookFile.WriteTextAtomically(Path.Combine(outDir, "index.html"), sb.Append("</table></body></html>\n").ToString());
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
            log.WriteLine($"FAILED {f.Job.RelativeName}.ipynb: {f.LoadError ?? f.Report!.FirstFailure!.Error}");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outcomes.Count - failed.Count} of {outcomes.Count} notebooks ok in {total.TotalSeconds:0.0} s"));
    }
}

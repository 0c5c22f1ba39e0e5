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
    /// <summary>The notebook's first heading (its page title), when it has one.</summary>
    public string? Title { get; init; }

    /// <summary>How many of its charts carry a PNG (image/png) in the executed notebook.</summary>
    public int PngCount { get; init; }

    /// <summary>The PNG of its first figure, for the index.</summary>
    public string? ThumbnailPath { get; init; }

    /// <summary>The chart rules its figures break ("figure 10.1: axis-ticks: …", see <see cref="ChartRules"/>).</summary>
    public IReadOnlyList<string> ChartRuleViolations { get; init; } = [];

    /// <summary>The claims its executed cells stated (<see cref="ClaimCount.Of(Notebook)"/>); null when it did not run.</summary>
    public ClaimCount? Claims { get; init; }

    public bool Succeeded => LoadError is null && Report is { Succeeded: true };

    /// <summary>It could not run here (e.g. a dataset that cannot be had): the reason, else null.</summary>
    public string? SkipReason => LoadError is null ? Report?.SkipReason : null;

    /// <summary>"ok", "skipped", "failed" or "error" (could not be run or written).</summary>
    public string Status => LoadError is not null ? "error" : Succeeded ? "ok" : SkipReason is not null ? "skipped" : "failed";

    /// <summary>Whether this notebook makes the run fail: a failure, or a skip under <c>--require-data</c>.</summary>
    public bool FailsRun(bool requireData) => !Succeeded && (SkipReason is null || requireData);
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
        SiteAssets? assets = null;
        if (options.Pages || chromium is not null)
            try
            {
                assets = SiteAssets.Write(outDir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.WriteLine($"warning: could not write {SiteAssets.FolderName}/ in {options.OutputDirectory} ({e.Message}); pages and figures carry plotly.js inline");
            }
        // Titles of every discovered notebook (not only this shard's), for the pages' previous/next links.
        var titles = all.ToDictionary(j => j.RelativeName, j => TitleOf(j), StringComparer.Ordinal);
        var site = new Site(all, titles, assets);
        var outcomes = new List<RunOutcome>();
        var total = Stopwatch.StartNew();
        for (int n = 0; n < jobs.Count; n++)
        {
            log.WriteLine($"[{n + 1}/{jobs.Count}] {jobs[n].DisplayName}");
            RunOutcome outcome;
            try
            {
                outcome = await RunOneAsync(jobs[n], options, outDir, chromium, site, log);
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
        WriteSummary(outcomes, total.Elapsed, options, chromium, outDir, log);
        return outcomes.Any(o => o.FailsRun(options.RequireData)) ? 1 : 0;
    }

    /// <summary>What a page needs to know about the whole run: every notebook in order, their titles, the shared assets.</summary>
    sealed record Site(IReadOnlyList<NotebookJob> All, IReadOnlyDictionary<string, string> Titles, SiteAssets? Assets);

    static string TitleOf(NotebookJob job)
    {
        try
        {
            return NotebookPage.Title(NotebookFile.Read(job.SourcePath)) ?? Path.GetFileName(job.RelativeName);
        }
        catch (Exception e) when (e is NotebookFormatException or IOException or UnauthorizedAccessException)
        {
            return Path.GetFileName(job.RelativeName);
        }
    }

    static PageContext PageContextOf(NotebookJob job, Site site, string outDir, string pagePath)
    {
        var pageDir = Path.GetDirectoryName(pagePath)!;
        string Href(string target) => Path.GetRelativePath(pageDir, target).Replace(Path.DirectorySeparatorChar, '/');
        int at = site.All.ToList().FindIndex(j => j.RelativeName == job.RelativeName);
        PageLink? Link(int k) => k < 0 || k >= site.All.Count ? null
            : new PageLink(Href(Path.Combine(outDir, site.All[k].RelativeName + ".html")), site.Titles[site.All[k].RelativeName]);
        return new PageContext(site.Assets, pageDir, Href(Path.Combine(outDir, "index.html")), at < 0 ? null : Link(at - 1),
            at < 0 ? null : Link(at + 1), Href(Path.Combine(outDir, "figures", job.RelativeName)));
    }

    static async Task<RunOutcome> RunOneAsync(NotebookJob job, RunnerOptions options, string outDir, string? chromium, Site site,
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
                $"  code cell {c.Position,2} of {c.Of,-2} (cell {c.Number,2})  {(c.SkipReason is not null ? "SKIP  " : c.Failed ? "FAILED" : "ok    ")} {c.Duration.TotalSeconds,6:0.00} s   elapsed {clock.Elapsed.TotalSeconds,5:0.0} s{(c.SkipReason is not null ? "  " + FirstLine(c.SkipReason) : c.Failed ? "  " + c.Error : "")}")),
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
        // Figures first: their PNGs go into the executed notebook (image/png beside text/html) before it is written.
        FigureResult figures;
        try
        {
            figures = WriteFigures(executed, job, outDir, options.Pages, chromium, site.Assets, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var message = $"{job.DisplayName}: could not write its outputs (its figures: {e.GetType().Name}: {e.Message}); its executed notebook and page were not written";
            log.WriteLine($"  ERROR {message}");
            return new RunOutcome(job, report, message, null, 0);
        }
        var files = new List<(string Path, string Text)> { (target, NotebookFile.Serialize(executed)) };
        if (options.Pages)
        {
            var status = report.Succeeded
                ? string.Create(CultureInfo.InvariantCulture, $"executed in {report.Duration.TotalSeconds:0.0} s, all {report.CodeCellCount} code cells ok")
                : report.SkipReason is { } skip
                    ? $"SKIPPED at cell {report.FirstFailure!.Number} (cells after it not run): {skip}"
                    : $"FAILED at {report.FirstFailure!.Error}";
            files.Add((pagePath, NotebookPage.Render(executed, job.RelativeName, status, PageContextOf(job, site, outDir, pagePath))));
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
        var broken = FigureExport.Find(executed).SelectMany(f => ChartRules.Check(f).Select(v => $"figure {f.Number}: {v}")).ToList();
        foreach (var b in broken) log.WriteLine($"  chart rule: {b}");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(report.Succeeded ? "ok" : report.SkipReason is not null ? "skipped" : "FAILED")} in {report.Duration.TotalSeconds:0.0} s (kernel start {report.StartupTime.TotalSeconds:0.00} s), {figures.Count} figures ({figures.Pngs} with PNG) -> {target}"));
        return new RunOutcome(job, report, null, target, figures.Count, options.Pages ? pagePath : null)
        {
            Title = NotebookPage.Title(executed), PngCount = figures.Pngs, ThumbnailPath = figures.Thumbnail,
            Claims = ClaimCount.Of(executed), ChartRuleViolations = broken,
        };
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

    /// <summary>How many figures a notebook has, how many got a PNG, and the PNG file of its first figure.</summary>
    readonly record struct FigureResult(int Count, int Pngs, string? Thumbnail);

    /// <summary>
    /// Writes each chart of <paramref name="executed"/> as <c>figures/NOTEBOOK/cellNN-K.html</c> (when
    /// <paramref name="files"/>), loading the output folder's one plotly.js; with Chromium, renders each to PNG
    /// (<c>cellNN-K.png</c>) and puts the PNG, base64, into the chart's output as <c>image/png</c> beside its
    /// <c>text/html</c> (viewers without JavaScript show the picture). The source notebook is never touched.
    /// </summary>
    static FigureResult WriteFigures(Notebook executed, NotebookJob job, string outDir, bool files, string? chromium, SiteAssets? assets,
        TextWriter log)
    {
        var figures = FigureExport.Find(executed);
        if (!files && chromium is null) return new(figures.Count, 0, null);
        var dir = Path.Combine(outDir, "figures", job.RelativeName);
        int pngs = 0;
        string? thumbnail = null;
        foreach (var f in figures)
        {
            var html = Path.Combine(dir, f.FileStem + ".html");
            if (files) NotebookFile.WriteTextAtomically(html, f.Document(assets?.PlotlyHref(dir)));
            if (chromium is null) continue;
            // The PNG is a static picture: render a copy without Plotly's hover toolbar (from a temporary folder, so it
            // loads plotly.js by its file:// address).
            var still = Path.Combine(Path.GetTempPath(), $"nbrun-{Guid.NewGuid():N}.html");
            var png = files ? Path.ChangeExtension(html, ".png") : Path.Combine(Path.GetTempPath(), $"nbrun-{Guid.NewGuid():N}.png");
            File.WriteAllText(still, f.Document(assets?.PlotlyFileUri, withToolbar: false));
            try
            {
                if (ChromiumRenderer.Render(chromium, still, png, f.Width, f.Height) is { } err)
                {
                    log.WriteLine($"  warning: PNG of figure {f.Number} ({html}) failed: {err}");
                    continue;
                }
                FigureExport.AddPicture(f.Output, File.ReadAllBytes(png), $"Figure {f.Number}" + (f.Title is null ? "" : ": " + f.Title));
                pngs++;
                if (files) thumbnail ??= png;
            }
            finally
            {
                File.Delete(still);
                if (!files && File.Exists(png)) File.Delete(png);
            }
        }
        return new(figures.Count, pngs, thumbnail);
    }

    static void WriteSummary(IReadOnlyList<RunOutcome> outcomes, TimeSpan total, RunnerOptions options, string? chromium, string outDir,
        TextWriter log)
    {
        log.WriteLine();
        log.WriteLine($"{"notebook",-52} {"status",-7} {"time",8} {"figures",8} {"claims",9}  slowest cells");
        foreach (var o in outcomes)
        {
            var slow = o.Report is null ? "" : string.Join(", ", o.Report.Cells.OrderByDescending(c => c.Duration).Take(3)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"cell {c.Number} {c.Duration.TotalSeconds:0.00} s")));
            var time = o.Report is null ? "-" : o.Report.Duration.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture);
            var figs = o.FigureCount == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{o.PngCount}/{o.FigureCount}");
            log.WriteLine($"{o.Job.RelativeName,-52} {(o.Status is "failed" or "error" ? "FAILED" : o.Status),-7} {time,8} {figs,8} {ClaimsColumn(o.Claims),9}  {slow}");
        }
        var failed = outcomes.Where(o => !o.Succeeded && o.SkipReason is null).ToList();
        var skipped = outcomes.Where(o => o.SkipReason is not null).ToList();
        foreach (var f in failed)
            log.WriteLine($"FAILED {f.Job.DisplayName}: {f.LoadError ?? f.Report!.FirstFailure!.Error}");
        foreach (var k in skipped)
            log.WriteLine($"{(options.RequireData ? "FAILED (--require-data)" : "SKIPPED")} {k.Job.DisplayName}: {FirstLine(k.SkipReason!)}");
        int charts = outcomes.Sum(o => o.FigureCount), pngs = outcomes.Sum(o => o.PngCount);
        var why = !options.Png ? "--png not given" : chromium is null ? "no chromium on PATH (apt-get install chromium)" : null;
        log.WriteLine(why is null
            ? string.Create(CultureInfo.InvariantCulture, $"figures (PNG/all): {pngs} of {charts} charts carry a PNG in the executed notebooks")
            : string.Create(CultureInfo.InvariantCulture, $"figures (PNG/all): no PNGs ({why}): the executed notebooks' {charts} charts show only where JavaScript runs (not on GitHub or nbviewer)"));
        var claims = outcomes.Aggregate(ClaimCount.None, (sum, o) => sum + (o.Claims ?? ClaimCount.None));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"claims: {claims.Checked} checked, {claims.Failed} not holding"));
        log.WriteLine(OutputSize(outDir, options));
        var skips = skipped.Count == 0 ? ""
            : $", {skipped.Count} skipped (a dataset could not be had{(options.RequireData ? "; failures under --require-data" : "")})";
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outcomes.Count - failed.Count - skipped.Count} of {outcomes.Count} notebooks ok{skips} in {total.TotalSeconds:0.0} s"));
    }

    /// <summary>The first line of a message (a dataset error's headline; the rest is in report.json and the page).</summary>
    static string FirstLine(string text) => text.Split('\n', 2)[0];

    /// <summary>The claims column of the closing table: "12" (all held), "12 (1✘)" (one did not), "-" (not run).</summary>
    static string ClaimsColumn(ClaimCount? c) => c is not { } n ? "-"
        : n.Failed == 0 ? n.Checked.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{n.Checked} ({n.Failed}✘)");

    /// <summary>"output folder out: 74.2 MB (executed notebooks 68.9 MB, pages 1.0 MB, figures 2.6 MB, assets 4.0 MB)".</summary>
    static string OutputSize(string outDir, RunnerOptions options)
    {
        long ipynb = 0, pages = 0, figures = 0, assets = 0, all = 0;
        if (!Directory.Exists(outDir)) return $"output folder {options.OutputDirectory}: not written";
        var figDir = Path.Combine(outDir, "figures") + Path.DirectorySeparatorChar;
        var assetDir = Path.Combine(outDir, SiteAssets.FolderName) + Path.DirectorySeparatorChar;
        foreach (var f in new DirectoryInfo(outDir).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            all += f.Length;
            if (f.FullName.StartsWith(figDir, StringComparison.Ordinal)) figures += f.Length;
            else if (f.FullName.StartsWith(assetDir, StringComparison.Ordinal)) assets += f.Length;
            else if (f.Extension == ".ipynb") ipynb += f.Length;
            else if (f.Extension == ".html") pages += f.Length;
        }
        static string Mb(long b) => (b / 1e6).ToString("0.0 MB", CultureInfo.InvariantCulture);
        return $"output folder {options.OutputDirectory}: {Mb(all)} (executed notebooks {Mb(ipynb)}, pages {Mb(pages)}, figures {Mb(figures)}, assets {Mb(assets)})";
    }
}

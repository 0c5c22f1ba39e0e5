using System.Diagnostics;
using Companion.Notebooks;

namespace Companion.Grader;

/// <summary>
/// <c>nbgrade assign</c>: from source notebooks, writes <c>OUT/student/</c> (what students get), <c>OUT/solution/</c>
/// (executed, every test passing), <c>OUT/autograder/key.json</c> (the grader's files) and <c>OUT/selfcheck.txt</c>.
/// Source notebooks are only read.
/// </summary>
public static class Assigner
{
    /// <returns>0 when every notebook was split and every self-check passed, 1 otherwise.</returns>
    public static async Task<int> RunAsync(GraderOptions o, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var outDir = Path.GetFullPath(o.OutputDirectory);
        var keyDir = Path.Combine(outDir, "autograder");
        var sources = new List<(SourceNotebook Source, string Directory)>();
        var originals = new Dictionary<string, Notebook>(StringComparer.Ordinal);
        bool failed = false;
        foreach (var (path, name) in Discovery.Notebooks(o.Inputs))
        {
            if (Path.GetFullPath(path).StartsWith(outDir + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            try
            {
                var nb = NotebookFile.Read(path);
                if (!Discovery.IsSource(nb))
                {
                    log.WriteLine($"  skip {name}: no solution regions or test cells");
                    continue;
                }
                var split = SourceNotebook.Split(nb, name);
                originals[name] = nb;
                var dir = Path.GetDirectoryName(path)!;
                sources.Add((split with { Key = split.Key with { SourceDirectory = Path.GetRelativePath(keyDir, dir).Replace('\\', '/') } }, dir));
                log.WriteLine($"  {name}: {split.Key.Questions.Count} questions, {split.Key.Tests.Count} test cells " +
                    $"({split.Key.Tests.Count(t => t.Hidden)} hidden), {split.Key.AutoPoints:0.##} points");
            }
            catch (Exception e) when (e is NotebookFormatException or GraderFormatException)
            {
                log.WriteLine($"  ERROR {e.Message}");
                failed = true;
            }
        }
        if (sources.Count == 0)
        {
            log.WriteLine("no source notebooks with solution regions or test cells in " + string.Join(", ", o.Inputs));
            return 1;
        }
        var key = new AssignmentKey(AssignmentKey.CurrentFormat, o.AssignmentName ?? Path.GetFileName(Path.GetFullPath(o.Inputs[0]).TrimEnd('/')),
            sources.Select(s => s.Source.Key).ToList());
        Directory.CreateDirectory(keyDir);
        key.Write(keyDir);
        var report = new List<CheckResult>();
        foreach (var (s, _) in sources)
        {
            var written = Path.Combine(outDir, "student", s.Key.Name);
            NotebookFile.Write(s.Student, written);
            var leak = SolutionLeakCheck.Result(s.Key.Name, originals[s.Key.Name], NotebookFile.Read(written));
            log.WriteLine("  " + leak);
            report.Add(leak);
        }
        var limits = o.Limits with { Sandboxed = o.Limits.Sandboxed && Sandbox.Available };
        var keys = new List<NotebookKey>();
        foreach (var (s, dir) in sources)
        {
            log.WriteLine($"self-check {s.Key.Name} ({(o.SelfCheck ? 2 + s.Key.Questions.Count(q => !q.Manual) : 1)} grading runs)");
            var (checks, executed, recorded) = await SelfCheck.RunAsync(s, dir, limits, o.SelfCheck, o.Jobs);
            keys.Add(recorded);
            if (executed is not null) NotebookFile.Write(executed, Path.Combine(outDir, "solution", s.Key.Name));
            foreach (var c in checks) log.WriteLine("  " + c);
            report.AddRange(checks);
        }
        (key with { Notebooks = keys }).Write(keyDir); // now with the values the solution's tests emitted
        NotebookFile.WriteTextAtomically(Path.Combine(outDir, "selfcheck.txt"), string.Join("\n", report) + "\n");
        int bad = report.Count(c => !c.Passed);
        log.WriteLine($"assign: {sources.Count} notebooks, {report.Count - bad} checks passed, {bad} failed, {clock.Elapsed.TotalSeconds:0.0} s; wrote {outDir}");
        return failed || bad > 0 ? 1 : 0;
    }
}

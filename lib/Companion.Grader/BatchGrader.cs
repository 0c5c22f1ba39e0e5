using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Companion.Grader;

/// <summary>
/// <c>nbgrade grade</c>: grades every student of a submissions folder (or the shard <c>--shard i/n</c> of them: the
/// students whose position in name order is i−1 modulo n), <c>--jobs</c> students at a time, each notebook in its own
/// worker process. Writes <c>OUT/STUDENT/{results.json, grade.json, feedback.html}</c> and <c>OUT/grades.csv</c>.
/// One student's failure never stops the batch.
/// </summary>
public static class BatchGrader
{
    public static async Task<(int ExitCode, List<StudentOutcome> Students)> RunAsync(GraderOptions o, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var (key, keyDir) = AssignmentKey.Read(o.KeyPath ?? throw new ArgumentException("grade needs --key DIR (the autograder folder written by assign)"));
        if (o.Inputs.Count != 1) throw new ArgumentException("grade takes one folder of submissions");
        if (o.Limits.Sandboxed && !Sandbox.Available)
            throw new ArgumentException($"grade runs untrusted code in a bubblewrap sandbox, which is not available here: {Sandbox.Unavailable}. " +
                "To grade anyway, pass --no-sandbox, knowing that " + Sandbox.Risk);
        if (!o.Limits.Sandboxed) log.WriteLine("warning: --no-sandbox: " + Sandbox.Risk);
        var all = Discovery.Submissions(o.Inputs[0], key);
        var mine = all.Where((_, i) => i % o.ShardCount == o.ShardIndex - 1).ToList();
        log.WriteLine($"grading {mine.Count} of {all.Count} submissions (shard {o.ShardIndex}/{o.ShardCount}), {o.Jobs} at a time, " +
            $"cell limit {o.Limits.CellTimeout.TotalSeconds:0.#} s, notebook limit {o.Limits.NotebookTimeLimit.TotalSeconds:0.#} s, " +
            $"memory {(o.Limits.MemoryLimitMegabytes > 0 ? o.Limits.MemoryLimitMegabytes + " MB" : "unlimited")}");
        var outDir = Path.GetFullPath(o.OutputDirectory);
        Directory.CreateDirectory(outDir);
        var secret = AssignmentKey.ResultSecret(keyDir);
        var results = new ConcurrentBag<StudentOutcome>();
        var limits = o.Limits;
        // Workers started ahead, per notebook: while one submission grades, the next one's sandboxed worker warms up.
        var warm = key.Notebooks.ToDictionary(nb => nb.Name, nb =>
        {
            var baseDir = o.BaseDirectory ?? Path.GetFullPath(Path.Combine(keyDir, nb.SourceDirectory));
            return Directory.Exists(baseDir) ? new WarmWorkers(SubmissionGrader.PlanFor(nb, baseDir, limits), limits, o.Jobs,
                mine.Count(s => s.Files.GetValueOrDefault(nb.Name) is not null)) : null;
        });
        int done = 0;
        await Parallel.ForEachAsync(mine, new ParallelOptions { MaxDegreeOfParallelism = o.Jobs }, async (sub, _) =>
        {
            var notebooks = new List<NotebookOutcome>();
            foreach (var nb in key.Notebooks)
            {
                var baseDir = o.BaseDirectory ?? Path.GetFullPath(Path.Combine(keyDir, nb.SourceDirectory));
                var file = sub.Files.GetValueOrDefault(nb.Name);
                if (file is null)
                {
                    notebooks.Add(SubmissionGrader.Zero(nb, $"{nb.Name} was not submitted"));
                    continue;
                }
                if (!Directory.Exists(baseDir)) baseDir = Path.GetDirectoryName(file)!;
                try
                {
                    var (outcome, _) = await SubmissionGrader.GradeFileAsync(nb, baseDir, file, limits, warm[nb.Name]);
                    notebooks.Add(outcome);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    notebooks.Add(SubmissionGrader.Zero(nb, $"the grader failed on this notebook ({e.GetType().Name}: {e.Message}); ask for a regrade"));
                }
            }
            var student = new StudentOutcome(sub.Student, notebooks);
            Reports.WriteStudent(outDir, student, secret); // the worker is gone: only the grader writes results
            results.Add(student);
            var n = Interlocked.Increment(ref done);
            var problems = notebooks.SelectMany(x => x.Problems).ToList();
            lock (log)
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{n}/{mine.Count}] {sub.Student}: {student.Score:0.##} / {student.AutoPoints:0.##}  {student.Seconds,5:0.0} s{(problems.Count > 0 ? "  (" + string.Join("; ", problems) + ")" : "")}"));
        });
        foreach (var w in warm.Values) w?.Dispose();
        var list = results.OrderBy(s => s.Student, StringComparer.Ordinal).ToList();
        Companion.Notebooks.NotebookFile.WriteTextAtomically(Path.Combine(outDir, "grades.csv"), Reports.Csv(key, list));
        var minutes = clock.Elapsed.TotalMinutes;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"graded {list.Count} submissions in {clock.Elapsed.TotalSeconds:0.0} s ({(minutes > 0 ? list.Count / minutes : 0):0.0} per minute, {o.Jobs} jobs); wrote {Path.Combine(outDir, "grades.csv")}"));
        return (0, list);
    }

    /// <summary><c>nbgrade merge</c>: the grades of several shard folders into one CSV (and the students' files copied into OUT).</summary>
    public static int Merge(GraderOptions o, TextWriter log)
    {
        var (key, keyDir) = AssignmentKey.Read(o.KeyPath ?? throw new ArgumentException("merge needs --key DIR"));
        var secret = AssignmentKey.ResultSecret(keyDir);
        var grades = Reports.ReadGrades(o.Inputs, secret);
        var duplicates = grades.GroupBy(g => g.Student).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new GraderFormatException($"students graded in more than one shard: {string.Join(", ", duplicates)}");
        var outDir = Path.GetFullPath(o.OutputDirectory);
        Directory.CreateDirectory(outDir);
        foreach (var g in grades) Reports.WriteStudent(outDir, g, secret);
        Companion.Notebooks.NotebookFile.WriteTextAtomically(Path.Combine(outDir, "grades.csv"), Reports.Csv(key, grades));
        log.WriteLine($"merged {grades.Count} students from {o.Inputs.Count} shard folders into {Path.Combine(outDir, "grades.csv")}");
        return 0;
    }
}

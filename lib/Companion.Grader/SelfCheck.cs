using System.Globalization;
using Companion.Notebooks;

namespace Companion.Grader;

/// <summary>One verified property of an assignment, with what was seen.</summary>
public sealed record CheckResult(string Notebook, string Check, bool Passed, string Detail)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")}  {Notebook}: {Check}: {Detail}";
}

/// <summary>
/// The assignment verifies itself by grading its own notebooks: the solution passes every test (public and hidden);
/// the untouched student version compiles, fails every test and scores zero; and for each question, the solution with
/// that question's regions replaced by the student stubs (a deliberate error) loses exactly that question's points.
/// </summary>
public static class SelfCheck
{
    /// <param name="studentAndMutations">Also grade the student version and, for every question, the solution with that question broken.</param>
    /// <returns>The checks, the executed solution notebook (null when its worker could not run), and the key with the
    /// values the solution's tests emitted (<c>Grade.Emit</c>), which later runs and grading compare with.</returns>
    public static async Task<(List<CheckResult> Checks, Notebook? ExecutedSolution, NotebookKey Key)> RunAsync(SourceNotebook source,
        string baseDirectory, GradingLimits limits, bool studentAndMutations, int jobs)
    {
        var key = source.Key;
        using var gate = new SemaphoreSlim(Math.Max(1, jobs));
        async Task<(NotebookOutcome, Notebook)> Grade(Notebook nb, Dictionary<string, IReadOnlyList<(string, System.Text.Json.Nodes.JsonObject)>>? record = null)
        {
            await gate.WaitAsync();
            try { return await SubmissionGrader.GradeAsync(key, baseDirectory, nb, limits, record); }
            finally { gate.Release(); }
        }
        var emitted = new Dictionary<string, IReadOnlyList<(string Name, System.Text.Json.Nodes.JsonObject Value)>>();
        var (solution, executed) = await Grade(source.Solution, emitted);
        var duplicated = emitted.SelectMany(e => e.Value.GroupBy(v => v.Name).Where(g => g.Count() > 1).Select(g => $"{e.Key}: \"{g.Key}\"")).ToList();
        key = key with
        {
            Tests = key.Tests.Select(t => emitted.TryGetValue(t.CellId, out var list) && list.Count > 0
                ? t with { Expected = list.GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First().Value) } : t).ToList(),
        };
        var studentTask = studentAndMutations ? Grade(source.Student) : null;
        var mutationTasks = studentAndMutations
            ? key.Questions.Where(q => !q.Manual).Select(q => (q, Grade(Broken(source with { Key = key }, q.Id)))).ToList()
            : [];
        var checks = new List<CheckResult>();
        var failedTests = solution.Questions.SelectMany(q => q.Tests).Where(t => t.Status != TestOutcome.Passed).ToList();
        checks.Add(new CheckResult(key.Name, "the solution passes every test",
            failedTests.Count == 0 && solution.Score == key.AutoPoints,
            failedTests.Count == 0
                ? $"{solution.Questions.Sum(q => q.Tests.Count)} tests passed, {Num(solution.Score)} / {Num(key.AutoPoints)} points"
                : "failed: " + string.Join("; ", failedTests.Select(t => $"{t.Name}: {FirstLine(t.Message)}"))));
        var zeroReasons = solution.Questions.SelectMany(q => q.Reasons.Where(r => r.StartsWith("zero for", StringComparison.Ordinal))).ToList();
        checks.Add(new CheckResult(key.Name, "the solution uses no API its questions forbid and every test means the same in it",
            zeroReasons.Count == 0 && duplicated.Count == 0,
            zeroReasons.Count == 0 && duplicated.Count == 0
                ? $"{key.Questions.Sum(q => q.Forbid?.Count ?? 0)} forbidden APIs checked; {key.Tests.Count(t => t.Expected is not null)} tests compare emitted values"
                : string.Join("; ", zeroReasons.Concat(duplicated.Select(d => $"emitted twice in one test cell: {d}")))));

        if (studentTask is not null)
        {
            var (student, _) = await studentTask;
            var passing = student.Questions.SelectMany(q => q.Tests).Where(t => t.Status == TestOutcome.Passed).ToList();
            checks.Add(new CheckResult(key.Name, "the untouched student version fails every test",
                passing.Count == 0 && student.Score == 0,
                passing.Count == 0 ? $"{student.Questions.Sum(q => q.Tests.Count)} tests failed, 0 / {Num(key.AutoPoints)} points"
                    : "passed by accident: " + string.Join("; ", passing.Select(t => t.Name))));
            var compileErrors = student.Questions.SelectMany(q => q.Reasons.Select(r => (q.Id, r)))
                .Where(x => x.r.Contains("error CS", StringComparison.Ordinal) || x.r.Contains("error NB", StringComparison.Ordinal)).ToList();
            checks.Add(new CheckResult(key.Name, "the student version's code cells compile",
                compileErrors.Count == 0,
                compileErrors.Count == 0 ? "every stub or prompt compiles (the cells fail with NotImplementedException or run)"
                    : string.Join("; ", compileErrors.Select(x => $"{x.Id}: {x.r}"))));
        }

        foreach (var (q, task) in mutationTasks)
        {
            var (broken, _) = await task;
            var allowed = Dependents(key, q.Id);
            var lost = broken.Questions.Where(x => !x.Manual && x.Id != q.Id && x.Score != x.Points && !allowed.Contains(x.Id)).ToList();
            var own = broken.Questions.First(x => x.Id == q.Id);
            bool ok = own.Score == 0 && lost.Count == 0;
            var also = allowed.Count == 0 ? "" : $" and what needs it ({string.Join(", ", allowed.Order(StringComparer.Ordinal))})";
            checks.Add(new CheckResult(key.Name, $"breaking {q.Id} loses only {q.Id}'s points{also}", ok,
                ok ? $"{Num(broken.Score)} / {Num(key.AutoPoints)} points ({q.Id}: 0 / {Num(q.Points)})"
                    : (own.Score != 0 ? $"{q.Id} still scored {Num(own.Score ?? 0)}; " : "")
                      + string.Join("; ", lost.Select(x => $"{x.Id} also lost points ({Num(x.Score ?? 0)} / {Num(x.Points)}): "
                          + FirstLine(x.Tests.FirstOrDefault(t => t.Status != TestOutcome.Passed)?.Message)))));
        }
        return (checks, executed, key);
    }

    /// <summary>The questions that need <paramref name="question"/>, directly or through others.</summary>
    static HashSet<string> Dependents(NotebookKey key, string question)
    {
        var found = new HashSet<string>();
        var queue = new Queue<string>([question]);
        while (queue.Count > 0)
        {
            var q = queue.Dequeue();
            foreach (var d in key.Questions.Where(x => x.Needs?.Contains(q) == true && found.Add(x.Id))) queue.Enqueue(d.Id);
        }
        return found;
    }

    /// <summary>The solution with the cells of question <paramref name="question"/> as the student version has them.</summary>
    public static Notebook Broken(SourceNotebook source, string question)
    {
        var nb = source.Solution.Clone();
        foreach (var s in source.Key.SolutionCells.Where(s => s.Question == question))
        {
            var target = nb.Cells.First(c => c.Id == s.CellId);
            target.Source = source.Student.Cells.First(c => c.Id == s.CellId).Source;
        }
        return nb;
    }

    static string FirstLine(string? s) => (s ?? "").Split('\n')[0];

    static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Companion.Notebooks;
using Companion.Notebooks.Interactive;

namespace Companion.Grader;

/// <summary>
/// Grades one submitted notebook against its key. The submission's code cells run in order in one worker process; each
/// test cell (matched by cell id) runs as the key has it, hidden tests run where the student version had them, and a
/// test's points count when its cell runs without an error. A cell that crashes the worker or runs past its timeout
/// fails; a new worker replays the student's cells that had run before it, so later questions are still graded.
/// Before anything runs, <see cref="Integrity"/> decides which tests mean what the instructor wrote (the others are not
/// run and zero their question) and which questions use forbidden APIs (zero). A test for which the key holds the
/// values the solution emitted passes only when the submission's run emits matching values (decided here, outside the
/// student's process). The worker runs in the <see cref="Sandbox"/> unless the limits say otherwise.
/// </summary>
public static class SubmissionGrader
{
    /// <summary>Error names with which the engine reports a dead worker.</summary>
    static readonly HashSet<string> WorkerDeaths = ["CellTimeoutError", "WorkerCrashed", "WorkerUnavailable", "KernelInterrupted"];

    sealed record Step(Cell Cell, int Number, TestKey? Test);

    /// <summary>Grades the notebook file at <paramref name="submissionPath"/> for its student; an unreadable file scores
    /// zero with the reason. What the worker produced from the first hidden test on is sealed (<see cref="Seal"/>), and
    /// the notebook's time is that of the cells before it.</summary>
    public static Task<(NotebookOutcome Outcome, Notebook? Executed)> GradeFileAsync(NotebookKey key, string baseDirectory,
        string submissionPath, GradingLimits limits) => GradeFileAsync(key, baseDirectory, submissionPath, limits, null);

    /// <param name="warm">Workers started ahead for this notebook (the batch keeps some ready while others grade).</param>
    internal static async Task<(NotebookOutcome Outcome, Notebook? Executed)> GradeFileAsync(NotebookKey key, string baseDirectory,
        string submissionPath, GradingLimits limits, WarmWorkers? warm)
    {
        Notebook submission;
        try
        {
            submission = NotebookFile.Read(submissionPath);
        }
        catch (NotebookFormatException e)
        {
            return (Zero(key, $"the notebook could not be read: {e.Message}"), null);
        }
        return await GradeAsync(key, baseDirectory, submission, limits, null, warm, forStudent: true);
    }

    /// <summary>Every question at zero for one reason (a missing or unreadable notebook).</summary>
    public static NotebookOutcome Zero(NotebookKey key, string reason) => new(key.Name,
        key.Questions.Select(q => new QuestionOutcome(q.Id, q.Title, q.Points, q.Manual ? null : 0, q.Manual, [reason],
            key.Tests.Where(t => t.Question == q.Id).Select(t => new TestOutcome(t.CellId, t.Name, t.Points, 0, t.Hidden,
                TestOutcome.NotRun, reason, 0)).ToList(), null)).ToList(),
        [reason], 0);

    /// <summary>Grades <paramref name="submission"/> for the instructor (assign, self-check: messages not sealed);
    /// returns the grade and the executed notebook (tests included).</summary>
    /// <param name="baseDirectory">Where the cells' relative <c>#r</c> paths resolve (the source notebook's folder).</param>
    /// <param name="recordEmits">Assign's solution run: collects each test's emitted values (by test cell id) and
    /// does not compare them.</param>
    public static Task<(NotebookOutcome Outcome, Notebook Executed)> GradeAsync(NotebookKey key, string baseDirectory,
        Notebook submission, GradingLimits limits, Dictionary<string, IReadOnlyList<(string Name, JsonObject Value)>>? recordEmits = null) =>
        GradeAsync(key, baseDirectory, submission, limits, recordEmits, null, forStudent: false);

    /// <summary>Where the workers of <paramref name="key"/>'s submissions run.</summary>
    internal static WorkerPlan PlanFor(NotebookKey key, string baseDirectory, GradingLimits limits) =>
        new(Path.GetFullPath(baseDirectory), ReadOnlyFolders(key, baseDirectory), limits.Sandboxed && Sandbox.Available, key.Files);

    static async Task<(NotebookOutcome Outcome, Notebook Executed)> GradeAsync(NotebookKey key, string baseDirectory,
        Notebook submission, GradingLimits limits, Dictionary<string, IReadOnlyList<(string Name, JsonObject Value)>>? recordEmits,
        WarmWorkers? warm, bool forStudent)
    {
        var clock = Stopwatch.StartNew();
        var (steps, tampered) = Plan(key, submission);
        // The semantic checks compile in the background while the first cells run; a test waits for them.
        var integrityTask = Task.Run(() => CheckIntegrity(key, steps, baseDirectory));
        IntegrityReport? integrity = null;
        var plan = PlanFor(key, baseDirectory, limits);
        var emits = new Dictionary<Step, IReadOnlyList<(string Name, JsonObject Value)>>();
        var results = new Dictionary<Step, CellResult>();
        var problems = new List<string>();
        var replay = new List<Step>();
        var deadline = limits.NotebookTimeLimit; // from the moment the first worker is ready (its start is not counted)
        var cells = new Stopwatch();
        Session? session = null;
        // Sealed: the steps from the first hidden test on. Nothing a worker produced after a hidden test reached it
        // (text, error messages, crash descriptions, time) goes into what a student sees: their results keep only
        // the grader's own words (see Seal).
        var sealedSteps = new HashSet<Step>();
        var graderWords = new HashSet<Step>(); // results whose error text the grader wrote (not run, stopped, wrong values)
        CellResult ByGrader(Step step, CellResult r)
        {
            graderWords.Add(step);
            return r;
        }
        TimeSpan? visibleTime = null;
        string? givenUp = null;
        int restarts = 0;
        bool replayNeeded = false;
        try
        {
            foreach (var step in steps.Where(s => s.Cell.Kind == CellKind.Code))
            {
                if (step.Test is { Hidden: true } && visibleTime is null) visibleTime = clock.Elapsed;
                if (visibleTime is not null) sealedSteps.Add(step);
                var remaining = deadline - cells.Elapsed;
                if (givenUp is null && remaining <= TimeSpan.Zero)
                    givenUp = $"not run: the notebook's time limit of {Seconds(limits.NotebookTimeLimit)} was reached";
                if (givenUp is not null)
                {
                    results[step] = ByGrader(step, NotRun(step, givenUp));
                    continue;
                }
                if (step.Test is not null) integrity ??= await Bounded(integrityTask, key, limits.CellTimeout);
                if (step.Test is not null && integrity!.Shadowed.TryGetValue(step.Test.CellId, out var shadow))
                {
                    results[step] = ByGrader(step, NotRun(step, "not run: " + shadow));
                    continue;
                }
                if (session is null)
                {
                    try
                    {
                        session = await (warm is not null && warm.Plan == plan ? warm.TakeAsync() : Session.StartAsync(plan, limits));
                        cells.Start();
                    }
                    catch (InvalidOperationException e)
                    {
                        givenUp = $"not run: the worker process could not start ({e.Message})";
                        problems.Add(givenUp);
                        results[step] = ByGrader(step, NotRun(step, givenUp));
                        continue;
                    }
                }
                if (replayNeeded)
                {
                    // The engine started a fresh worker: bring it to where the dead one was.
                    replayNeeded = false;
                    foreach (var earlier in replay.ToList())
                    {
                        var again = (await session.RunAsync(earlier.Number, earlier.Cell.Source, Min(limits.CellTimeout, deadline - cells.Elapsed))).Result;
                        if (again.Failed) replay.Remove(earlier);
                        if (Died(again)) { session.TakeMemoryKill(); replayNeeded = true; break; }
                    }
                    if (replayNeeded)
                    {
                        givenUp = "not run: the worker died again while replaying the cells before the one that stopped it";
                        results[step] = ByGrader(step, NotRun(step, givenUp));
                        continue;
                    }
                }
                var cellLimit = Min(limits.CellTimeout, deadline - cells.Elapsed);
                var run = await session.RunAsync(step.Number, step.Cell.Source, cellLimit);
                var result = run.Result;
                emits[step] = run.Emits;
                if (Died(result))
                {
                    var why = session.TakeMemoryKill()
                        ? $"cell {step.Number} went past the memory limit of {limits.MemoryLimitMegabytes} MB and its worker was stopped"
                        : Ename(result) == "CellTimeoutError" && cellLimit < limits.CellTimeout
                            ? $"cell {step.Number} was stopped when the notebook's time limit of {Seconds(limits.NotebookTimeLimit)} was reached"
                            : Ename(result) == "CellTimeoutError"
                                ? $"cell {step.Number} did not finish within the cell time limit of {Seconds(limits.CellTimeout)} and was stopped"
                                : forStudent && sealedSteps.Contains(step)
                                    ? $"cell {step.Number} stopped its worker process (how is not shown: it ran after a hidden test)"
                                    : (result.ErrorSummary ?? "the worker process died").Replace("; " + WorkerKernel.RestartNotice, "", StringComparison.Ordinal);
                    result = Replace(result, why);
                    graderWords.Add(step);
                    problems.Add(why);
                    replayNeeded = true;
                    if (++restarts > limits.MaxRestarts)
                        givenUp = $"not run: the worker died {restarts} times (limit {limits.MaxRestarts + 1})";
                }
                else if (!result.Failed && step.Test is null)
                {
                    replay.Add(step);
                }
                results[step] = result;
            }
        }
        finally
        {
            session?.Dispose();
        }
        if (givenUp is not null && !problems.Contains(givenUp)) problems.Add(givenUp);
        if (recordEmits is not null)
            foreach (var (step, list) in emits.Where(e => e.Key.Test is not null && e.Value.Count > 0)) recordEmits[step.Test!.CellId] = list;
        foreach (var (step, list) in emits.Where(e => e.Key.Test is { Expected.Count: > 0 } && recordEmits is null))
            if (results.TryGetValue(step, out var r) && !r.Failed && EmittedValues.Compare(step.Test!.Expected!, list) is { } wrong)
                results[step] = forStudent && sealedSteps.Contains(step) ? ByGrader(step, WrongValueSealed(r)) : new CellResult([.. r.Events, KernelEvent.NewOutput(Outputs.Error("WrongValue", wrong, [wrong]))], true, wrong, r.Duration);
        if (forStudent)
            foreach (var step in sealedSteps.Where(results.ContainsKey)) results[step] = Seal(results[step], graderWords.Contains(step));
        integrity ??= await integrityTask;
        var outcome = Score(key, submission, steps, results, tampered, integrity, problems, (forStudent && visibleTime is { } v ? v : clock.Elapsed).TotalSeconds);
        return (outcome, Executed(submission, steps, results));
    }

    /// <summary>
    /// The cells to run: the submission's cells in its order, each test cell replaced by the key's text (an edit is
    /// recorded as tampering), each visible test the submission lacks (deleted) after the nearest cell above it in the
    /// student version that the submission still has, and then, after every other cell, the hidden tests in the
    /// source's order (also when the notebook has them, as the solution does at assign). So every cell whose output a
    /// student may see has run before the first hidden test reaches the worker. An inserted test carries the number
    /// of the student's cell it follows (for a hidden test: where the source had it).
    /// </summary>
    static (List<Step> Steps, Dictionary<string, List<string>> Tampered) Plan(NotebookKey key, Notebook submission)
    {
        var tests = key.Tests.ToDictionary(t => t.CellId);
        var ids = submission.Cells.Select(c => c.Id).Where(id => id.Length > 0).ToHashSet();
        var placed = new HashSet<string>();
        foreach (var c in submission.Cells)
            if (c.Kind == CellKind.Code && tests.ContainsKey(c.Id)) placed.Add(c.Id);
        var anchored = new Dictionary<string, List<TestKey>>();
        var atStart = new List<TestKey>();
        var tampered = new Dictionary<string, List<string>>();
        void Tamper(TestKey t, string why)
        {
            if (!tampered.TryGetValue(t.Question, out var list)) tampered[t.Question] = list = [];
            list.Add(why);
        }
        int NumberAfter(TestKey t) => t.After.FirstOrDefault(ids.Contains) is { } anchor ? submission.Cells.FindIndex(c => c.Id == anchor) + 1 : 0;
        foreach (var t in key.Tests.Where(t => !placed.Contains(t.CellId) && !t.Hidden))
        {
            Tamper(t, $"test cell \"{t.Name}\" was deleted from the notebook (zero for {t.Question}; it was run from the key)");
            var anchor = t.After.FirstOrDefault(ids.Contains);
            if (anchor is null) atStart.Add(t);
            else
            {
                if (!anchored.TryGetValue(anchor, out var list)) anchored[anchor] = list = [];
                list.Add(t);
            }
        }
        var steps = new List<Step>();
        Step Inserted(TestKey t, int number) => new(new Cell { Kind = CellKind.Code, Id = t.CellId, Source = t.Source,
            Metadata = Notebook.CSharpCellMetadata() }, number, t);
        steps.AddRange(atStart.Select(t => Inserted(t, 0)));
        var used = new HashSet<string>();
        var hiddenNumber = new Dictionary<string, int>();
        for (int i = 0; i < submission.Cells.Count; i++)
        {
            var cell = submission.Cells[i];
            if (cell.Kind == CellKind.Code && tests.TryGetValue(cell.Id, out var t) && used.Add(cell.Id))
            {
                if (t.Hidden)
                {
                    hiddenNumber[t.CellId] = i + 1; // runs with the hidden tests, after every other cell
                    continue;
                }
                if (GraderMetadata.Checksum(cell.Source) != t.Checksum)
                    Tamper(t, $"test cell \"{t.Name}\" was edited (its checksum differs from the key's; zero for {t.Question}; the key's version was run)");
                var canonical = cell.Clone();
                canonical.Source = t.Source;
                steps.Add(new Step(canonical, i + 1, t));
            }
            else
            {
                steps.Add(new Step(cell.Clone(), i + 1, null));
            }
            if (anchored.TryGetValue(cell.Id, out var after))
            {
                steps.AddRange(after.Select(x => Inserted(x, i + 1)));
                anchored.Remove(cell.Id);
            }
        }
        steps.AddRange(key.Tests.Where(t => t.Hidden).Select(t => Inserted(t, hiddenNumber.TryGetValue(t.CellId, out var n) ? n : NumberAfter(t))));
        return (steps, tampered);
    }

    /// <summary>The solution's code cells as the grader runs them (hidden tests last, see <see cref="Plan"/>), one list
    /// per key so that the semantic checks' cache of the solution's compilation holds.</summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<CodeCell>, IReadOnlyList<CodeCell>> SolutionOrder = new();

    static IReadOnlyList<CodeCell> InRunOrder(NotebookKey key, IReadOnlyList<CodeCell> code) => SolutionOrder.GetValue(code, c =>
    {
        var hidden = key.Tests.Where(t => t.Hidden).Select(t => t.CellId).ToHashSet();
        return [.. c.Where(x => !(x.Test && hidden.Contains(x.Id))), .. key.Tests.Where(t => t.Hidden)
            .Select(t => c.FirstOrDefault(x => x.Id == t.CellId) ?? new CodeCell(t.CellId, t.Source, null, true))];
    });

    /// <summary>The semantic checks' report, or, when they take longer than <paramref name="limit"/> (a submission can
    /// keep Roslyn binding for minutes), one that runs no test: fail closed.</summary>
    static async Task<IntegrityReport> Bounded(Task<IntegrityReport> checks, NotebookKey key, TimeSpan limit)
    {
        using var clock = new CancellationTokenSource();
        if (await Task.WhenAny(checks, Task.Delay(limit, clock.Token)) == checks)
        {
            clock.Cancel();
            return await checks;
        }
        var why = $"the grader's semantic checks of this notebook's code did not finish within {Seconds(limit)}";
        return new IntegrityReport(key.Tests.ToDictionary(t => t.CellId, _ => why), new Dictionary<string, List<string>>());
    }

    /// <summary>The semantic checks of <see cref="Integrity"/> over the planned cells (none for a key without the solution's code).</summary>
    static IntegrityReport CheckIntegrity(NotebookKey key, List<Step> steps, string baseDirectory)
    {
        if (key.Code is null) return new IntegrityReport(new Dictionary<string, string>(), new Dictionary<string, List<string>>());
        var questionOf = key.SolutionCells.GroupBy(s => s.CellId).ToDictionary(g => g.Key, g => g.First().Question);
        var submission = steps.Where(s => s.Cell.Kind == CellKind.Code).Select(s => new CodeCell(s.Cell.Id, s.Cell.Source,
            s.Test is null ? questionOf.GetValueOrDefault(s.Cell.Id) : null, s.Test is not null)).ToList();
        try
        {
            return Integrity.Check(InRunOrder(key, key.Code), submission, key.Questions, baseDirectory);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or BadImageFormatException)
        {
            // Fail closed: a test whose meaning cannot be checked is not run.
            var why = $"the grader could not analyse this notebook's code ({e.GetType().Name}: {e.Message})";
            return new IntegrityReport(key.Tests.ToDictionary(t => t.CellId, _ => why), new Dictionary<string, List<string>>());
        }
    }

    /// <summary>The folders a sandboxed worker may read besides its own: those of the assemblies the solution's (and the
    /// tests') <c>#r</c> directives load; an assembly in the notebook's own folder (or above it) is shown alone.</summary>
    static List<string> ReadOnlyFolders(NotebookKey key, string baseDirectory)
    {
        var folders = new List<string>();
        var baseDir = Path.GetFullPath(baseDirectory).TrimEnd('/') + "/";
        var sources = (key.Code?.Select(c => c.Source) ?? []).Concat(key.Tests.Select(t => t.Source));
        foreach (var path in sources.SelectMany(s => CellDirectives.Process(s, baseDirectory).AssemblyPaths).Distinct())
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!.TrimEnd('/') + "/";
            folders.Add(baseDir.StartsWith(dir, StringComparison.Ordinal) ? path : dir.TrimEnd('/'));
        }
        return folders;
    }

    static NotebookOutcome Score(NotebookKey key, Notebook submission, List<Step> steps, Dictionary<Step, CellResult> results,
        Dictionary<string, List<string>> tampered, IntegrityReport integrity, List<string> problems, double seconds)
    {
        var byTest = steps.Where(s => s.Test is not null).GroupBy(s => s.Test!.CellId).ToDictionary(g => g.Key, g => g.First());
        var bySubmissionCell = steps.Where(s => s.Test is null && s.Cell.Id.Length > 0)
            .GroupBy(s => s.Cell.Id).ToDictionary(g => g.Key, g => g.First());
        var questions = new List<QuestionOutcome>();
        foreach (var q in key.Questions)
        {
            var reasons = new List<string>();
            var solutionCells = key.SolutionCells.Where(s => s.Question == q.Id).ToList();
            if (q.Manual)
            {
                var answer = string.Join("\n\n", solutionCells.Select(s =>
                    submission.Cells.FirstOrDefault(c => c.Id == s.CellId)?.Source ?? "(the answer cell was deleted)"));
                questions.Add(new QuestionOutcome(q.Id, q.Title, q.Points, null, true, ["graded by hand"], [], answer));
                continue;
            }
            if (tampered.TryGetValue(q.Id, out var t)) reasons.AddRange(t);
            foreach (var s in solutionCells)
            {
                if (!bySubmissionCell.TryGetValue(s.CellId, out var step))
                    reasons.Add($"the cell for your code (cell {s.Number} of the assignment) was deleted");
                else if (results.TryGetValue(step, out var r) && r.Failed)
                    reasons.Add($"your code in cell {step.Number} failed: {Short(r.ErrorSummary)}");
            }
            var outcomes = new List<TestOutcome>();
            foreach (var test in key.Tests.Where(x => x.Question == q.Id))
            {
                if (!byTest.TryGetValue(test.CellId, out var step) || !results.TryGetValue(step, out var r))
                {
                    outcomes.Add(new TestOutcome(test.CellId, test.Name, test.Points, 0, test.Hidden, TestOutcome.NotRun, "not run", 0));
                    continue;
                }
                bool notRun = r.Events.Count == 1 && Ename(r) == NotRunName;
                bool pass = !r.Failed;
                outcomes.Add(new TestOutcome(test.CellId, test.Name, test.Points, pass ? test.Points : 0, test.Hidden,
                    pass ? TestOutcome.Passed : notRun ? TestOutcome.NotRun : TestOutcome.FailedStatus,
                    pass ? null : Message(r), r.Duration.TotalSeconds));
            }
            if (integrity.Forbidden.TryGetValue(q.Id, out var forbidden))
                reasons.AddRange(forbidden.Select(f => $"zero for {q.Id}: {f}"));
            foreach (var test in key.Tests.Where(x => x.Question == q.Id))
                if (integrity.Shadowed.TryGetValue(test.CellId, out var shadow))
                    reasons.Add($"zero for {q.Id}: {(test.Hidden ? "a hidden test" : $"test \"{test.Name}\"")} was not run: {shadow}");
            bool zeroed = tampered.ContainsKey(q.Id) || forbidden is not null || key.Tests.Any(x => x.Question == q.Id && integrity.Shadowed.ContainsKey(x.CellId));
            double score = zeroed ? 0 : outcomes.Sum(o => o.Score);
            questions.Add(new QuestionOutcome(q.Id, q.Title, q.Points, score, false, reasons, outcomes, null));
        }
        return Scrub(key, new NotebookOutcome(key.Name, questions, problems, seconds));
    }

    /// <summary>
    /// Removes hidden tests' text from everything a student sees before publication (problems, reasons, visible tests'
    /// messages): a submission that saw a hidden test run could print it later, or write it to stderr and crash.
    /// </summary>
    static NotebookOutcome Scrub(NotebookKey key, NotebookOutcome o)
    {
        var secrets = key.Tests.Where(t => t.Hidden).SelectMany(t => t.Source.Split('\n')).Select(l => l.Trim())
            .Where(l => l.Length >= 12).Distinct().OrderByDescending(l => l.Length).ToList();
        if (secrets.Count == 0) return o;
        string Clean(string s)
        {
            foreach (var x in secrets) s = s.Replace(x, "[hidden test text removed]", StringComparison.Ordinal);
            return s;
        }
        return o with
        {
            Problems = o.Problems.Select(Clean).ToList(),
            Questions = o.Questions.Select(q => q with
            {
                Reasons = q.Reasons.Select(Clean).ToList(),
                Tests = q.Tests.Select(t => t.Hidden || t.Message is null ? t : t with { Message = Clean(t.Message) }).ToList(),
            }).ToList(),
        };
    }

    /// <summary>The submission's cells with the tests as run, and the outputs each cell produced.</summary>
    static Notebook Executed(Notebook submission, List<Step> steps, Dictionary<Step, CellResult> results)
    {
        var nb = new Notebook { Metadata = (JsonObject)submission.Metadata.DeepClone(), FormatMajor = submission.FormatMajor, FormatMinor = submission.FormatMinor };
        int count = 0;
        var displays = new Dictionary<string, (Cell Cell, int Index)>();
        foreach (var step in steps)
        {
            var cell = step.Cell.Clone();
            cell.Outputs.Clear();
            cell.ExecutionCount = null;
            if (cell.Kind == CellKind.Code && results.TryGetValue(step, out var r))
            {
                cell.ExecutionCount = ++count;
                foreach (var e in r.Events)
                {
                    if (e.Kind == KernelEvent.UpdateKind)
                    {
                        if (e.DisplayId is { } id && displays.TryGetValue(id, out var at)) at.Cell.Outputs[at.Index] = e.Output;
                        continue;
                    }
                    var output = (JsonObject)e.Output.DeepClone();
                    if (output["output_type"]?.GetValue<string>() == "execute_result") output["execution_count"] = count;
                    cell.Outputs.Add(output);
                    if (e.DisplayId is { } newId) displays[newId] = (cell, cell.Outputs.Count - 1);
                }
            }
            nb.Cells.Add(cell);
        }
        return nb;
    }

    const string NotRunName = "NotRun";

    static CellResult NotRun(Step step, string why) => new(
        [KernelEvent.NewOutput(Outputs.Error(NotRunName, why, [$"Cell {step.Number}: {why}"]))], true, why, TimeSpan.Zero);

    /// <summary>
    /// A result of a step that ran after a hidden test reached the worker, in the grader's words only: passed (no
    /// output), not run or stopped (the reason the grader wrote), wrong values (a fixed sentence, as the comparison's
    /// message could quote names the submission emitted), or failed (a fixed sentence: the exception's type and
    /// message, the console output and the stack frames are the submission's to choose, and it may have read the test).
    /// </summary>
    static CellResult Seal(CellResult r, bool graderWords)
    {
        if (!r.Failed) return new CellResult([], false, null, r.Duration);
        if (graderWords) return r with
        {
            Events = [.. r.Events.Where(e => e.Output["output_type"]?.GetValue<string>() == "error")],
        };
        const string why = "this test failed (what it raised or printed is not shown: it ran after the hidden tests reached your code)";
        return new CellResult([KernelEvent.NewOutput(Outputs.Error("Failed", why, [why]))], true, why, r.Duration);
    }

    const string WrongValueName = "WrongValue", WrongValueSentence = "the values this test emitted differ from the solution's";

    static CellResult WrongValueSealed(CellResult r) =>
        new([KernelEvent.NewOutput(Outputs.Error(WrongValueName, WrongValueSentence, [WrongValueSentence]))], true, WrongValueSentence, r.Duration);

    static CellResult Replace(CellResult r, string why) => new(
        [.. r.Events.Where(e => e.Output["output_type"]?.GetValue<string>() != "error"),
            KernelEvent.NewOutput(Outputs.Error(Ename(r) ?? "WorkerCrashed", why, [why]))], true, why, r.Duration);

    static bool Died(CellResult r) => r.Failed && Ename(r) is { } e && WorkerDeaths.Contains(e);

    static string? Ename(CellResult r) =>
        r.Events.Select(e => e.Output).LastOrDefault(o => o["output_type"]?.GetValue<string>() == "error")?["ename"]?.GetValue<string>();

    static string Message(CellResult r)
    {
        var error = r.Events.Select(e => e.Output).LastOrDefault(o => o["output_type"]?.GetValue<string>() == "error");
        var summary = r.ErrorSummary ?? error?["evalue"]?.GetValue<string>() ?? "failed";
        var stdout = string.Concat(r.Events.Select(e => e.Output).Where(o => o["output_type"]?.GetValue<string>() == "stream")
            .Select(o => Outputs.Text(o["text"])));
        return stdout.Trim().Length == 0 ? summary : summary + "\n" + Truncate(stdout.Trim(), 2000);
    }

    static string Short(string? s) => Truncate((s ?? "failed").Split('\n')[0], 400);

    static string Truncate(string s, int n) => s.Length <= n ? s : s[..n] + " …";

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}

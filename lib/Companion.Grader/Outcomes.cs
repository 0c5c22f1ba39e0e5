namespace Companion.Grader;

/// <summary>How one test cell went. <see cref="Status"/> is <c>passed</c>, <c>failed</c> or <c>not run</c>.</summary>
public sealed record TestOutcome(string CellId, string Name, double Points, double Score, bool Hidden, string Status,
    string? Message, double Seconds)
{
    public const string Passed = "passed", FailedStatus = "failed", NotRun = "not run";
}

/// <summary>
/// One question's grade: the sum of its passed tests' points (partial credit per test), or zero when one of its test
/// cells was edited or deleted. <see cref="Score"/> is null for a manual (markdown) question, whose
/// <see cref="Answer"/> is what the student wrote.
/// </summary>
public sealed record QuestionOutcome(string Id, string Title, double Points, double? Score, bool Manual,
    IReadOnlyList<string> Reasons, IReadOnlyList<TestOutcome> Tests, string? Answer);

/// <summary>The grade of one notebook of one submission. <see cref="Problems"/> are notebook-wide (unreadable file,
/// time limit, worker restarts), also repeated in the reasons of the questions they cost.</summary>
public sealed record NotebookOutcome(string Name, IReadOnlyList<QuestionOutcome> Questions, IReadOnlyList<string> Problems,
    double Seconds)
{
    public double Score => Questions.Sum(q => q.Score ?? 0);
    public double AutoPoints => Questions.Where(q => !q.Manual).Sum(q => q.Points);
}

/// <summary>All notebooks of one student's submission.</summary>
public sealed record StudentOutcome(string Student, IReadOnlyList<NotebookOutcome> Notebooks)
{
    public double Score => Notebooks.Sum(n => n.Score);
    public double AutoPoints => Notebooks.Sum(n => n.AutoPoints);
    public double Seconds => Notebooks.Sum(n => n.Seconds);
}

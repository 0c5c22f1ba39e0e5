using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Companion.Notebooks;

namespace Companion.Grader;

/// <summary>One line of a solution region found in a student version.</summary>
/// <param name="Cell">The student version's cell (1-based) that holds it.</param>
/// <param name="CellId">That cell's id.</param>
/// <param name="Where">"source", "outputs" or "metadata" (the notebook's own metadata: cell 0).</param>
/// <param name="Line">The solution line as the source notebook has it (trimmed).</param>
/// <param name="SourceCell">The source notebook's cell (1-based) whose solution region holds the line.</param>
public sealed record SolutionLeak(int Cell, string CellId, string Where, string Line, int SourceCell)
{
    public override string ToString() => Cell == 0
        ? $"notebook metadata holds solution text of cell {SourceCell}: \"{Line}\""
        : $"cell {Cell} ({CellId}) {Where} holds solution text of cell {SourceCell}: \"{Line}\"";
}

/// <summary>
/// Checks that a student version gives away no answer: no line of a solution region (code between
/// <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c>, markdown between <c>&lt;!-- BEGIN SOLUTION --&gt;</c> and
/// <c>&lt;!-- END SOLUTION --&gt;</c>) appears in any cell's source, outputs or metadata, nor in the notebook's metadata.
/// <para>The rule. Lines are compared normalised: trimmed, leading comment, quote, heading and list marks
/// (<c>//</c>, <c>#</c>, <c>&gt;</c>, <c>-</c>, <c>*</c>, <c>+</c>, <c>1.</c>) removed, emphasis and code marks
/// (<c>*</c>, <c>_</c>, <c>`</c>) removed everywhere, runs of white space made one space, case ignored. A solution line counts when it has at least <see cref="MinSignificant"/> letters or digits (blank
/// lines, braces and short statements such as <c>var n = x.Length;</c> or <c>for (int i = 0; i &lt; n; i++)</c> do
/// not). It leaks when a normalised line of the student version contains it. One exception, for code: a code
/// solution line that the source also gives students on purpose, inside a line of code outside every solution
/// region (a hint in the region's own <c>// BEGIN PROMPT</c>, scaffolding in another cell, a public test), is not
/// an answer, unless every counted line of that region is given that way: then the prompt or the scaffolding
/// repeats the whole solution, and its first line is the leak. Markdown answers have no exception: a written answer's sentence
/// repeated anywhere else (an unmarked markdown cell, a prompt, a code comment) is a leak.</para>
/// </summary>
public static partial class SolutionLeakCheck
{
    /// <summary>Letters and digits a normalised line needs before it counts as answer text.</summary>
    public const int MinSignificant = 16;

    [GeneratedRegex(@"^(?:(?://+|#+|>+|[-*+]|\d+[.)])\s*)+")]
    private static partial Regex LeadingMarks();

    [GeneratedRegex(@"[*_`]")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>A line as the check compares it (see the class summary).</summary>
    public static string Normalise(string line) =>
        Spaces().Replace(Emphasis().Replace(LeadingMarks().Replace(line.Trim(), ""), ""), " ").Trim().ToLowerInvariant();

    /// <summary>Whether a normalised line has enough letters or digits to count as answer text.</summary>
    public static bool Counts(string normalised) => normalised.Count(char.IsLetterOrDigit) >= MinSignificant;

    /// <summary>The solution lines of <paramref name="source"/> that a student version must not hold, each with its cell.</summary>
    public static List<(string Normalised, string Line, int SourceCell)> AnswerLines(Notebook source)
    {
        var given = new List<string>();
        var regions = new List<(List<(string Normalised, string Line)> Lines, bool Code, int Cell)>();
        for (int i = 0; i < source.Cells.Count; i++)
        {
            var cell = source.Cells[i];
            if (cell.Kind == CellKind.Raw) continue;
            bool markdown = cell.Kind == CellKind.Markdown;
            List<(string, string)>? current = null;
            foreach (var (line, region) in Markers.Regions(cell.Source, markdown))
            {
                if (region != "SOLUTION")
                {
                    current = null;
                    if (!markdown) given.Add(Normalise(line));
                    continue;
                }
                if (current is null) regions.Add((current = [], !markdown, i + 1));
                var n = Normalise(line);
                if (Counts(n)) current.Add((n, line.Trim()));
            }
        }
        var answers = new List<(string, string, int)>();
        foreach (var (lines, code, cell) in regions.Where(r => r.Lines.Count > 0))
        {
            var kept = code ? lines.Where(l => !given.Any(g => g.Contains(l.Normalised, StringComparison.Ordinal))).ToList() : lines;
            answers.AddRange((kept.Count > 0 ? kept : lines.Take(1)).Select(l => (l.Normalised, l.Line, cell)));
        }
        return answers;
    }

    /// <summary>The solution lines of <paramref name="source"/> found in <paramref name="student"/> (empty: no leak).</summary>
    public static List<SolutionLeak> Find(Notebook source, Notebook student)
    {
        var answers = AnswerLines(source);
        var leaks = new List<SolutionLeak>();
        void Scan(int cell, string id, string where, IEnumerable<string> texts)
        {
            var lines = texts.SelectMany(t => t.Split('\n')).Select(Normalise).Where(l => l.Length > 0).ToList();
            foreach (var (n, line, sourceCell) in answers)
                if (lines.Any(l => l.Contains(n, StringComparison.Ordinal))
                    && !leaks.Any(x => x.Cell == cell && x.Where == where && x.Line == line))
                    leaks.Add(new SolutionLeak(cell, id, where, line, sourceCell));
        }
        Scan(0, "", "metadata", Strings(student.Metadata));
        for (int i = 0; i < student.Cells.Count; i++)
        {
            var c = student.Cells[i];
            Scan(i + 1, c.Id, "source", [c.Source]);
            Scan(i + 1, c.Id, "outputs", c.Outputs.SelectMany(o => Strings(o)));
            Scan(i + 1, c.Id, "metadata", Strings(c.Metadata));
        }
        return leaks;
    }

    /// <summary>The check as <c>assign</c> reports it: passed, or each leak (notebook, cell, line).</summary>
    public static CheckResult Result(string name, Notebook source, Notebook student)
    {
        var leaks = Find(source, student);
        return new CheckResult(name, "the student version holds no solution text", leaks.Count == 0, leaks.Count == 0
            ? $"none of the {AnswerLines(source).Count} solution lines of {MinSignificant}+ letters or digits is in its sources, outputs or metadata"
            : string.Join("; ", leaks));
    }

    /// <summary>Every string inside a JSON value (object keys left out).</summary>
    static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}

using System.Text;
using System.Text.RegularExpressions;

namespace Companion.Grader;

/// <summary>The two versions of one marked cell: what the student gets and what the solution runs.</summary>
/// <param name="Regions">How many solution regions the cell has (0: the cell is the same in both versions).</param>
public sealed record MarkedSource(string Student, string Solution, int Regions);

/// <summary>
/// Solution and prompt regions inside a cell (nbgrader / otter-grader style, language-neutral markers on their own lines).
/// Code cells: <c>// BEGIN SOLUTION</c> … <c>// END SOLUTION</c>; an optional <c>// BEGIN PROMPT</c> … <c>// END PROMPT</c>
/// right before it holds what students see instead, written as comments so the source still runs (the student
/// version drops one leading <c>//</c> from each prompt line). Without a prompt the region becomes
/// <c>throw new NotImplementedException("question: …")</c>. Markdown cells: <c>&lt;!-- BEGIN SOLUTION --&gt;</c> …
/// <c>&lt;!-- END SOLUTION --&gt;</c> with an optional <c>&lt;!-- BEGIN PROMPT --&gt;</c> … <c>&lt;!-- END PROMPT --&gt;</c>.
/// </summary>
public static partial class Markers
{
    /// <summary>What an unanswered markdown region says in the student version.</summary>
    public const string MarkdownPlaceholder = "_Type your answer here, replacing this text._";

    [GeneratedRegex(@"^\s*//\s*(?<kind>BEGIN|END)\s+(?<what>SOLUTION|PROMPT)\b.*$")]
    private static partial Regex CodeMarker();

    [GeneratedRegex(@"^\s*<!--\s*(?<kind>BEGIN|END)\s+(?<what>SOLUTION|PROMPT)\s*-->\s*$")]
    private static partial Regex MarkdownMarker();

    [GeneratedRegex(@"^(?<indent>\s*)// ?")]
    private static partial Regex CommentPrefix();

    /// <summary>Whether the cell has any solution region.</summary>
    public static bool HasSolution(string source, bool markdown) =>
        SplitLines(source).Any(l => Marker(l, markdown) is ("BEGIN", "SOLUTION"));

    /// <summary>Whether the cell has any marker line at all (solution or prompt).</summary>
    public static bool HasMarkers(string source, bool markdown) => SplitLines(source).Any(l => Marker(l, markdown) is not null);

    /// <summary>
    /// Each line of a cell with the region it stands in: <c>"SOLUTION"</c>, <c>"PROMPT"</c>, or null outside both
    /// (marker lines themselves are left out). Assumes balanced markers (<see cref="Split"/> checks them).
    /// </summary>
    public static IEnumerable<(string Line, string? Region)> Regions(string source, bool markdown)
    {
        string? open = null;
        foreach (var line in SplitLines(source))
        {
            if (Marker(line, markdown) is { } m) open = m.Kind == "BEGIN" ? m.What : null;
            else yield return (line, open);
        }
    }

    static (string Kind, string What)? Marker(string line, bool markdown)
    {
        var m = (markdown ? MarkdownMarker() : CodeMarker()).Match(line);
        return m.Success ? (m.Groups["kind"].Value, m.Groups["what"].Value) : null;
    }

    /// <summary>
    /// Splits a marked cell into its student and solution versions. <paramref name="question"/> names the question in the
    /// stub's message; <paramref name="where"/> ("notebook.ipynb, cell 4") prefixes errors about unbalanced markers.
    /// </summary>
    public static MarkedSource Split(string source, bool markdown, string question, string where)
    {
        var lines = SplitLines(source);
        var student = new List<string>();
        var solution = new List<string>();
        string? open = null;        // "SOLUTION" or "PROMPT" while inside a region
        int openedAt = 0, regions = 0;
        bool promptJustClosed = false;
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var marker = Marker(line, markdown);
            if (marker is null)
            {
                if (open == "SOLUTION") solution.Add(line);
                else if (open == "PROMPT") student.Add(markdown ? line : Uncomment(line));
                else
                {
                    student.Add(line);
                    solution.Add(line);
                    if (line.Trim().Length > 0) promptJustClosed = false;
                }
                continue;
            }
            var (kind, what) = marker.Value;
            if (kind == "BEGIN")
            {
                if (open is not null)
                    throw new GraderFormatException($"{where}, line {i + 1}: BEGIN {what} inside the {open} region opened at line {openedAt}");
                open = what;
                openedAt = i + 1;
                if (what == "SOLUTION")
                {
                    regions++;
                    if (!promptJustClosed)
                    {
                        var indent = line[..(line.Length - line.TrimStart().Length)];
                        student.Add(markdown ? MarkdownPlaceholder : $"{indent}throw new NotImplementedException(\"{Escape(question)}: replace this line with your code\");");
                    }
                }
                promptJustClosed = false;
            }
            else
            {
                if (open != what)
                    throw new GraderFormatException(open is null
                        ? $"{where}, line {i + 1}: END {what} without a BEGIN {what}"
                        : $"{where}, line {i + 1}: END {what} inside the {open} region opened at line {openedAt}");
                open = null;
                promptJustClosed = what == "PROMPT";
            }
        }
        if (open is not null)
            throw new GraderFormatException($"{where}, line {openedAt}: BEGIN {open} is never closed (END {open} missing)");
        return new MarkedSource(Join(student, source), Join(solution, source), regions);
    }

    static string Uncomment(string line) => CommentPrefix().Replace(line, m => m.Groups["indent"].Value, 1);

    static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    static List<string> SplitLines(string source) => source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();

    static string Join(List<string> lines, string original)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            if (i > 0) sb.Append('\n');
            sb.Append(lines[i]);
        }
        var text = sb.ToString();
        return original.EndsWith('\n') || text.Length == 0 ? text : text.TrimEnd('\n');
    }
}

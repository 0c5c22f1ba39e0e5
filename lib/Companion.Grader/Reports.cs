using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Companion.Grader;

/// <summary>What grading writes per student (Gradescope <c>results.json</c>, an HTML feedback page, the full grade as
/// JSON) and for the batch (a CSV of students × questions).</summary>
public static class Reports
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// The Gradescope autograder layout (<c>/autograder/results/results.json</c>): total <c>score</c>,
    /// <c>execution_time</c>, and one entry per test cell with <c>score</c>, <c>max_score</c>, <c>status</c>,
    /// <c>name</c>, <c>number</c>, <c>output</c> and <c>visibility</c> (hidden tests: <c>after_published</c>). A
    /// question zeroed for an edited or deleted test gets its tests' scores set to zero with that reason.
    /// </summary>
    public static JsonObject GradescopeResults(StudentOutcome student)
    {
        var tests = new JsonArray();
        int nbIndex = 0;
        foreach (var nb in student.Notebooks)
        {
            nbIndex++;
            int qIndex = 0;
            foreach (var q in nb.Questions.Where(q => !q.Manual))
            {
                qIndex++;
                bool zeroed = q.Score == 0 && q.Tests.Any(t => t.Score > 0);
                int tIndex = 0;
                foreach (var t in q.Tests)
                {
                    tIndex++;
                    var output = new StringBuilder();
                    if (t.Message is { } m) output.AppendLine(m);
                    if (t.Status != TestOutcome.Passed || zeroed)
                        foreach (var r in q.Reasons) output.AppendLine(r);
                    tests.Add(new JsonObject
                    {
                        ["name"] = student.Notebooks.Count > 1 ? $"{nb.Name}: {t.Name}" : t.Name,
                        ["number"] = student.Notebooks.Count > 1 ? $"{nbIndex}.{qIndex}.{tIndex}" : $"{qIndex}.{tIndex}",
                        ["score"] = zeroed ? 0 : t.Score,
                        ["max_score"] = t.Points,
                        ["status"] = t.Status == TestOutcome.Passed && !zeroed ? "passed" : "failed",
                        ["output"] = output.ToString().TrimEnd(),
                        ["visibility"] = t.Hidden ? "after_published" : "visible",
                        ["tags"] = new JsonArray(q.Id),
                    });
                }
            }
        }
        var problems = student.Notebooks.SelectMany(n => n.Problems.Select(p => $"{n.Name}: {p}")).ToList();
        return new JsonObject
        {
            ["score"] = student.Score,
            ["execution_time"] = Math.Round(student.Seconds, 2),
            ["output"] = problems.Count == 0 ? $"{Num(student.Score)} / {Num(student.AutoPoints)} points graded automatically."
                : $"{Num(student.Score)} / {Num(student.AutoPoints)} points graded automatically. " + string.Join(" ", problems),
            ["visibility"] = "visible",
            ["stdout_visibility"] = "hidden",
            ["tests"] = tests,
        };
    }

    /// <summary>The CSV header: student, one column per question (<c>notebook:question</c> when the key has several notebooks), total, max, problems.</summary>
    public static IReadOnlyList<string> CsvColumns(AssignmentKey key) =>
        ["student", .. QuestionColumns(key).Select(c => c.Header), "total", "max", "problems"];

    static IEnumerable<(string Notebook, string Question, string Header)> QuestionColumns(AssignmentKey key) =>
        key.Notebooks.SelectMany(n => n.Questions.Select(q => (n.Name, q.Id,
            (key.Notebooks.Count > 1 ? $"{Path.ChangeExtension(n.Name, null)}:{q.Id}" : q.Id) + (q.Manual ? " (manual)" : ""))));

    /// <summary>One row per student (sorted by name), one column per question; manual questions are left empty.</summary>
    public static string Csv(AssignmentKey key, IEnumerable<StudentOutcome> students)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", CsvColumns(key).Select(Quote)));
        var columns = QuestionColumns(key).ToList();
        foreach (var s in students.OrderBy(s => s.Student, StringComparer.Ordinal))
        {
            var cells = new List<string> { Quote(s.Student) };
            foreach (var (nbName, qId, _) in columns)
            {
                var q = s.Notebooks.FirstOrDefault(n => n.Name == nbName)?.Questions.FirstOrDefault(x => x.Id == qId);
                cells.Add(q?.Score is { } v ? Num(v) : "");
            }
            cells.Add(Num(s.Score));
            cells.Add(Num(s.AutoPoints));
            cells.Add(Quote(string.Join("; ", s.Notebooks.SelectMany(n => n.Problems.Select(p => $"{n.Name}: {p}")))));
            sb.AppendLine(string.Join(",", cells));
        }
        return sb.ToString();
    }

    /// <summary>A self-contained HTML page telling one student what each question scored and why.</summary>
    public static string FeedbackHtml(StudentOutcome s)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.Append(Inv, $"<title>Feedback: {E(s.Student)}</title>\n<style>{Css}</style></head><body>\n");
        h.Append(Inv, $"<h1>Feedback for {E(s.Student)}</h1>\n");
        h.Append(Inv, $"<p class=\"score\">Automatically graded: {Num(s.Score)} / {Num(s.AutoPoints)} points.</p>\n");
        foreach (var nb in s.Notebooks)
        {
            h.Append(Inv, $"<h2>{E(nb.Name)}: {Num(nb.Score)} / {Num(nb.AutoPoints)}</h2>\n");
            foreach (var p in nb.Problems) h.Append(Inv, $"<p class=\"reason\">{E(p)}</p>\n");
            h.Append("<table><tr><th>question</th><th>score</th><th>tests and reasons</th></tr>\n");
            foreach (var q in nb.Questions)
            {
                h.Append(Inv, $"<tr><td>{E(q.Id)}{(q.Title != q.Id ? ": " + E(q.Title) : "")}</td>");
                h.Append(Inv, $"<td>{(q.Manual ? "graded by hand" : Num(q.Score ?? 0))} / {Num(q.Points)}</td><td>");
                foreach (var r in q.Reasons.Where(_ => !q.Manual)) h.Append(Inv, $"<p class=\"reason\">{E(r)}</p>");
                if (q.Manual) h.Append(Inv, $"<p>Your answer:</p><pre>{E(q.Answer ?? "")}</pre>");
                if (q.Tests.Count > 0)
                {
                    // Hidden tests stay hidden until the grades are published (results.json: after_published): no name,
                    // no message, no score here. A zeroed question shows no "passed".
                    bool zeroed = !q.Manual && q.Score == 0 && q.Tests.Any(t => t.Score > 0);
                    h.Append("<ul>");
                    foreach (var t in q.Tests.Where(t => !t.Hidden))
                    {
                        var status = zeroed && t.Status == TestOutcome.Passed ? "not counted" : t.Status;
                        var cls = status == TestOutcome.Passed ? "passed" : t.Status == TestOutcome.NotRun ? "notrun" : "failed";
                        h.Append(Inv, $"<li><span class=\"{cls}\">{E(status)}</span> {E(t.Name)}: {Num(zeroed ? 0 : t.Score)} / {Num(t.Points)}");
                        if (t.Message is { } m) h.Append(Inv, $"<pre>{E(m)}</pre>");
                        h.Append("</li>");
                    }
                    var hidden = q.Tests.Where(t => t.Hidden).ToList();
                    if (hidden.Count > 0)
                        h.Append(Inv, $"<li><span class=\"notrun\">hidden</span> {hidden.Count} hidden test{(hidden.Count > 1 ? "s" : "")} " +
                            $"({Num(hidden.Sum(t => t.Points))} points): results are shown when the grades are published</li>");
                    h.Append("</ul>");
                }
                h.Append("</td></tr>\n");
            }
            h.Append(Inv, $"</table>\n<p>Graded in {nb.Seconds:0.0} s.</p>\n");
        }
        h.Append("</body></html>\n");
        return h.ToString();
    }

    const string Css = """
        body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem} th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#f3f3f3} .passed{color:#11772d} .failed{color:#b3261e} .notrun{color:#8a6d00}
        pre{white-space:pre-wrap;margin:0;font-size:.85rem} .reason{color:#b3261e} .score{font-weight:bold}
        """;

    /// <summary>Writes <c>DIR/STUDENT/results.json</c>, <c>grade.json</c>, its signature <c>grade.json.sig</c>
    /// (HMAC-SHA256 under <paramref name="secret"/>, see <see cref="AssignmentKey.ResultSecret"/>) and <c>feedback.html</c>.</summary>
    public static void WriteStudent(string directory, StudentOutcome s, byte[] secret)
    {
        var dir = Path.Combine(directory, SafeName(s.Student));
        Directory.CreateDirectory(dir);
        Companion.Notebooks.NotebookFile.WriteTextAtomically(Path.Combine(dir, "results.json"),
            GradescopeResults(s).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var grade = JsonSerializer.Serialize(s, AssignmentKey.Json) + "\n";
        Companion.Notebooks.NotebookFile.WriteTextAtomically(Path.Combine(dir, GradeFile), grade);
        Companion.Notebooks.NotebookFile.WriteTextAtomically(Path.Combine(dir, GradeFile + ".sig"), Sign(grade, secret) + "\n");
        Companion.Notebooks.NotebookFile.WriteTextAtomically(Path.Combine(dir, "feedback.html"), FeedbackHtml(s));
    }

    public const string GradeFile = "grade.json";

    static string Sign(string text, byte[] secret) =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(text)));

    /// <summary>Reads every <c>*/grade.json</c> under the given shard output folders; with <paramref name="secret"/>,
    /// only grades whose signature the grader wrote under that secret (anything else is an error naming the file).</summary>
    public static List<StudentOutcome> ReadGrades(IEnumerable<string> directories, byte[]? secret = null)
    {
        var all = new List<StudentOutcome>();
        foreach (var d in directories)
        {
            if (!Directory.Exists(d)) throw new GraderFormatException($"{d}: no such folder of grades");
            foreach (var f in Directory.EnumerateFiles(d, GradeFile, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                try
                {
                    var text = File.ReadAllText(f);
                    if (secret is not null && !(File.Exists(f + ".sig") && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                            Encoding.ASCII.GetBytes(File.ReadAllText(f + ".sig").Trim()), Encoding.ASCII.GetBytes(Sign(text, secret)))))
                        throw new GraderFormatException($"{f}: not signed by the grader for this key (changed after grading, or graded with another key)");
                    all.Add(JsonSerializer.Deserialize<StudentOutcome>(text, AssignmentKey.Json)
                        ?? throw new GraderFormatException($"{f}: empty grade file"));
                }
                catch (JsonException e)
                {
                    throw new GraderFormatException($"{f}: not a grade file ({e.Message})", e);
                }
            }
        }
        return all;
    }

    /// <summary>A student name usable as a folder name (no path separators, no leading dots).</summary>
    public static string SafeName(string s)
    {
        var chars = s.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '@' ? c : '_').ToArray();
        var name = new string(chars).TrimStart('.');
        return name.Length == 0 ? "_" : name;
    }

    static string Num(double v) => v.ToString("0.##", Inv);

    static string E(string s) => WebUtility.HtmlEncode(s);

    static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

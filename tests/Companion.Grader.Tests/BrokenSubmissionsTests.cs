using System.Text.Json.Nodes;
using Companion.Grader;
using Companion.Notebooks;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

/// <summary>
/// A folder of deliberately broken submissions of the example assignment, graded in one batch (2 at a time): each
/// breaks one thing and must lose exactly the points of the question it breaks, with the reason, and the batch finishes.
/// </summary>
public sealed class BrokenBatch : IAsyncLifetime
{
    /// <summary>Per cell; generous for a loaded 2-core machine, short enough that the infinite loop costs little.</summary>
    public static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(8);

    public string KeyDir { get; private set; } = "";
    public string GradesDir { get; private set; } = "";
    public Dictionary<string, StudentOutcome> Students { get; private set; } = [];
    public AssignmentKey Key { get; private set; } = null!;

    /// <summary>Each broken submission: the solution with one cell's source replaced (null deletes the cell).</summary>
    public static readonly Dictionary<string, (string Cell, string? Source)> Breaks = new()
    {
        ["crash"] = ("q1-code", "static double Hinge(double y, double s)\n{\n    Environment.Exit(3);\n    return 0;\n}"),
        ["loop"] = ("q2-code", "static double StepDecay(double eta0, double gamma, int k, int t)\n{\n    while (true) { }\n}"),
        ["compile-error"] = ("q1-code", "static double Hinge(double y, double s)\n{\n    return Math.Max(0, 1 - y * s)\n}"),
        ["edited-test"] = ("q2-test-values", "// values at t = 9, 10, 25 (trust me)"),
        ["deleted-test"] = ("q1-test-values", null),
        ["partial"] = ("q2-code", "static double StepDecay(double eta0, double gamma, int k, int t) => eta0 * Math.Pow(gamma, (double)t / k);"),
        ["memory"] = ("q1-code", "static double Hinge(double y, double s)\n{\n    var hog = new List<double[]>();\n    while (true) hog.Add(new double[1 << 24]);\n}"),
    };

    public async Task InitializeAsync()
    {
        var root = TempDir();
        var source = SourceNotebook.Split(Example(), "hinge-and-step-decay.ipynb");
        KeyDir = Path.Combine(root, "autograder");
        Key = new AssignmentKey(AssignmentKey.CurrentFormat, "example",
            [source.Key with { SourceDirectory = Path.GetRelativePath(KeyDir, ExamplesDir) }]);
        Key.Write(Directory.CreateDirectory(KeyDir).FullName);
        var subs = Path.Combine(root, "submissions");
        void Save(string student, Notebook nb) => NotebookFile.Write(nb, Path.Combine(subs, student, "hinge-and-step-decay.ipynb"));
        Save("perfect", source.Solution);
        Save("untouched", source.Student);
        foreach (var (student, (cellId, text)) in Breaks)
        {
            var nb = source.Solution.Clone();
            var at = nb.Cells.FindIndex(c => c.Id == cellId);
            if (text is null) nb.Cells.RemoveAt(at);
            else nb.Cells[at].Source = text;
            Save(student, nb);
        }
        Directory.CreateDirectory(Path.Combine(subs, "unreadable"));
        File.WriteAllText(Path.Combine(subs, "unreadable", "hinge-and-step-decay.ipynb"), "{\"cells\": [");
        Directory.CreateDirectory(Path.Combine(subs, "missing"));
        GradesDir = Path.Combine(root, "grades");
        var options = GraderOptions.Parse(["grade", "--key", KeyDir, subs, "-o", GradesDir, "--jobs", "2",
            "--timeout", CellTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--time-limit", "240", "--memory-mb", "1024"]);
        var log = new StringWriter();
        var (code, students) = await BatchGrader.RunAsync(options, log);
        Assert.Equal(0, code);
        Students = students.ToDictionary(s => s.Student);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public class BrokenSubmissionsTests(BrokenBatch batch) : IClassFixture<BrokenBatch>
{
    static double? Score(StudentOutcome s, string q) => s.Notebooks.Single().Questions.Single(x => x.Id == q).Score;

    static string Reasons(StudentOutcome s, string q)
    {
        var question = s.Notebooks.Single().Questions.Single(x => x.Id == q);
        return string.Join("\n", question.Reasons.Concat(question.Tests.Select(t => t.Message ?? "")));
    }

    [Theory]
    [InlineData("perfect", 3, 2)]
    [InlineData("untouched", 0, 0)]
    [InlineData("crash", 0, 2)]
    [InlineData("loop", 3, 0)]
    [InlineData("compile-error", 0, 2)]
    [InlineData("edited-test", 3, 0)]
    [InlineData("deleted-test", 0, 2)]
    [InlineData("partial", 3, 1)]
    [InlineData("memory", 0, 2)]
    [InlineData("unreadable", 0, 0)]
    [InlineData("missing", 0, 0)]
    public void Each_submission_loses_exactly_the_points_of_what_it_broke(string student, double q1, double q2)
    {
        var s = batch.Students[student];
        Assert.Equal(q1, Score(s, "q1"));
        Assert.Equal(q2, Score(s, "q2"));
        Assert.Null(Score(s, "q3"));
        Assert.Equal(q1 + q2, s.Score);
        Assert.Equal(5, s.AutoPoints);
    }

    [Theory]
    [InlineData("crash", "q1", "exited with code 3")]
    [InlineData("loop", "q2", "did not finish within the cell time limit of 8 s")]
    [InlineData("compile-error", "q1", "your code in cell 4 failed: Cell 4, line 3: (3,34): error CS1002: ; expected")]
    [InlineData("edited-test", "q2", "test cell \"q2 test 1: values at t = 9, 10, 25 for η0 = 1, γ = 0.5, k = 10\" was edited")]
    [InlineData("deleted-test", "q1", "test cell \"q1 test 1: zero past the margin, linear inside it\" was deleted")]
    [InlineData("partial", "q2", "expected 1, 0.5, 0.25, got 0.53588673")]
    [InlineData("memory", "q1", "OutOfMemory")]
    [InlineData("unreadable", "q1", "the notebook could not be read")]
    [InlineData("missing", "q2", "hinge-and-step-decay.ipynb was not submitted")]
    public void The_reason_is_given(string student, string question, string reason) =>
        Assert.Contains(reason, Reasons(batch.Students[student], question));

    [Fact]
    public void Results_json_follows_the_gradescope_layout()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(batch.GradesDir, "partial", "results.json")))!.AsObject();
        Assert.Equal(4, json["score"]!.GetValue<double>());
        var tests = json["tests"]!.AsArray();
        Assert.Equal(4, tests.Count);
        Assert.Equal(4, tests.Sum(t => t!["score"]!.GetValue<double>()));
        Assert.Equal(5, tests.Sum(t => t!["max_score"]!.GetValue<double>()));
        Assert.Equal(["visible", "after_published", "visible", "after_published"], tests.Select(t => t!["visibility"]!.GetValue<string>()));
        Assert.Equal(["passed", "passed", "failed", "passed"], tests.Select(t => t!["status"]!.GetValue<string>()));

        var edited = JsonNode.Parse(File.ReadAllText(Path.Combine(batch.GradesDir, "edited-test", "results.json")))!;
        Assert.Equal(3, edited["score"]!.GetValue<double>());
        Assert.Equal(3, edited["tests"]!.AsArray().Sum(t => t!["score"]!.GetValue<double>()));
    }

    [Fact]
    public void The_csv_has_a_row_per_student_and_a_column_per_question()
    {
        var lines = File.ReadAllLines(Path.Combine(batch.GradesDir, "grades.csv"));
        Assert.Equal("student,q1,q2,q3 (manual),total,max,problems", lines[0]);
        Assert.Equal(batch.Students.Count + 1, lines.Length);
        Assert.Contains("perfect,3,2,,5,5,", lines);
        Assert.Contains("partial,3,1,,4,5,", lines);
    }

    [Fact]
    public void The_feedback_page_names_each_question_its_score_and_why()
    {
        var html = File.ReadAllText(Path.Combine(batch.GradesDir, "loop", "feedback.html"));
        Assert.Contains("<h1>Feedback for loop</h1>", html);
        Assert.Contains("Automatically graded: 3 / 5 points.", html);
        Assert.Contains("did not finish within the cell time limit of 8 s", html);
        Assert.Contains("1 hidden test (2 points): results are shown when the grades are published", html);
        Assert.DoesNotContain("central differences", html); // a hidden test's name stays hidden until published
        Assert.Contains("graded by hand", html);
    }
}

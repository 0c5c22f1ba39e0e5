using System.Text.Json.Nodes;
using Companion.Grader;
using Companion.Notebooks.Interactive;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

/// <summary>The semantic checks, the emitted-value comparison and the grade signatures, without running any cell.</summary>
public class IntegrityTests
{
    static readonly QuestionKey[] Questions = [new("q1", "q1", 1, false, null, ["System.Math.Abs"])];

    static readonly CodeCell[] Solution =
    [
        new("given", "var seed = 7;", null, false),
        new("q1-code", "static double F(double x) => x > 0 ? x : 0;", "q1", false),
        new("t1", "if (Math.Abs(F(-2)) > 1e-12 || new Random(seed).Next(1) != 0) throw new Exception(\"F(-2) should be 0\");", null, true),
    ];

    static IntegrityReport Check(params (string Id, string Source)[] changes)
    {
        var cells = Solution.ToList();
        foreach (var (id, source) in changes)
        {
            var at = cells.FindIndex(c => c.Id == id);
            if (at >= 0) cells[at] = cells[at] with { Source = source };
            else cells.Insert(1, new CodeCell(id, source, null, false));
        }
        return Integrity.Check(Solution, cells, Questions, TempDir());
    }

    [Fact]
    public void The_solution_itself_passes_the_checks()
    {
        var r = Check();
        Assert.Empty(r.Shadowed);
        Assert.Empty(r.Forbidden);
    }

    [Theory]
    [InlineData("static class Math { public static double Abs(double x) => 0; }\nstatic double F(double x) => 1;", "binds to your own declaration")]
    [InlineData("class Random { public Random(int s) { } public int Next(int n) => 0; }\nstatic double F(double x) => x > 0 ? x : 0;", "System.Random")]
    [InlineData("class Exception : System.Exception { public Exception(string m) : base(m) { } }\nstatic double F(double x) => 0;", "System.Exception")]
    [InlineData("seed = 3;\nstatic double F(double x) => x > 0 ? x : 0;", "assigns")]
    [InlineData("static dynamic F(double x) => 0;", "dynamic")]
    public void A_test_whose_names_the_submission_redefines_is_not_run(string q1Code, string reason)
    {
        var r = Check(("q1-code", q1Code));
        Assert.Contains(reason, Assert.Single(r.Shadowed).Value);
    }

    [Fact]
    public void A_changed_given_declaration_is_caught()
    {
        var r = Check(("given", "var seed = 3;"));
        Assert.Contains("whose declaration you changed", Assert.Single(r.Shadowed).Value);
    }

    [Theory]
    [InlineData("static double F(double x) => (x + Math.Abs(x)) / 2;")]
    [InlineData("using M = System.Math;\nstatic double F(double x) => (x + M.Abs(x)) / 2;")]
    public void A_forbidden_api_zeroes_its_question_even_behind_an_alias(string q1Code)
    {
        var r = Check(("q1-code", q1Code));
        Assert.Contains("System.Math.Abs", Assert.Single(r.Forbidden["q1"]));
    }

    [Fact]
    public void A_forbidden_api_reached_through_a_helper_in_an_added_cell_is_caught()
    {
        var r = Check(("helper", "static double Relu(double z) => (z + Math.Abs(z)) / 2;"), ("q1-code", "static double F(double x) => Relu(x);"));
        Assert.Contains("cell helper", Assert.Single(r.Forbidden["q1"]));
        var clean = Check(("helper", "static double Relu(double z) => System.Math.Max(z, 0);"), ("q1-code", "static double F(double x) => Relu(x);"));
        Assert.Empty(clean.Forbidden);
    }

    [Fact]
    public void Forbid_metadata_is_read_from_the_solution_cell()
    {
        var cell = Code("c", "// BEGIN SOLUTION\nstatic int A() => 1;\n// END SOLUTION");
        cell.Metadata["grader"] = new JsonObject { ["question"] = "q1", ["forbid"] = "Companion.Spectral.RbfAdjacency" };
        var source = SourceNotebook.Split(Make(cell, Code("t", "if (A() != 1) throw new Exception();", "test")), "n.ipynb");
        Assert.Equal(["Companion.Spectral.RbfAdjacency"], source.Key.Questions.Single().Forbid);
        cell.Metadata["grader"]!["forbid"] = 3;
        Assert.Throws<GraderFormatException>(() => SourceNotebook.Split(Make(cell, Code("t", "A();", "test")), "n.ipynb"));
    }

    [Fact]
    public void Emitted_values_match_within_the_tolerance_and_say_what_differs_without_the_expected_values()
    {
        var matrix = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var expected = new Dictionary<string, JsonObject> { ["m"] = Grade.Encode(matrix), ["x"] = Grade.Encode(0.5) };
        expected["x"]["tolerance"] = 1e-3;
        expected["m"]["tolerance"] = 1e-9;
        Assert.Equal("[2,3]", expected["m"]["shape"]!.ToJsonString());
        Assert.Null(EmittedValues.Compare(expected, [("m", Grade.Encode(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } })), ("x", Grade.Encode(0.5004))]));
        var wrong = EmittedValues.Compare(expected, [("m", Grade.Encode(matrix)), ("x", Grade.Encode(0.51))]);
        Assert.Contains("\"x\" does not match", wrong);
        Assert.DoesNotContain("0.5", wrong);
        Assert.Contains("not emitted", EmittedValues.Compare(expected, [("m", Grade.Encode(matrix))]));
        Assert.Contains("2 times", EmittedValues.Compare(expected, [("m", Grade.Encode(matrix)), ("x", Grade.Encode(0.5)), ("x", Grade.Encode(0.5))]));
        Assert.Contains("shape", EmittedValues.Compare(expected, [("m", Grade.Encode(new double[] { 1, 2, 3, 4, 5, 6 })), ("x", Grade.Encode(0.5))]));
    }

    [Fact]
    public void A_grade_changed_after_grading_is_refused_by_merge()
    {
        var dir = TempDir();
        var keyDir = Directory.CreateDirectory(Path.Combine(dir, "key")).FullName;
        File.WriteAllText(Path.Combine(keyDir, AssignmentKey.FileName), "{\"format\":1}");
        var secret = AssignmentKey.ResultSecret(keyDir);
        var grades = Path.Combine(dir, "grades");
        Reports.WriteStudent(grades, new StudentOutcome("ann", []), secret);
        Assert.Single(Reports.ReadGrades([grades], secret));
        var file = Path.Combine(grades, "ann", Reports.GradeFile);
        File.WriteAllText(file, File.ReadAllText(file).Replace("[]", "[ ]", StringComparison.Ordinal));
        var e = Assert.Throws<GraderFormatException>(() => Reports.ReadGrades([grades], secret));
        Assert.Contains("not signed by the grader", e.Message);
    }
}

/// <summary>Issue 19's library shortcut on the project's own Q5 notebook: decided from the semantic model, nothing runs.</summary>
public class ProjectForbidTests
{
    [Fact]
    public void A_q5_submission_calling_the_library_answers_zeroes_those_questions_and_the_solution_does_not()
    {
        var dir = Path.Combine(RepoRoot(), "notebooks", "eecs182-hw7");
        var source = SourceNotebook.Split(Companion.Notebooks.NotebookFile.Read(Path.Combine(dir, "q5-spectral-clustering.ipynb")), "q5.ipynb");
        var key = source.Key;
        var cells = key.Code!.ToList();
        string Replace(string question, string code)
        {
            var at = cells.FindIndex(c => c.Question == question);
            cells[at] = cells[at] with { Source = code };
            return cells[at].Id;
        }
        Replace("q5cd", "Matrix<double> AdjacencyMatrix(Matrix<double> X, double gamma) => RbfAdjacency.Compute(X, gamma);\n"
            + "Matrix<double> DegreeMatrix(Matrix<double> A) => GraphMatrices.Degree(A);");
        Replace("q5e", "Matrix<double> SymmetricNormalised(Matrix<double> A, Matrix<double> D) => GraphMatrices.SymmetricNormalised(A);");
        Replace("q5g", "Matrix<double> Stochastic(Matrix<double> M) => GraphMatrices.ColumnStochastic(M);");
        var cheat = Integrity.Check(key.Code!, cells, key.Questions, dir);
        Assert.Equal(["q5cd", "q5e", "q5g"], cheat.Forbidden.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(cheat.Forbidden["q5e"], r => r.Contains("Companion.Clustering.GraphMatrices.SymmetricNormalised", StringComparison.Ordinal));
        var honest = Integrity.Check(key.Code!, key.Code!, key.Questions, dir);
        Assert.Empty(honest.Forbidden);
        Assert.Empty(honest.Shadowed);
    }
}

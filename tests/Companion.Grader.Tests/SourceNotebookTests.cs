using Companion.Grader;
using Companion.Notebooks;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

public class SourceNotebookTests
{
    [Fact]
    public void The_example_has_two_coded_questions_with_public_and_hidden_tests_and_one_written_answer()
    {
        var s = SourceNotebook.Split(Example(), "hinge-and-step-decay.ipynb");
        Assert.Equal(["q1", "q2", "q3"], s.Key.Questions.Select(q => q.Id));
        Assert.Equal([3.0, 2.0, 2.0], s.Key.Questions.Select(q => q.Points));
        Assert.Equal([false, false, true], s.Key.Questions.Select(q => q.Manual));
        Assert.Equal(5, s.Key.AutoPoints);
        Assert.Equal(["q1-test-values", "q1-test-gradient", "q2-test-values", "q2-test-shift"], s.Key.Tests.Select(t => t.CellId));
        Assert.Equal([false, true, false, true], s.Key.Tests.Select(t => t.Hidden));
        Assert.Equal("q1-test-values", s.Key.Tests[1].After[0]);
        Assert.Equal(["q1-code", "q2-code", "q3-text"], s.Key.SolutionCells.Select(c => c.CellId));
    }

    [Fact]
    public void The_student_version_has_no_solution_no_hidden_test_no_output_and_locked_checksummed_tests()
    {
        var source = Example();
        var s = SourceNotebook.Split(source, "x.ipynb");
        var text = string.Join("\n", s.Student.Cells.Select(c => c.Source));
        Assert.DoesNotContain("BEGIN", text);
        Assert.DoesNotContain("Math.Max(0, 1 - y * s)", text);
        Assert.DoesNotContain("Math.Pow(gamma, t / k)", text);
        Assert.DoesNotContain("max-margin solution", text);
        Assert.Contains("throw new NotImplementedException(\"q1 (hinge loss): replace this line with your code\");", text);
        Assert.Contains("    return eta0; // replace with η0 · γ^⌊t/k⌋", text);
        Assert.DoesNotContain(s.Student.Cells, c => c.Id is "q1-test-gradient" or "q2-test-shift");
        Assert.Equal(source.Cells.Count - 2, s.Student.Cells.Count);
        Assert.All(s.Student.Cells, c => Assert.Empty(c.Outputs));
        foreach (var c in s.Student.Cells.Where(GraderMetadata.IsTest))
        {
            Assert.Equal(GraderMetadata.Checksum(c.Source), GraderMetadata.Of(c)!["checksum"]!.GetValue<string>());
            Assert.False(c.Metadata["editable"]!.GetValue<bool>());
            Assert.False(c.Metadata["deletable"]!.GetValue<bool>());
        }
        var solution = string.Join("\n", s.Solution.Cells.Select(c => c.Source));
        Assert.DoesNotContain("BEGIN", solution);
        Assert.DoesNotContain("return eta0;", solution);
        Assert.Contains("Math.Pow(gamma, t / k)", solution);
        Assert.Equal(source.Cells.Count, s.Solution.Cells.Count);
    }

    [Fact]
    public void Checksums_ignore_line_endings_and_trailing_spaces_but_not_code()
    {
        Assert.Equal(GraderMetadata.Checksum("a;\nb;"), GraderMetadata.Checksum("a;  \r\nb;\n"));
        Assert.NotEqual(GraderMetadata.Checksum("a;\nb;"), GraderMetadata.Checksum("a;\nc;"));
    }

    [Fact]
    public void Tests_join_the_solution_above_and_a_test_closes_a_question()
    {
        var nb = Make(
            Code("a", "// BEGIN SOLUTION\nint A() => 1;\n// END SOLUTION"),
            Code("b", "// BEGIN SOLUTION\nint B() => 2;\n// END SOLUTION"),
            Code("t1", "if (A() + B() != 3) throw new Exception();", "test"),
            Code("c", "// BEGIN SOLUTION\nint C() => 3;\n// END SOLUTION"),
            Code("t2", "if (C() != 3) throw new Exception();", "test", "hidden"));
        var s = SourceNotebook.Split(nb, "n.ipynb");
        Assert.Equal(["q1", "q2"], s.Key.Questions.Select(q => q.Id));
        Assert.Equal(["q1", "q1", "q2"], s.Key.SolutionCells.Select(c => c.Question));
        Assert.Equal(["q1", "q2"], s.Key.Tests.Select(t => t.Question));
    }

    [Fact]
    public void Bad_sources_are_errors_naming_the_notebook_and_cell()
    {
        var early = Assert.Throws<GraderFormatException>(() => SourceNotebook.Split(Make(Code("t", "1", "test")), "n.ipynb"));
        Assert.Equal("n.ipynb, cell 1: test cell before any solution cell and without metadata.grader.question", early.Message);
        var untested = Assert.Throws<GraderFormatException>(() => SourceNotebook.Split(Make(Code("a", "// BEGIN SOLUTION\n// END SOLUTION")), "n.ipynb"));
        Assert.Contains("question q1 has solution cells but no test cell", untested.Message);
        var dup = Assert.Throws<GraderFormatException>(() => SourceNotebook.Split(Make(Code("a", "1"), Code("a", "2")), "n.ipynb"));
        Assert.Equal("n.ipynb: cells 1 and 2 have the same id \"a\" (ids tell the grader which cell is which)", dup.Message);
        var t = Code("t", "1", "test");
        t.Metadata["grader"] = new System.Text.Json.Nodes.JsonObject { ["points"] = "many" };
        var points = Assert.Throws<GraderFormatException>(() => SourceNotebook.Split(Make(Code("s", "// BEGIN SOLUTION\n// END SOLUTION"), t), "n.ipynb"));
        Assert.Equal("n.ipynb, cell 2: metadata.grader.points must be a non-negative number, got \"many\"", points.Message);
    }
}

using Companion.Grader;
using Companion.Notebooks;
using static Companion.Grader.Tests.TestFiles;

namespace Companion.Grader.Tests;

/// <summary>
/// The project's own coding notebooks are assignment sources: each one with solution regions or test cells splits into
/// a student version without solutions or hidden tests. (.ci/run also runs <c>nbgrade assign notebooks</c>, whose
/// self-check executes them.)
/// </summary>
public class ProjectNotebooksTests
{
    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        foreach (var (path, name) in Discovery.Notebooks([Path.Combine(RepoRoot(), "notebooks")]))
            if (Discovery.IsSource(NotebookFile.Read(path))) data.Add(name);
        if (data.Count == 0) data.Add("");
        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Each_coding_notebook_splits_into_a_student_version(string name)
    {
        if (name.Length == 0) return; // no coding notebook in this checkout yet
        var nb = NotebookFile.Read(Path.Combine(RepoRoot(), "notebooks", name));
        var s = SourceNotebook.Split(nb, name);
        Assert.NotEmpty(s.Key.Questions);
        Assert.All(s.Key.Questions.Where(q => !q.Manual), q => Assert.True(q.Points > 0, $"{name}: {q.Id} has no points"));
        Assert.DoesNotContain(s.Student.Cells, c => Markers.HasMarkers(c.Source, c.Kind == CellKind.Markdown));
        Assert.DoesNotContain(s.Student.Cells, c => s.Key.Tests.Any(t => t.Hidden && t.CellId == c.Id));
        Assert.Equal(nb.Cells.Count, s.Solution.Cells.Count);
        var leaks = SolutionLeakCheck.Find(nb, s.Student);
        Assert.True(leaks.Count == 0, $"{name}: the student version holds solution text: {string.Join("; ", leaks)}");
        foreach (var c in s.Key.SolutionCells)
        {
            var solutionText = s.Solution.Cells.First(x => x.Id == c.CellId).Source;
            var studentText = s.Student.Cells.First(x => x.Id == c.CellId).Source;
            Assert.NotEqual(solutionText, studentText);
        }
    }
}

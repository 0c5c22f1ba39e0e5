using System.Text.Json.Nodes;
using Companion.Notebooks;

namespace Companion.Grader;

/// <summary>
/// One source notebook split into what the assignment needs: the student version (solution regions replaced, hidden
/// tests removed, outputs cleared, test cells locked and checksummed), the solution version (markers removed, every
/// test kept) and the key (questions, points, tests).
/// </summary>
public sealed record SourceNotebook(NotebookKey Key, Notebook Student, Notebook Solution)
{
    /// <summary>
    /// Reads the markers of <paramref name="source"/>. A test cell belongs to the question in its
    /// <c>metadata.grader.question</c>, else to the question of the nearest solution cell above it; a solution cell
    /// without a question id joins the current question until a test cell closes it, then a new one (<c>q1</c>,
    /// <c>q2</c>, …) begins. Throws <see cref="GraderFormatException"/> naming the notebook and cell on bad markers.
    /// </summary>
    public static SourceNotebook Split(Notebook source, string name)
    {
        var student = new Notebook { Metadata = (JsonObject)source.Metadata.DeepClone(), FormatMajor = source.FormatMajor, FormatMinor = source.FormatMinor };
        var solution = new Notebook { Metadata = (JsonObject)source.Metadata.DeepClone(), FormatMajor = source.FormatMajor, FormatMinor = source.FormatMinor };
        var ids = AssignIds(source, name);
        var questions = new List<(string Id, string Title, bool Manual, double ManualPoints)>();
        var needs = new Dictionary<string, List<string>>();
        var forbid = new Dictionary<string, List<string>>();
        var tests = new List<TestKey>();
        var solutionCells = new List<SolutionCellKey>();
        string? current = null;
        bool testSinceSolution = true;
        int auto = 0;
        var testCount = new Dictionary<string, int>();

        string NewQuestion(string? id, string? title, bool manual = false, double manualPoints = 0)
        {
            id ??= NextAutoId();
            var at = questions.FindIndex(q => q.Id == id);
            if (at < 0) questions.Add((id, title ?? id, manual, manualPoints));
            else if (title is not null && questions[at].Title == id) questions[at] = questions[at] with { Title = title };
            return id;
        }
        string NextAutoId()
        {
            string id;
            do id = $"q{++auto}"; while (questions.Any(q => q.Id == id));
            return id;
        }

        for (int i = 0; i < source.Cells.Count; i++)
        {
            var cell = source.Cells[i];
            var where = $"{name}, cell {i + 1}";
            var id = ids[i];
            bool markdown = cell.Kind == CellKind.Markdown;
            if (GraderMetadata.IsTest(cell))
            {
                if (Markers.HasMarkers(cell.Source, false))
                    throw new GraderFormatException($"{where}: a test cell cannot hold BEGIN/END SOLUTION or PROMPT markers");
                var q = GraderMetadata.Question(cell) ?? current
                    ?? throw new GraderFormatException($"{where}: test cell before any solution cell and without metadata.grader.question");
                NewQuestion(q, null);
                testSinceSolution = true;
                var points = GraderMetadata.Points(cell, where) ?? 1;
                var hidden = GraderMetadata.IsHidden(cell);
                var k = testCount[q] = testCount.GetValueOrDefault(q) + 1;
                var description = GraderMetadata.String(cell, "name") ?? DescribeTest(cell.Source);
                var testName = description is null ? $"{q} test {k}" : $"{q} test {k}: {description}";
                var after = student.Cells.Select(c => c.Id).Reverse().ToList();
                tests.Add(new TestKey(id, q, testName, points, hidden, cell.Source, GraderMetadata.Checksum(cell.Source), after));
                solution.Cells.Add(Copy(cell, id, cell.Source));
                if (!hidden)
                {
                    var locked = Copy(cell, id, cell.Source);
                    var meta = GraderMetadata.Of(locked) ?? [];
                    meta["question"] = q;
                    meta["points"] = points;
                    meta["checksum"] = GraderMetadata.Checksum(cell.Source);
                    locked.Metadata[GraderMetadata.Key] = meta;
                    locked.Metadata["editable"] = false;
                    locked.Metadata["deletable"] = false;
                    student.Cells.Add(locked);
                }
                continue;
            }
            if (cell.Kind == CellKind.Raw || !Markers.HasMarkers(cell.Source, markdown))
            {
                if (cell.Kind == CellKind.Code && GraderMetadata.IsHidden(cell))
                    throw new GraderFormatException($"{where}: tagged hidden but not tagged test");
                student.Cells.Add(Copy(cell, id, cell.Source));
                solution.Cells.Add(Copy(cell, id, cell.Source));
                continue;
            }
            string question;
            if (markdown)
            {
                var points = GraderMetadata.Points(cell, where);
                question = points is { } p
                    ? NewQuestion(GraderMetadata.Question(cell), GraderMetadata.String(cell, "title"), manual: true, manualPoints: p)
                    : GraderMetadata.Question(cell) ?? current ?? "written answer";
            }
            else
            {
                var explicitId = GraderMetadata.Question(cell);
                question = explicitId is not null || testSinceSolution || current is null
                    ? NewQuestion(explicitId, GraderMetadata.String(cell, "title"))
                    : NewQuestion(current, GraderMetadata.String(cell, "title"));
                current = question;
                testSinceSolution = false;
            }
            foreach (var f in GraderMetadata.Forbid(cell, where))
            {
                if (!forbid.TryGetValue(question, out var list)) forbid[question] = list = [];
                if (!list.Contains(f)) list.Add(f);
            }
            foreach (var n in GraderMetadata.Needs(cell, where))
            {
                if (!needs.TryGetValue(question, out var list)) needs[question] = list = [];
                if (!list.Contains(n)) list.Add(n);
            }
            var title = questions.FirstOrDefault(q => q.Id == question).Title;
            var split = Markers.Split(cell.Source, markdown, title is null || title == question ? question : $"{question} ({title})", where);
            if (split.Regions > 0) solutionCells.Add(new SolutionCellKey(id, question, i + 1));
            var studentCell = Copy(cell, id, split.Student);
            if (!markdown)
            {
                var meta = GraderMetadata.Of(studentCell) ?? [];
                meta["question"] = question;
                studentCell.Metadata[GraderMetadata.Key] = meta;
            }
            student.Cells.Add(studentCell);
            solution.Cells.Add(Copy(cell, id, split.Solution));
        }

        var keyQuestions = questions.Select(q => new QuestionKey(q.Id, q.Title,
            q.Manual ? q.ManualPoints : tests.Where(t => t.Question == q.Id).Sum(t => t.Points), q.Manual,
            needs.TryGetValue(q.Id, out var n) ? n : null, forbid.TryGetValue(q.Id, out var f) ? f : null)).ToList();
        foreach (var (q, list) in needs)
            foreach (var n in list.Where(n => !keyQuestions.Any(k => k.Id == n)))
                throw new GraderFormatException($"{name}: question {q} needs \"{n}\", which is not a question of this notebook");
        foreach (var q in keyQuestions.Where(q => !q.Manual && !tests.Any(t => t.Question == q.Id)))
            throw new GraderFormatException($"{name}: question {q.Id} has solution cells but no test cell (tag its checks \"test\")");
        student.ClearOutputs();
        solution.ClearOutputs();
        var code = solution.Cells.Where(c => c.Kind == CellKind.Code).Select(c => new CodeCell(c.Id, c.Source,
            solutionCells.FirstOrDefault(s => s.CellId == c.Id)?.Question, tests.Any(t => t.CellId == c.Id))).ToList();
        var files = GraderMetadata.Files(source, name);
        return new SourceNotebook(new NotebookKey(name, ".", keyQuestions, tests, solutionCells, code, files.Count > 0 ? files : null), student, solution);
    }

    /// <summary>The first comment line of a test cell (its description), if any.</summary>
    static string? DescribeTest(string source)
    {
        var first = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return first is not null && first.StartsWith("//", StringComparison.Ordinal) && first.TrimStart('/').Trim().Length > 0
            ? first.TrimStart('/').Trim() : null;
    }

    static Cell Copy(Cell cell, string id, string source)
    {
        var c = cell.Clone();
        c.Id = id;
        c.Source = source;
        c.Outputs.Clear();
        c.ExecutionCount = null;
        return c;
    }

    /// <summary>The cells' ids; a missing id becomes <c>cell-N</c>, a duplicated one is an error naming both cells.</summary>
    static List<string> AssignIds(Notebook nb, string name)
    {
        var seen = new Dictionary<string, int>();
        var ids = new List<string>();
        for (int i = 0; i < nb.Cells.Count; i++)
        {
            var id = string.IsNullOrWhiteSpace(nb.Cells[i].Id) ? $"cell-{i + 1}" : nb.Cells[i].Id;
            if (seen.TryGetValue(id, out var other))
                throw new GraderFormatException($"{name}: cells {other} and {i + 1} have the same id \"{id}\" (ids tell the grader which cell is which)");
            seen[id] = i + 1;
            ids.Add(id);
        }
        return ids;
    }
}

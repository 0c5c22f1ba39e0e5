using System.Text.Json.Nodes;
using Companion.Grader;
using Companion.Notebooks;
using Companion.Testing;

namespace Companion.Kernel.Tests;

/// <summary>
/// A student version as a student gets it: <c>nbgrade assign</c> writes it from a coding notebook, and Debian's nbclient
/// runs it top to bottom in this kernel (errors allowed, as a student who has not written anything yet would). The
/// only cells that may fail are the test cells of questions whose solutions are stubs: the stubs fail their own
/// questions and nothing else, so the rest of the notebook still works for the student.
/// </summary>
public class StudentVersionTests : IClassFixture<Jupyter>
{
    /// <summary>A fast coding notebook with a stubbed question (HW1 Q3: the query and the rank).</summary>
    static readonly string[] Notebook = ["notebooks", "hw1-pca-deep-linear-clip", "q3-clip-embedding-arithmetic.ipynb"];

    readonly Jupyter jupyter;
    public StudentVersionTests(Jupyter jupyter) => this.jupyter = jupyter;

    [SkippableFact]
    public async Task The_student_version_runs_in_the_kernel_and_its_stubs_fail_only_their_own_tests()
    {
        ToolRequirements.PythonModules("jupyter_client", "zmq", "nbclient", "nbformat");
        var source = Path.Combine([Jupyter.RepoRoot(), .. Notebook]);
        var outDir = Path.Combine(jupyter.Root, "assign");
        var log = new StringWriter();
        int assigned = await Assigner.RunAsync(GraderOptions.Parse(["assign", source, "-o", outDir, "--no-self-check"]), log);
        Assert.True(assigned == 0, log.ToString());
        var studentPath = Path.Combine(outDir, "student", Notebook[^1]);
        var executedPath = Path.Combine(jupyter.Root, "executed.ipynb");

        // the kernel starts in the source notebook's folder, where its #r "../../lib/…" and data/ resolve
        var (code, stdout, stderr) = await jupyter.RunAsync(Jupyter.Python,
            [Jupyter.Driver("execute_allowing_errors.py"), studentPath, executedPath, Path.GetDirectoryName(source)!, "600"],
            TimeSpan.FromMinutes(15));
        Assert.True(code == 0, $"nbclient failed (exit {code}):\n{stdout}\n{stderr[Math.Max(0, stderr.Length - 3000)..]}");

        var student = NotebookFile.Read(studentPath);
        var executed = NotebookFile.Read(executedPath);
        var key = AssignmentKey.Read(Path.Combine(outDir, "autograder")).Key.Notebooks.Single();
        var stubbed = key.Questions.Where(q => !q.Manual && key.SolutionCells.Any(s => s.Question == q.Id)).Select(q => q.Id).ToHashSet();
        Assert.NotEmpty(stubbed);
        Assert.Equal(student.Cells.Count, executed.Cells.Count);

        var wrong = new List<string>();
        var failedTests = new HashSet<string>();
        for (int i = 0; i < executed.Cells.Count; i++)
        {
            var cell = executed.Cells[i];
            if (cell.Kind != CellKind.Code) continue;
            if (cell.ExecutionCount is null) wrong.Add($"cell {i + 1} ({cell.Id}) did not run");
            var errors = cell.Outputs.Where(o => o["output_type"]?.GetValue<string>() == "error").ToList();
            if (errors.Count == 0) continue;
            var question = (student.Cells[i].Metadata["grader"] as JsonObject)?["question"]?.GetValue<string>();
            bool isTest = student.Cells[i].Tags.Contains("test");
            if (isTest && question is not null && stubbed.Contains(question)) failedTests.Add(question);
            else wrong.Add($"cell {i + 1} ({cell.Id}, {(isTest ? "test of " + question : "not a test")}) failed: " +
                string.Join("; ", errors.Select(e => $"{e["ename"]}: {e["evalue"]}")));
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        // and every stub does fail its own question's tests
        Assert.Equal(stubbed.Order(StringComparer.Ordinal), failedTests.Order(StringComparer.Ordinal));
    }
}

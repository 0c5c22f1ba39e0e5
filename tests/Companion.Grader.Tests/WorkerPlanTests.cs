namespace Companion.Grader.Tests;

/// <summary>The plan a notebook's workers are started with: a worker started ahead serves a submission only when its
/// plan equals the submission's, so two plans built for the same notebook must be equal.</summary>
public class WorkerPlanTests
{
    [Fact]
    public void PlansBuiltTwiceForOneNotebookAreEqual()
    {
        var key = SourceNotebook.Split(TestFiles.Example(), "hinge-and-step-decay.ipynb").Key;
        var a = SubmissionGrader.PlanFor(key, TestFiles.ExamplesDir, GradingLimits.Default);
        var b = SubmissionGrader.PlanFor(key, TestFiles.ExamplesDir, GradingLimits.Default);
        Assert.NotSame(a.ReadOnlyFolders, b.ReadOnlyFolders);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void PlansDifferWhenAFolderOrTheSandboxDiffers()
    {
        var a = new WorkerPlan("/x", ["/r1", "/r2"], true);
        Assert.Equal(a, new WorkerPlan("/x", new List<string> { "/r1", "/r2" }, true));
        Assert.NotEqual(a, new WorkerPlan("/x", ["/r1"], true));
        Assert.NotEqual(a, new WorkerPlan("/x", ["/r1", "/r3"], true));
        Assert.NotEqual(a, new WorkerPlan("/x", ["/r1", "/r2"], false));
        Assert.NotEqual(a, new WorkerPlan("/y", ["/r1", "/r2"], true));
    }
}

using System.Diagnostics;
using Companion.Kernel;
using Companion.Notebooks;

namespace Companion.Kernel.Tests;

/// <summary>The session's memory watch: the resident size it reads, and the warning past the threshold.</summary>
public class CellSessionTests
{
    [Fact]
    public void Resident_bytes_agree_with_the_process_working_set()
    {
        using var self = Process.GetCurrentProcess();
        var rss = CellSession.ResidentBytes(Environment.ProcessId);
        self.Refresh();
        var workingSet = self.WorkingSet64;
        Assert.NotNull(rss);
        Assert.InRange((double)rss!.Value / workingSet, 0.9, 1.1);
        Assert.Null(CellSession.ResidentBytes(int.MaxValue));
    }

    [Fact]
    public async Task A_worker_past_the_threshold_gets_a_warning_on_stderr_and_a_small_one_does_not()
    {
        var dir = Path.GetTempPath();
        foreach (var (thresholdMb, expectWarning) in new[] { (1, true), (CellSession.DefaultMemoryWarningMb, false) })
        {
            using var session = new CellSession(dir, Timeout.InfiniteTimeSpan, thresholdMb);
            var events = new List<KernelEvent>();
            var r = await session.ExecuteAsync(1, "1 + 1", events.Add, null, CancellationToken.None);
            Assert.False(r.Failed);
            var warned = events.Any(e => e.Output["output_type"]?.GetValue<string>() == "stream"
                && e.Output["name"]?.GetValue<string>() == "stderr"
                && Outputs.Text(e.Output["text"]).Contains("warning: this session's worker process uses", StringComparison.Ordinal));
            Assert.Equal(expectWarning, warned);
        }
    }
}

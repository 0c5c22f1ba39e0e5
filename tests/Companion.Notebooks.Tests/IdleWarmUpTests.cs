using Companion.Notebooks;
using static Companion.Notebooks.Tests.TestNotebooks;

namespace Companion.Notebooks.Tests;

/// <summary>The worker's idle warm-up: it starts paused, runs only after a quiet period, stops at once on real work,
/// and ends after its rounds.</summary>
public class IdleWarmUpTests
{
    static bool WaitFor(Func<bool> condition, TimeSpan limit)
    {
        var end = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < end)
        {
            if (condition()) return true;
            Thread.Sleep(20);
        }
        return condition();
    }

    [Fact]
    public void Runs_only_when_resumed_stops_when_paused_and_ends_after_its_rounds()
    {
        using var w = new IdleWarmUp(TempDir(), rounds: 1);
        Thread.Sleep(IdleWarmUp.QuietPeriod * 3);
        Assert.Equal(0, w.CellsRun); // starts paused

        w.Resume();
        Assert.True(WaitFor(() => w.CellsRun >= 2, TimeSpan.FromSeconds(60)), "no warm-up cell ran after Resume");
        w.Pause();
        Thread.Sleep(200); // a cell that ended just before the pause may still be counted
        var paused = w.CellsRun;
        Thread.Sleep(IdleWarmUp.QuietPeriod * 4);
        Assert.Equal(paused, w.CellsRun);

        w.Resume();
        Assert.True(WaitFor(() => w.CellsRun == IdleWarmUp.CellsPerRound, TimeSpan.FromSeconds(60)), $"only {w.CellsRun} cells ran");
        Thread.Sleep(IdleWarmUp.QuietPeriod * 2);
        Assert.Equal(IdleWarmUp.CellsPerRound, w.CellsRun); // one round, then it stops
    }

    [Fact]
    public void Does_not_start_before_the_quiet_period()
    {
        using var w = new IdleWarmUp(TempDir(), rounds: 1);
        for (int i = 0; i < 10; i++)
        {
            w.Resume();
            Thread.Sleep(IdleWarmUp.QuietPeriod / 5);
            w.Pause();
        }
        Assert.Equal(0, w.CellsRun);
    }
}

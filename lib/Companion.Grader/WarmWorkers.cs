using System.Collections.Concurrent;

namespace Companion.Grader;

/// <summary>
/// Grading workers started ahead for one notebook's submissions: <see cref="TakeAsync"/> hands out one that is already
/// starting (or ready) and starts its replacement, so a submission rarely waits for the runtime, Roslyn and the sandbox
/// to come up. Each worker serves one submission only (it is disposed with that submission's session).
/// </summary>
sealed class WarmWorkers : IDisposable
{
    readonly GradingLimits limits;
    readonly ConcurrentQueue<Task<Session>> ready = new();
    int toStart;
    volatile bool disposed;

    /// <param name="ahead">How many workers to keep starting ahead (the number of jobs).</param>
    /// <param name="submissions">How many submissions will take one (no worker is started beyond that).</param>
    public WarmWorkers(WorkerPlan plan, GradingLimits limits, int ahead, int submissions)
    {
        Plan = plan;
        this.limits = limits;
        var first = Math.Min(ahead, submissions);
        toStart = submissions - first;
        for (int i = 0; i < first; i++) ready.Enqueue(Start());
    }

    /// <summary>The plan every worker here was started with.</summary>
    public WorkerPlan Plan { get; }

    Task<Session> Start() => Task.Run(() => Session.StartAsync(Plan, limits));

    /// <summary>A worker started earlier (or a new one), and a replacement started for the next submission.</summary>
    public Task<Session> TakeAsync()
    {
        if (!disposed && Interlocked.Decrement(ref toStart) >= 0) ready.Enqueue(Start());
        return ready.TryDequeue(out var t) ? t : Start();
    }

    public void Dispose()
    {
        disposed = true;
        while (ready.TryDequeue(out var t))
            _ = t.ContinueWith(s => { if (s.IsCompletedSuccessfully) s.Result.Dispose(); }, TaskScheduler.Default);
    }
}

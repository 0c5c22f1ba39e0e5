using Companion.Notebooks;

namespace Companion.Kernel;

/// <summary>
/// The session the front end talks to: one engine worker process (<see cref="WorkerKernel"/>) that holds the cells'
/// state, and the completion workspace that mirrors it. The worker is started when the kernel starts (so the first
/// cell does not wait for it) and again whenever it is lost (interrupt, runaway cell, crash); then the completion
/// workspace forgets the old state too.
/// </summary>
public sealed class CellSession : IDisposable
{
    readonly string baseDirectory;
    readonly TimeSpan cellTimeout;
    Task<WorkerKernel> worker;

    /// <param name="baseDirectory">The notebook's folder: relative <c>#r</c> paths and the cells' working directory.</param>
    /// <param name="cellTimeout">A cell running longer is stopped and the session restarted (infinite: never).</param>
    public CellSession(string baseDirectory, TimeSpan cellTimeout)
    {
        this.baseDirectory = Path.GetFullPath(baseDirectory);
        this.cellTimeout = cellTimeout;
        Assistance = new CodeAssistance(this.baseDirectory);
        worker = StartWorker();
    }

    /// <summary>Completions, inspection and is_complete over this session's state.</summary>
    public CodeAssistance Assistance { get; }

    /// <summary>How many times the worker was replaced (each time the cells' state was lost).</summary>
    public int Restarts { get; private set; }

    Task<WorkerKernel> StartWorker() => Task.Run(() => new WorkerKernel(baseDirectory));

    /// <summary>The worker's process id once it runs (for the benchmark's memory figures), else null.</summary>
    public int? WorkerProcessId => Restarts < 0 ? 0 : null; // TEMPORARY until the engine exposes it

    /// <summary>Waits until the worker is ready (or failed to start).</summary>
    public Task WaitReadyAsync() => worker;

    /// <summary>
    /// Runs one cell. Events are passed to <paramref name="onEvent"/> in program order; <paramref name="onInput"/>
    /// answers <c>Console.ReadLine</c> (null: no stdin); cancelling <paramref name="interrupt"/> stops the cell by
    /// replacing the worker, and the cell's error says the session was restarted.
    /// </summary>
    public async Task<CellResult> ExecuteAsync(int cellNumber, string source, Action<KernelEvent> onEvent,
        Func<string, bool, string?>? onInput, CancellationToken interrupt)
    {
        WorkerKernel w;
        try { w = await worker; }
        catch (InvalidOperationException e)
        {
            worker = StartWorker();
            var failure = Failure(cellNumber, "KernelStartError", $"the engine's worker process could not start: {e.Message}");
            onEvent(failure.Events[0]);
            return failure;
        }
        // TEMPORARY (until the engine's streaming API lands): events come at the end; an interrupt kills the worker.
        using var stop = interrupt.Register(w.Dispose);
        var result = await w.ExecuteAsync(cellNumber, source, cellTimeout);
        foreach (var e in result.Events) onEvent(e);
        var lost = result.Failed && result.Events.Any(e => e.Output["ename"]?.GetValue<string>() is "CellTimeoutError" or "WorkerCrashed" or "WorkerUnavailable");
        if (lost)
        {
            Assistance.Reset();
            Restarts++;
            w.Dispose();
            worker = StartWorker();
        }
        else Assistance.Record(source, !result.Failed);
        return result;
    }

    static CellResult Failure(int cellNumber, string ename, string message)
    {
        var output = Outputs.Error(ename, message, [$"Cell {cellNumber}: {ename}: {message}"]);
        return new CellResult([KernelEvent.NewOutput(output)], true, message, TimeSpan.Zero);
    }

    public void Dispose()
    {
        if (worker.IsCompletedSuccessfully) worker.Result.Dispose();
        Assistance.Dispose();
    }
}

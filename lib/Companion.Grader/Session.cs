using System.Diagnostics;
using System.Globalization;
using Companion.Notebooks;

namespace Companion.Grader;

/// <summary>
/// One worker process for one submission, under its memory limit M: the managed heap is capped at 3M/4
/// (<c>DOTNET_GCHeapHardLimit</c>: an allocation past it throws <see cref="OutOfMemoryException"/> in the cell) and a
/// watchdog kills the process when its resident memory passes M (native memory, e.g. TorchSharp tensors, included).
/// </summary>
sealed class Session : IDisposable
{
    /// <summary>How often the watchdog reads the worker's resident memory.</summary>
    static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(100);

    readonly WorkerKernel kernel;
    readonly Timer? watchdog;
    readonly Process? process;
    readonly long limitBytes;

    Session(WorkerKernel kernel, int memoryLimitMegabytes)
    {
        this.kernel = kernel;
        if (memoryLimitMegabytes <= 0) return;
        limitBytes = memoryLimitMegabytes * 1024L * 1024L;
        try
        {
            process = Process.GetProcessById(kernel.ProcessId);
        }
        catch (ArgumentException)
        {
            return; // already gone: the next cell reports the crash
        }
        watchdog = new Timer(_ => Watch(), null, WatchInterval, WatchInterval);
    }

    /// <summary>True when the memory watchdog stopped the worker.</summary>
    public bool KilledForMemory { get; private set; }

    /// <summary>Starts a worker (off the calling thread: starting blocks until Roslyn is warm).</summary>
    public static async Task<Session> StartAsync(string baseDirectory, GradingLimits limits)
    {
        var environment = new Dictionary<string, string>();
        if (limits.MemoryLimitMegabytes > 0)
            environment["DOTNET_GCHeapHardLimit"] = (limits.MemoryLimitMegabytes * 1024L * 1024L * 3 / 4).ToString("X", CultureInfo.InvariantCulture);
        var kernel = await Task.Run(() => new WorkerKernel(baseDirectory, environment: environment));
        return new Session(kernel, limits.MemoryLimitMegabytes);
    }

    public Task<CellResult> RunAsync(int number, string source, TimeSpan timeout) =>
        kernel.ExecuteAsync(number, source, timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout);

    void Watch()
    {
        try
        {
            process!.Refresh();
            if (process.HasExited || process.WorkingSet64 <= limitBytes) return;
            KilledForMemory = true;
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    public void Dispose()
    {
        watchdog?.Dispose();
        kernel.Dispose();
        process?.Dispose();
    }
}

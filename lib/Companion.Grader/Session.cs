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
    readonly long limitBytes;
    readonly object gate = new();
    Process? watched;
    bool killedForMemory;

    Session(WorkerKernel kernel, int memoryLimitMegabytes)
    {
        this.kernel = kernel;
        if (memoryLimitMegabytes <= 0) return;
        limitBytes = memoryLimitMegabytes * 1024L * 1024L;
        watchdog = new Timer(_ => Watch(), null, TimeSpan.Zero, WatchInterval);
    }

    /// <summary>Starts a worker (off the calling thread: starting blocks until Roslyn is warm). The engine replaces a
    /// worker that crashed or timed out by a fresh one; the watchdog follows it.</summary>
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

    /// <summary>Whether the watchdog killed the worker since the last call (and resets it).</summary>
    public bool TakeMemoryKill()
    {
        lock (gate)
        {
            var k = killedForMemory;
            killedForMemory = false;
            return k;
        }
    }

    void Watch()
    {
        lock (gate)
        {
            try
            {
                var pid = kernel.WorkerProcessId;
                if (pid is null) return;
                if (watched?.Id != pid)
                {
                    watched?.Dispose();
                    watched = Process.GetProcessById(pid.Value);
                }
                watched.Refresh();
                if (watched.HasExited || watched.WorkingSet64 <= limitBytes) return;
                killedForMemory = true;
                watched.Kill(entireProcessTree: true);
            }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
            catch (System.ComponentModel.Win32Exception) { }
        }
    }

    public void Dispose()
    {
        watchdog?.Dispose();
        kernel.Dispose();
        lock (gate) watched?.Dispose();
    }
}

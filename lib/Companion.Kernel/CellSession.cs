using System.Diagnostics;
using System.Globalization;
using Companion.Notebooks;

namespace Companion.Kernel;

/// <summary>
/// The session the front end talks to: one engine worker (<see cref="WorkerKernel"/>) that holds the cells' state, and
/// the completion workspace that mirrors it. The worker is started when the kernel starts, so the first cell does not
/// wait for Roslyn to warm up. When the worker is lost (interrupt, runaway cell, crash) the engine starts a fresh one
/// and says so in the cell's error; then the completion workspace forgets the old state too.
/// </summary>
public sealed class CellSession : IDisposable
{
    /// <summary>Default worker size above which the kernel warns, and again for every further step of this size.</summary>
    public const int DefaultMemoryWarningMb = 2048;

    readonly string baseDirectory;
    readonly TimeSpan cellTimeout;
    readonly long memoryWarningBytes;
    long nextWarningBytes;
    Task<WorkerKernel> worker;

    /// <param name="baseDirectory">The notebook's folder: relative <c>#r</c> paths and the cells' working directory.</param>
    /// <param name="cellTimeout">A cell running longer is stopped and the session restarted (infinite: never).</param>
    /// <param name="memoryWarningMb">Warn (on the cell's stderr) when the worker grows past this many MB.</param>
    public CellSession(string baseDirectory, TimeSpan cellTimeout, int memoryWarningMb = DefaultMemoryWarningMb)
    {
        this.baseDirectory = Path.GetFullPath(baseDirectory);
        this.cellTimeout = cellTimeout;
        memoryWarningBytes = nextWarningBytes = memoryWarningMb * 1024L * 1024L;
        worker = StartWorker();
        var dir = this.baseDirectory;
        if (EagerAssistance)
        {
            // Its first construction JIT-compiles Roslyn's workspace (about a second): off the start path, so the
            // kernel answers kernel_info at once; the first completion or cell waits for it only if it comes sooner.
            var built = Task.Run(() => new CodeAssistance(dir));
            assistance = new Lazy<CodeAssistance>(() => built.GetAwaiter().GetResult());
            WarmsAssistance = true;
        }
        else assistance = new Lazy<CodeAssistance>(() => new CodeAssistance(dir));
    }

    /// <summary>Environment variable choosing when the completion workspace is built: <c>eager</c> (in the background
    /// at start, and its completion service warmed after the first cell a person runs) or, by default, <c>lazy</c> (on
    /// the first completion, inspection or is_complete request, replaying the cells run so far).</summary>
    public const string AssistanceVariable = "COMPANION_COMPLETION";

    static bool EagerAssistance =>
        string.Equals(Environment.GetEnvironmentVariable(AssistanceVariable), "eager", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the completion workspace has been built (lazy mode: not before the first request).</summary>
    internal bool AssistanceBuilt => assistance.IsValueCreated;

    /// <summary>Whether the kernel should warm the completion service after the first cell (eager mode only).</summary>
    public bool WarmsAssistance { get; }

    readonly Lazy<CodeAssistance> assistance;
    readonly Lock assistanceGate = new();
    /// <summary>Cells run before the workspace was built, replayed into it when it is.</summary>
    readonly List<(string Source, bool Succeeded)> unrecorded = [];

    /// <summary>Completions, inspection and is_complete over this session's state (built on first use, lazy mode).</summary>
    public CodeAssistance Assistance
    {
        get
        {
            lock (assistanceGate)
            {
                var a = assistance.Value;
                foreach (var (source, ok) in unrecorded) a.Record(source, ok);
                unrecorded.Clear();
                return a;
            }
        }
    }

    void Record(string source, bool succeeded)
    {
        lock (assistanceGate)
        {
            if (assistance.IsValueCreated) assistance.Value.Record(source, succeeded);
            else unrecorded.Add((source, succeeded));
        }
    }

    void ResetAssistance()
    {
        lock (assistanceGate)
        {
            unrecorded.Clear();
            if (assistance.IsValueCreated) assistance.Value.Reset();
        }
    }

    /// <summary>How many times the cells' state was lost (the worker restarted).</summary>
    public int Restarts { get; private set; }

    /// <summary>The worker's environment: every chart output stands alone (<see cref="ChartLoader"/>), since a front end
    /// re-runs, saves and reopens outputs one by one; and no idle warm-up (measured in the same run: it kept about
    /// 240 MB more resident and did not make the next cell faster, docs/benchmarks.md). A value already set in the
    /// kernel's own environment (e.g. <c>COMPANION_IDLE_WARMUP=1</c> in kernel.json's env) wins.</summary>
    static readonly Dictionary<string, string> WorkerEnvironment = new Dictionary<string, string>
    {
        [ValueFormatter.ChartOutputVariable] = "standalone",
        [WorkerHost.IdleWarmUpVariable] = "0",
    }.Where(kv => Environment.GetEnvironmentVariable(kv.Key) is null).ToDictionary();

    Task<WorkerKernel> StartWorker() => Task.Run(() => new WorkerKernel(baseDirectory, environment: WorkerEnvironment));

    /// <summary>
    /// Runs one cell. Events are passed to <paramref name="onEvent"/> in program order while it runs;
    /// <paramref name="onInput"/> answers <c>Console.ReadLine</c> (null: no stdin); cancelling
    /// <paramref name="interrupt"/> stops the cell by replacing the worker, and the cell's error says the session was
    /// restarted.
    /// </summary>
    public async Task<CellResult> ExecuteAsync(int cellNumber, string source, Action<KernelEvent> onEvent,
        Func<string, bool, string?>? onInput, CancellationToken interrupt)
    {
        WorkerKernel w;
        try { w = await worker; }
        catch (InvalidOperationException e)
        {
            worker = StartWorker();
            var message = $"the engine's worker process could not start: {e.Message}";
            var output = Outputs.Error("KernelStartError", message, [$"Cell {cellNumber}: KernelStartError: {message}"]);
            onEvent(KernelEvent.NewOutput(output));
            return new CellResult([KernelEvent.NewOutput(output)], true, message, TimeSpan.Zero);
        }
        var restartsBefore = w.Restarts;
        var result = await w.ExecuteAsync(cellNumber, source, cellTimeout,
            new CellCallbacks { OnEvent = onEvent, OnInput = onInput }, interrupt);
        if (w.Restarts != restartsBefore)
        {
            ResetAssistance();
            Restarts++;
            nextWarningBytes = memoryWarningBytes;
        }
        else Record(source, !result.Failed);
        WarnIfLarge(w, onEvent);
        return result;
    }

    /// <summary>Roslyn never unloads a cell's compiled code (dotnet/roslyn#41722), so a long session grows; say so
    /// once the worker passes the threshold (and at every further step), rather than dropping the user's state.</summary>
    void WarnIfLarge(WorkerKernel w, Action<KernelEvent> onEvent)
    {
        if (w.WorkerProcessId is not { } pid) return;
        if (ResidentBytes(pid) is not { } rss || rss < nextWarningBytes) return;
        while (nextWarningBytes <= rss) nextWarningBytes += memoryWarningBytes;
        onEvent(KernelEvent.NewOutput(Outputs.Stream("stderr", string.Create(CultureInfo.InvariantCulture,
            $"warning: this session's worker process uses {rss / (1024.0 * 1024 * 1024):0.0} GB: Roslyn keeps the compiled code of every executed cell (dotnet/roslyn#41722). Restart the kernel to free it (its state is lost).\n"))));
    }

    /// <summary>A process's resident memory: on Linux one read of <c>/proc/PID/statm</c> (a few microseconds, against
    /// about half a millisecond for <see cref="Process.WorkingSet64"/>, which parses all of <c>/proc/PID/stat</c> and
    /// more), elsewhere the working set; null when the process is gone.</summary>
    internal static long? ResidentBytes(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var fields = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
                return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { return null; }
        }
        try { using var p = Process.GetProcessById(pid); return p.WorkingSet64; }
        catch (ArgumentException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    /// <summary>The worker's process id while one runs (for the benchmark and the memory warning).</summary>
    public int? WorkerProcessId => worker.IsCompletedSuccessfully ? worker.Result.WorkerProcessId : null;

    public void Dispose()
    {
        worker.DisposeWhenStarted();
        if (assistance.IsValueCreated) assistance.Value.Dispose();
    }
}

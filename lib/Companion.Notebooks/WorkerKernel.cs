using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>
/// Executes cells in a separate worker process (one per notebook) running a <see cref="ScriptKernel"/>. Code cannot be
/// aborted inside a .NET process, so a cell that runs past its timeout is stopped by killing the worker; the notebook
/// then reports that cell, and the caller goes on with the next notebook.
/// </summary>
public sealed class WorkerKernel : IKernel
{
    /// <summary>Prefix of protocol lines on the worker's stdout; anything else there (native libraries' noise) is ignored.</summary>
    public const string ProtocolPrefix = "\u001eNBWORKER ";

    /// <summary>How long the worker may take to start and warm up before it is declared broken.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    readonly Process process;
    readonly Queue<string> stderrTail = new();
    bool dead;

    /// <summary>The worker's process id (for a caller's watchdog, such as a memory limit).</summary>
    public int ProcessId => process.Id;

    /// <summary>Time from starting the process to the worker saying it is ready (Roslyn warmed up).</summary>
    public TimeSpan StartupTime { get; }

    /// <param name="baseDirectory">The notebook's folder (for <c>#r</c> paths and the working directory of the cells).</param>
    /// <param name="warmUp">Have the worker compile a trivial script before it says it is ready.</param>
    /// <param name="environment">Extra environment variables for the worker (e.g. <c>DOTNET_GCHeapHardLimit</c>, which caps its managed heap).</param>
    public WorkerKernel(string baseDirectory, bool warmUp = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        var clock = Stopwatch.StartNew();
        var workerDll = Path.Combine(AppContext.BaseDirectory, "Companion.Notebooks.Worker.dll");
        if (!File.Exists(workerDll))
            throw new FileNotFoundException($"notebook worker not found at {workerDll}; build the runner (dotnet build lib/Companion.Runner)");
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetFullPath(baseDirectory),
        };
        foreach (var a in new[] { "exec", workerDll, "--base-dir", Path.GetFullPath(baseDirectory) }) psi.ArgumentList.Add(a);
        if (!warmUp) psi.ArgumentList.Add("--no-warmup");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the notebook worker");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderrTail) { stderrTail.Enqueue(e.Data); while (stderrTail.Count > 40) stderrTail.Dequeue(); }
        };
        process.BeginErrorReadLine();
        JsonObject? ready = null;
        try
        {
            using var startTimeout = new CancellationTokenSource(StartTimeout);
            ready = ReadMessageAsync(startTimeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) { }
        if (ready?["type"]?.GetValue<string>() != "ready")
        {
            Kill();
            var message = $"the notebook worker did not start within {StartTimeout.TotalSeconds:0} s " +
                $"(exit code {(process.HasExited ? process.ExitCode : -1)}). {StderrTail()}";
            process.Dispose();
            throw new InvalidOperationException(message);
        }
        StartupTime = clock.Elapsed;
    }

    /// <summary>The dotnet host running this process (so the worker uses the same runtime).</summary>
    static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p)) return p;
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var exe = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(exe) ? exe : "dotnet";
    }

    async Task<JsonObject?> ReadMessageAsync(CancellationToken token)
    {
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(token);
            if (line is null) return null;
            var at = line.IndexOf(ProtocolPrefix, StringComparison.Ordinal);
            if (at >= 0) return JsonNode.Parse(line[(at + ProtocolPrefix.Length)..])?.AsObject();
        }
    }

    /// <inheritdoc />
    public async Task<CellResult> ExecuteAsync(int cellNumber, string source, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (dead)
            return Failed(cellNumber, clock, "WorkerUnavailable", "the worker process was stopped by an earlier timeout or crash");
        var request = new JsonObject { ["type"] = "execute", ["cell"] = cellNumber, ["source"] = source };
        await process.StandardInput.WriteLineAsync(request.ToJsonString());
        await process.StandardInput.FlushAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var reply = await ReadMessageAsync(cts.Token);
            if (reply is null)
            {
                dead = true;
                await process.WaitForExitAsync();
                return Failed(cellNumber, clock, "WorkerCrashed",
                    $"the worker process exited with code {process.ExitCode} while running cell {cellNumber}. {StderrTail()}");
            }
            return CellResult.FromJson(reply["result"]!.AsObject());
        }
        catch (OperationCanceledException)
        {
            dead = true;
            Kill();
            return Failed(cellNumber, clock, "CellTimeoutError",
                $"cell {cellNumber} did not finish within {timeout.TotalSeconds:0.#} s and was stopped (its worker process was killed)");
        }
    }

    static CellResult Failed(int cellNumber, Stopwatch clock, string ename, string message)
    {
        var output = Outputs.Error(ename, message, [$"Cell {cellNumber}: {ename}: {message}"]);
        return new CellResult([KernelEvent.NewOutput(output)], true, $"Cell {cellNumber}: {ename}: {message}", clock.Elapsed);
    }

    string StderrTail()
    {
        lock (stderrTail) return stderrTail.Count == 0 ? "" : "Worker stderr: " + string.Join(" | ", stderrTail.TakeLast(8));
    }

    void Kill()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!dead && !process.HasExited) process.StandardInput.Close();
            if (!process.WaitForExit(3000)) Kill();
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>
/// Executes cells in a separate worker process (one per notebook) running a <see cref="ScriptKernel"/>. Events stream
/// from the worker while the cell runs, so output printed before a crash or a timeout is kept. Code cannot be aborted
/// inside a .NET process, so a cell that runs past its timeout, or is interrupted (cancelled), is stopped by killing the
/// worker; a fresh worker is then started for later cells and the cell's error says that the session's state is lost.
/// The worker dies with its parent (it watches its stdin and the parent's PID); <see cref="StopAll"/> kills every live
/// worker of this process (the runner calls it on SIGTERM/SIGINT).
/// </summary>
public sealed class WorkerKernel : IKernel
{
    /// <summary>Prefix of protocol lines on the worker's stdout; anything else there (native libraries' noise) is ignored.</summary>
    public const string ProtocolPrefix = "\u001eNBWORKER ";

    /// <summary>How long the worker may take to start and warm up before it is declared broken.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>What the error of a stopped cell says about the restart.</summary>
    public const string RestartNotice =
        "the session was restarted in a fresh worker process: its state (variables, types, #r assemblies of earlier cells) is lost";

    static readonly ConcurrentDictionary<int, Process> Live = new();

    readonly string baseDirectory;
    readonly bool warmUp;
    readonly IReadOnlyDictionary<string, string> environment;
    Task<WorkerProcess> worker;

    /// <summary>Time from starting the first process to the worker saying it is ready (Roslyn warmed up).</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>How many times the worker was restarted after a timeout, an interrupt or a crash.</summary>
    public int Restarts { get; private set; }

    /// <summary>The process id of the current worker (null while a restarted one is starting or could not start).</summary>
    public int? WorkerProcessId => worker.IsCompletedSuccessfully ? worker.Result.Id : null;

    /// <param name="baseDirectory">The notebook's folder (for <c>#r</c> paths and the working directory of the cells).</param>
    /// <param name="warmUp">Have the worker compile a trivial script before it says it is ready.</param>
    /// <param name="environment">Extra environment variables for every worker process (e.g. <c>DOTNET_GCHeapHardLimit</c>, which caps its managed heap).</param>
    /// <exception cref="InvalidOperationException">The worker did not start.</exception>
    public WorkerKernel(string baseDirectory, bool warmUp = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        this.baseDirectory = Path.GetFullPath(baseDirectory);
        this.warmUp = warmUp;
        this.environment = environment ?? new Dictionary<string, string>();
        var first = WorkerProcess.Start(this.baseDirectory, warmUp, this.environment);
        worker = Task.FromResult(first);
        StartupTime = first.StartupTime;
    }

    /// <summary>Kills every worker process this process started that is still alive (on SIGTERM/SIGINT of the runner).</summary>
    public static void StopAll()
    {
        foreach (var (_, p) in Live)
        {
            try { p.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            catch (System.ComponentModel.Win32Exception) { }
        }
    }

    /// <inheritdoc />
    public async Task<CellResult> ExecuteAsync(int cellNumber, string source, TimeSpan timeout, CellCallbacks? callbacks = null,
        CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var log = new CellEventLog();
        void Publish(KernelEvent e)
        {
            log.Add(e);
            callbacks?.OnEvent?.Invoke(e);
        }
        CellResult Fail(string ename, string message)
        {
            Publish(KernelEvent.NewOutput(Outputs.Error(ename, message, [$"Cell {cellNumber}: {ename}: {message}"])));
            return new CellResult(log.ToList(), true, $"Cell {cellNumber}: {ename}: {message}", clock.Elapsed);
        }

        WorkerProcess w;
        try
        {
            w = await worker;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            return Fail("WorkerUnavailable", $"the worker process could not be restarted after an earlier stop: {e.Message}");
        }
        if (cancel.IsCancellationRequested)
            return Fail("KernelInterrupted", $"cell {cellNumber} was interrupted before it started");

        using var timeoutCts = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, cancel);
        try
        {
            await w.SendAsync(new JsonObject
            {
                ["type"] = "execute", ["cell"] = cellNumber, ["source"] = source, ["input"] = callbacks?.OnInput is not null,
            });
            while (true)
            {
                var message = await w.ReadMessageAsync(stop.Token);
                switch (message?["type"]?.GetValue<string>())
                {
                    case null:
                        var crash = await w.DescribeExitAsync();
                        Restart();
                        return Fail("WorkerCrashed", $"the worker process {crash} while running cell {cellNumber}; {RestartNotice}");
                    case "event":
                        Publish(KernelEvent.FromJson(message["event"]!.AsObject()));
                        break;
                    case "input":
                        var prompt = message["prompt"]?.GetValue<string>() ?? "";
                        var password = message["password"]?.GetValue<bool>() ?? false;
                        string? value = null;
                        if (callbacks?.OnInput is { } onInput)
                            value = await Task.Run(() => onInput(prompt, password), CancellationToken.None).WaitAsync(stop.Token);
                        await w.SendAsync(new JsonObject { ["type"] = "input_reply", ["value"] = value });
                        break;
                    case "done":
                        return new CellResult(log.ToList(), message["failed"]!.GetValue<bool>(), message["error"]?.GetValue<string>(),
                            clock.Elapsed);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            bool interrupted = cancel.IsCancellationRequested;
            bool timedOut = timeoutCts.IsCancellationRequested;
            w.Kill();
            Restart();
            if (interrupted)
                return Fail("KernelInterrupted", $"cell {cellNumber} was interrupted: its worker process was killed and {RestartNotice}");
            if (timedOut)
                return Fail("CellTimeoutError", string.Create(CultureInfo.InvariantCulture,
                    $"cell {cellNumber} did not finish within {timeout.TotalSeconds:0.#} s and was stopped: its worker process was killed and {RestartNotice}"));
            return Fail("WorkerCrashed", $"the connection to the worker process broke while running cell {cellNumber} ({e.Message}); {RestartNotice}");
        }
    }

    void Restart()
    {
        Restarts++;
        var (dir, warm, env) = (baseDirectory, warmUp, environment);
        worker = Task.Run(() => WorkerProcess.Start(dir, warm, env));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        worker.DisposeWhenStarted();
    }

    /// <summary>One worker process and its protocol streams.</summary>
    sealed class WorkerProcess : IDisposable
    {
        readonly Process process;
        readonly Queue<string> stderrTail = new();
        readonly List<string> stackOverflow = [];
        readonly SemaphoreSlim sendGate = new(1, 1);
        int stackOverflowLines = -1;

        WorkerProcess(Process process) => this.process = process;

        public int Id => process.Id;
        public TimeSpan StartupTime { get; private set; }

        public static WorkerProcess Start(string baseDirectory, bool warmUp, IReadOnlyDictionary<string, string> environment)
        {
            var clock = Stopwatch.StartNew();
            var workerDll = Path.Combine(AppContext.BaseDirectory, "Companion.Notebooks.Worker.dll");
            if (!File.Exists(workerDll))
                throw new InvalidOperationException($"notebook worker not found at {workerDll}; build the runner (dotnet build lib/Companion.Runner)");
            var psi = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = baseDirectory,
            };
            foreach (var a in new[] { "exec", workerDll, "--base-dir", baseDirectory, "--parent-pid",
                         Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
                psi.ArgumentList.Add(a);
            if (!warmUp) psi.ArgumentList.Add("--no-warmup");
            foreach (var (name, value) in environment) psi.Environment[name] = value;
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the notebook worker");
            Live[process.Id] = process;
            var w = new WorkerProcess(process);
            process.ErrorDataReceived += (_, e) => w.OnStderr(e.Data);
            process.BeginErrorReadLine();
            JsonObject? ready = null;
            try
            {
                using var startTimeout = new CancellationTokenSource(StartTimeout);
                ready = w.ReadMessageAsync(startTimeout.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) { }
            if (ready?["type"]?.GetValue<string>() != "ready")
            {
                w.Kill();
                var message = $"the notebook worker did not start within {StartTimeout.TotalSeconds:0} s " +
                    $"(exit code {(process.HasExited ? process.ExitCode : -1)}). {w.StderrTail()}";
                w.Dispose();
                throw new InvalidOperationException(message);
            }
            w.StartupTime = clock.Elapsed;
            return w;
        }

        void OnStderr(string? line)
        {
            if (line is null) return;
            lock (stderrTail)
            {
                if (stackOverflowLines < 0 && line.Contains("Stack overflow", StringComparison.Ordinal)) stackOverflowLines = 0;
                if (stackOverflowLines is >= 0 and < 12) { stackOverflow.Add(line); stackOverflowLines++; }
                stderrTail.Enqueue(line);
                while (stderrTail.Count > 40) stderrTail.Dequeue();
            }
        }

        /// <summary>The dotnet host running this process (so the worker uses the same runtime).</summary>
        static string DotnetHost()
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p)) return p;
            var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
            var exe = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            return File.Exists(exe) ? exe : "dotnet";
        }

        public async Task SendAsync(JsonObject message)
        {
            await sendGate.WaitAsync();
            try
            {
                await process.StandardInput.WriteLineAsync(message.ToJsonString());
                await process.StandardInput.FlushAsync();
            }
            finally
            {
                sendGate.Release();
            }
        }

        public async Task<JsonObject?> ReadMessageAsync(CancellationToken token)
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(token);
                if (line is null) return null;
                var at = line.IndexOf(ProtocolPrefix, StringComparison.Ordinal);
                if (at >= 0) return JsonNode.Parse(line[(at + ProtocolPrefix.Length)..])?.AsObject();
            }
        }

        /// <summary>After the protocol stream ended: how the process ended ("exited with code 3", "died of a stack overflow in F(Int32)").</summary>
        public async Task<string> DescribeExitAsync()
        {
            // WaitForExit() without a timeout also waits for the redirected stderr to reach its end.
            await Task.Run(() => process.WaitForExit(30_000) && process.WaitForExit(30_000));
            Live.TryRemove(process.Id, out _);
            var code = process.HasExited ? process.ExitCode : -1;
            lock (stderrTail)
            {
                if (stackOverflow.Count > 0)
                {
                    var frames = stackOverflow.Select(l => l.Trim()).Where(l => l.StartsWith("at ", StringComparison.Ordinal))
                        .Select(l => System.Text.RegularExpressions.Regex.Replace(l[3..], @"Submission#\d+[.+]", "")).Take(3).ToList();
                    var repeat = stackOverflow.FirstOrDefault(l => l.StartsWith("Repeat ", StringComparison.Ordinal))?.TrimEnd(':');
                    var where = frames.Count > 0 ? $" in {frames[0]}" : "";
                    return $"died of a stack overflow{where}{(repeat is null ? "" : $" ({repeat.ToLowerInvariant()})")} (exit code {code})";
                }
            }
            return $"exited with code {code}. {StderrTail()}".TrimEnd();
        }

        public string StderrTail()
        {
            lock (stderrTail) return stderrTail.Count == 0 ? "" : "Worker stderr: " + string.Join(" | ", stderrTail.TakeLast(8));
        }

        public void Kill()
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException) { }
            catch (System.ComponentModel.Win32Exception) { }
            Live.TryRemove(process.Id, out _);
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited) process.StandardInput.Close();
                if (!process.WaitForExit(3000)) Kill();
            }
            catch (InvalidOperationException) { }
            catch (IOException) { }
            Live.TryRemove(process.Id, out _);
            process.Dispose();
            sendGate.Dispose();
        }
    }
}

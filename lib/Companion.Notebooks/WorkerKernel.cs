using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>
/// Executes cells in a separate worker process (one per notebook) running a <see cref="ScriptKernel"/>. Events stream
/// from the worker while the cell runs, so output printed before a crash or a timeout is kept. A cell that runs past its
/// timeout, or is interrupted (cancelled), is stopped in two steps: the worker is asked to stop it at its next
/// checkpoint (<see cref="CellInterruption"/>; loops and function entries of the cell, the maths library's loops), which
/// ends the cell with <c>KeyboardInterrupt</c> or <c>CellTimeoutError</c> and keeps every variable; only if it has not
/// stopped after <see cref="InterruptGrace"/> (blocked in native code) is the worker killed, a fresh one started for
/// later cells, and the cell's error says that the session's state is lost (and later cells failing on missing names
/// say where the session restarted).
/// The worker dies with its parent (it watches its stdin and the parent's PID); <see cref="StopAll"/> kills every live
/// worker of this process (the runner calls it on SIGTERM/SIGINT).
/// </summary>
public sealed class WorkerKernel : IKernel
{
    /// <summary>Prefix of protocol lines on the worker's stdout; anything else there (native libraries' noise) is ignored.</summary>
    public const string ProtocolPrefix = "\u001eNBWORKER ";

    /// <summary>How long the worker may take to start and warm up before it is declared broken.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>What the error of a cell stopped at a checkpoint says about the session.</summary>
    public const string KeptNotice = "the session's variables are kept";

    /// <summary>Default <see cref="InterruptGrace"/>.</summary>
    public static readonly TimeSpan DefaultInterruptGrace = TimeSpan.FromSeconds(3);

    /// <summary>How long an interrupted or timed-out cell has to reach a checkpoint and stop (keeping the session)
    /// before its worker process is killed and restarted.</summary>
    public TimeSpan InterruptGrace { get; init; } = DefaultInterruptGrace;

    int? restartedAtCell;

    /// <summary>What the error of a cell stopped by killing its worker says about the restart.</summary>
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
        using var grace = new CancellationTokenSource();
        var stopped = Task.Delay(Timeout.Infinite, stop.Token);
        var graceOver = Task.Delay(Timeout.Infinite, grace.Token);
        bool interruptSent = false, hinted = false;
        bool TimedOut() => timeoutCts.IsCancellationRequested && !cancel.IsCancellationRequested;
        string Limit() => string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.#} s");
        // Step one of stopping a cell: ask the worker to interrupt it at its next checkpoint, which keeps the session.
        async Task SendInterruptOnce()
        {
            if (interruptSent) return;
            interruptSent = true;
            var (ename, message) = TimedOut()
                ? ("CellTimeoutError", $"cell {cellNumber} did not finish within {Limit()} and was stopped; {KeptNotice}")
                : ("KeyboardInterrupt", $"cell {cellNumber} was interrupted; {KeptNotice}");
            grace.CancelAfter(InterruptGrace);
            await w.SendAsync(new JsonObject { ["type"] = "interrupt", ["ename"] = ename, ["message"] = message });
        }
        try
        {
            await w.SendAsync(new JsonObject
            {
                ["type"] = "execute", ["cell"] = cellNumber, ["source"] = source, ["input"] = callbacks?.OnInput is not null,
            });
            while (true)
            {
                // Protocol reads are never cancelled (a cancelled ReadLineAsync may lose half a line): the wait is.
                var read = w.ReadMessageAsync(CancellationToken.None);
                if (!interruptSent && await Task.WhenAny(read, stopped) != read) await SendInterruptOnce();
                if (interruptSent && await Task.WhenAny(read, graceOver) != read) throw new OperationCanceledException();
                var message = await read;
                switch (message?["type"]?.GetValue<string>())
                {
                    case null:
                        var crash = await w.DescribeExitAsync();
                        Restart(cellNumber);
                        return Fail("WorkerCrashed", $"the worker process {crash} while running cell {cellNumber}; {RestartNotice}");
                    case "event":
                        var e = KernelEvent.FromJson(message["event"]!.AsObject());
                        var withHint = LostStateHint(e);
                        hinted |= !ReferenceEquals(withHint, e);
                        Publish(withHint);
                        break;
                    case "input":
                        var prompt = message["prompt"]?.GetValue<string>() ?? "";
                        var password = message["password"]?.GetValue<bool>() ?? false;
                        string? value = null;
                        if (callbacks?.OnInput is { } onInput && !interruptSent)
                        {
                            var answer = Task.Run(() => onInput(prompt, password), CancellationToken.None);
                            if (await Task.WhenAny(answer, stopped) == answer) value = await answer;
                            else await SendInterruptOnce(); // no answer: ReadLine returns null and the cell stops at its next checkpoint
                        }
                        await w.SendAsync(new JsonObject { ["type"] = "input_reply", ["value"] = value });
                        break;
                    case "done":
                        var summary = message["error"]?.GetValue<string>();
                        if (hinted) summary += $" (the session restarted at cell {restartedAtCell}: run the cells above this one again)";
                        return new CellResult(log.ToList(), message["failed"]!.GetValue<bool>(), summary, clock.Elapsed);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Step two: the cell did not reach a checkpoint within the grace period (blocked in native code, a sleep,
            // a wait), or the connection broke: kill the worker and start a fresh one.
            bool interrupted = cancel.IsCancellationRequested;
            bool timedOut = TimedOut();
            w.Kill();
            Restart(cellNumber);
            var graceText = string.Create(CultureInfo.InvariantCulture, $"{InterruptGrace.TotalSeconds:0.#} s");
            if (interrupted)
                return Fail("KernelInterrupted", $"cell {cellNumber} was interrupted but did not stop within {graceText} (it is blocked in a call that never checks for interrupts, such as native code or a sleep), so its worker process was killed and {RestartNotice}");
            if (timedOut)
                return Fail("CellTimeoutError", $"cell {cellNumber} did not finish within {Limit()} and did not stop within {graceText} of being asked to, so its worker process was killed and {RestartNotice}");
            return Fail("WorkerCrashed", $"the connection to the worker process broke while running cell {cellNumber} ({e.Message}); {RestartNotice}");
        }
    }

    /// <summary>After a restart, a cell failing on names that do not exist most likely uses the lost state: its error
    /// starts with one line saying where the session restarted and what to do.</summary>
    KernelEvent LostStateHint(KernelEvent e)
    {
        if (restartedAtCell is not { } at || e.Kind != KernelEvent.OutputKind
            || e.Output["output_type"]?.GetValue<string>() != "error" || e.Output["ename"]?.GetValue<string>() != "CompilationError")
            return e;
        var evalue = e.Output["evalue"]?.GetValue<string>() ?? "";
        if (!LostStateCodes.Any(code => evalue.Contains(code, StringComparison.Ordinal))) return e;
        var hint = $"The session restarted at cell {at} (its variables, types and #r assemblies were lost): run the cells above this one again.";
        var output = (JsonObject)e.Output.DeepClone();
        output["evalue"] = hint + "\n" + evalue;
        var traceback = new JsonArray(JsonValue.Create(hint));
        foreach (var line in output["traceback"] as JsonArray ?? []) traceback.Add(line?.DeepClone());
        output["traceback"] = traceback;
        return e with { Output = output };
    }

    /// <summary>Compiler errors that a lost session causes: a name, type or namespace that does not exist.</summary>
    static readonly string[] LostStateCodes = ["CS0103", "CS0246", "CS0234", "CS0122"];

    void Restart(int cellNumber)
    {
        Restarts++;
        restartedAtCell = cellNumber;
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

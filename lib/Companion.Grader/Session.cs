using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Companion.Notebooks;

namespace Companion.Grader;

/// <summary>Where one notebook's grading workers run: the folder its <c>#r</c> paths resolve against, the folders the
/// sandbox shows read-only (those <c>#r</c> targets, data), whether to sandbox at all, and the declared files
/// (<c>metadata.grader.files</c>: paths relative to <see cref="BaseDirectory"/>) the worker sees read-only inside its
/// private folder. Two plans are equal when all are (the lists compared element by element, so a worker started ahead
/// for one plan serves another submission of the same notebook).</summary>
public sealed record WorkerPlan(string BaseDirectory, IReadOnlyList<string> ReadOnlyFolders, bool Sandboxed, IReadOnlyList<string>? Files = null)
{
    /// <summary>The declared files (none when null).</summary>
    public IReadOnlyList<string> DeclaredFiles => Files ?? [];

    public bool Equals(WorkerPlan? other) => other is not null && BaseDirectory == other.BaseDirectory && Sandboxed == other.Sandboxed
        && ReadOnlyFolders.SequenceEqual(other.ReadOnlyFolders, StringComparer.Ordinal)
        && DeclaredFiles.SequenceEqual(other.DeclaredFiles, StringComparer.Ordinal);

    public override int GetHashCode() =>
        ReadOnlyFolders.Concat(DeclaredFiles).Aggregate(HashCode.Combine(BaseDirectory, Sandboxed), (h, f) => HashCode.Combine(h, StringComparer.Ordinal.GetHashCode(f)));
}

/// <summary>One cell as the worker ran it, and the values its <c>Grade.Emit</c> calls sent.</summary>
public sealed record CellRun(CellResult Result, IReadOnlyList<(string Name, JsonObject Value)> Emits);

/// <summary>
/// The grading worker of one submission (see <see cref="WorkerMain"/> for the protocol), under its memory limit M: the
/// managed heap is capped at 3M/4 (<c>DOTNET_GCHeapHardLimit</c>) and a watchdog kills the worker's whole process tree
/// when its resident memory passes M. A cell that runs past its time, or kills its worker, is answered with
/// <c>CellTimeoutError</c> / <c>WorkerCrashed</c> and a fresh worker is started for the next cell.
/// </summary>
sealed class Session : IDisposable
{
    static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a worker may take to start.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    readonly WorkerPlan plan;
    readonly GradingLimits limits;
    readonly Timer? watchdog;
    readonly object gate = new();
    Task<Worker> worker;
    /// <summary>Compiles this session's cells here, in the grader (the worker has no compiler): restarted with the
    /// worker, whose fresh process has none of the earlier cells' state.</summary>
    SubmissionCompiler compiler;
    bool killedForMemory;

    Session(WorkerPlan plan, GradingLimits limits, Worker first)
    {
        this.plan = plan;
        this.limits = limits;
        worker = Task.FromResult(first);
        compiler = NewCompiler(plan);
        if (limits.MemoryLimitMegabytes > 0) watchdog = new Timer(_ => Watch(), null, TimeSpan.Zero, WatchInterval);
    }

    /// <summary>The compiler of a fresh worker's cells: a <c>#r</c> compiles only against a file that worker can load
    /// (inside the sandbox: one it shows; see <see cref="Sandbox.Loadable"/>).</summary>
    static SubmissionCompiler NewCompiler(WorkerPlan plan) =>
        new(plan.BaseDirectory) { ReferenceVisible = plan.Sandboxed ? Sandbox.Loadable(Worker.Visible(plan)) : null };

    /// <summary>Starts a worker (off the calling thread).</summary>
    /// <exception cref="InvalidOperationException">The worker did not start (the message says why).</exception>
    public static async Task<Session> StartAsync(WorkerPlan plan, GradingLimits limits)
    {
        var first = await Task.Run(() => Worker.StartAsync(plan, limits));
        return new Session(plan, limits, first);
    }

    /// <summary>Runs one cell with a fresh nonce; the cell's verdict counts only from a <c>done</c> carrying it.</summary>
    public async Task<CellRun> RunAsync(int number, string source, TimeSpan timeout)
    {
        if (timeout < TimeSpan.FromSeconds(1)) timeout = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();
        var events = new CellEventLog();
        var emits = new List<(string, JsonObject)>();
        CellRun Fail(string ename, string message)
        {
            events.Add(KernelEvent.NewOutput(Outputs.Error(ename, message, [$"Cell {number}: {ename}: {message}"])));
            return new CellRun(new CellResult(events.ToList(), true, $"Cell {number}: {ename}: {message}", clock.Elapsed), emits);
        }
        // Compiled here; a cell that does not compile ends here, with the same outputs as in the engine.
        // A cell that keeps the compiler past the cell's time limit (Roslyn can be made to bind for minutes, and its
        // binder does not always heed cancellation) is stopped as a cell that runs too long is, worker restart included
        // (so the grader replays the cells before it, as after any timeout); the abandoned compile is cancelled and its
        // compiler dropped with the old chain.
        CompiledCell compiled;
        var current = compiler;
        using var compileStop = new CancellationTokenSource();
        using var compileClock = new CancellationTokenSource();
        var compiling = Task.Run(() => current.Compile(number, source, compileStop.Token));
        var finished = await Task.WhenAny(compiling, Task.Delay(timeout, compileClock.Token));
        compileClock.Cancel();
        if (finished != compiling)
        {
            compileStop.Cancel();
            _ = compiling.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed, whatever it ends with
            Restart();
            return Fail("CellTimeoutError", string.Create(CultureInfo.InvariantCulture,
                $"cell {number} did not compile within {timeout.TotalSeconds:0.#} s and was stopped: its worker process was killed and {WorkerKernel.RestartNotice}"));
        }
        try { compiled = await compiling; }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever a cell does to the compiler fails that cell only, never the batch.
            return Fail("CompilerFailed", $"the grader could not compile cell {number}: {e.GetType().Name}: {e.Message}");
        }
        if (compiled.Error is not null) return new CellRun(SubmissionRunner.Report(compiled), emits);
        Worker w;
        try { w = await worker; }
        catch (InvalidOperationException e) { return Fail("WorkerUnavailable", $"the worker process could not be restarted: {e.Message}"); }
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var stop = new CancellationTokenSource(timeout);
        try
        {
            var request = compiled.ToJson();
            request["type"] = "execute";
            request["nonce"] = nonce;
            await w.SendAsync(request);
            while (true)
            {
                var m = await w.ReadAsync(stop.Token);
                switch (m?["type"]?.GetValue<string>())
                {
                    case null when m is null:
                        var how = await w.DescribeExitAsync();
                        Restart();
                        return Fail("WorkerCrashed", $"the worker process {how} while running cell {number}; {WorkerKernel.RestartNotice}");
                    case "event" when m["event"] is JsonObject e:
                        try { events.Add(KernelEvent.FromJson(e)); } catch (Exception x) when (x is InvalidOperationException or NullReferenceException or FormatException) { }
                        break;
                    case "emit" when m["name"] is JsonValue n && n.TryGetValue<string>(out var name) && m["value"] is JsonObject v:
                        emits.Add((name, (JsonObject)v.DeepClone()));
                        break;
                    case "done" when m["nonce"] is JsonValue nv && nv.TryGetValue<string>(out var got) && got == nonce:
                        bool failed = m["failed"] is not JsonValue f || !f.TryGetValue<bool>(out var fb) || fb;
                        return new CellRun(new CellResult(events.ToList(), failed, m["error"] is JsonValue ev && ev.TryGetValue<string>(out var es) ? es : null,
                            clock.Elapsed), emits);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            bool timedOut = stop.IsCancellationRequested;
            w.Kill();
            Restart();
            if (timedOut)
                return Fail("CellTimeoutError", string.Create(CultureInfo.InvariantCulture,
                    $"cell {number} did not finish within {timeout.TotalSeconds:0.#} s and was stopped: its worker process was killed and {WorkerKernel.RestartNotice}"));
            return Fail("WorkerCrashed", $"the connection to the worker process broke while running cell {number}; {WorkerKernel.RestartNotice}");
        }
    }

    void Restart()
    {
        var old = worker;
        worker = Task.Run(() => Worker.StartAsync(plan, limits));
        compiler = NewCompiler(plan);
        _ = old.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
    }

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
            if (!worker.IsCompletedSuccessfully) return;
            var w = worker.Result;
            if (w.ResidentBytes() <= limits.MemoryLimitMegabytes * 1024L * 1024L) return;
            killedForMemory = true;
            w.Kill();
        }
    }

    public void Dispose()
    {
        watchdog?.Dispose();
        lock (gate) { }
        var w = worker;
        if (w.IsCompleted) { if (w.IsCompletedSuccessfully) w.Result.Dispose(); }
        else _ = w.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
    }

    /// <summary>One worker process (in its sandbox) and its socket.</summary>
    sealed class Worker : IDisposable
    {
        /// <summary>Longest protocol line read (a larger one ends the connection).</summary>
        const int MaxLine = 64 << 20;

        readonly Process process;
        readonly string controlDir, workDir;
        readonly Queue<string> stderrTail = new();
        readonly Channel<JsonObject?> messages = Channel.CreateUnbounded<JsonObject?>();
        readonly SemaphoreSlim sendGate = new(1, 1);
        Stream? stream;

        Worker(Process process, string controlDir, string workDir)
        {
            this.process = process;
            this.controlDir = controlDir;
            this.workDir = workDir;
        }

        /// <summary>The folders a sandboxed worker sees read-only at their own paths: the grader's binaries, the
        /// runtime, the notebook's <c>#r</c> folders, the data folder.</summary>
        static List<string> ReadOnly(WorkerPlan plan, string binDir, string dotnetRoot)
        {
            List<string> ro = [binDir, dotnetRoot, .. plan.ReadOnlyFolders];
            if (System.Environment.GetEnvironmentVariable("COMPANION_DATA") is { Length: > 0 } d && Directory.Exists(d)) ro.Add(d);
            return ro;
        }

        /// <summary>What a sandboxed worker of <paramref name="plan"/> sees read-only (its read-only folders, the
        /// declared files in its private folder, <c>/usr</c>).</summary>
        public static IEnumerable<string> Visible(WorkerPlan plan)
        {
            var host = Sandbox.DotnetHost();
            var dotnetRoot = Path.GetDirectoryName(new FileInfo(host).ResolveLinkTarget(true)?.FullName ?? host)!;
            return ReadOnly(plan, Path.GetDirectoryName(typeof(WorkerMain).Assembly.Location)!, dotnetRoot)
                .Concat(plan.DeclaredFiles.Select(f => Path.Combine(plan.BaseDirectory, f))).Append("/usr");
        }

        public static async Task<Worker> StartAsync(WorkerPlan plan, GradingLimits limits)
        {
            // A declared file that is missing or not allowed stops here, before anything is made (the message says why).
            foreach (var f in plan.DeclaredFiles) Sandbox.CheckDeclared(plan.BaseDirectory, Path.Combine(plan.BaseDirectory, f), f);
            var control = Directory.CreateTempSubdirectory("nbgrade-ctl-").FullName;
            var work = Directory.CreateTempSubdirectory("nbgrade-work-").FullName;
            var socketPath = Path.Combine(control, "s");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            var extra = new Dictionary<string, string>();
            if (limits.MemoryLimitMegabytes > 0)
                extra["DOTNET_GCHeapHardLimit"] = (limits.MemoryLimitMegabytes * 1024L * 1024L * 3 / 4).ToString("X", CultureInfo.InvariantCulture);
            if (System.Environment.GetEnvironmentVariable("COMPANION_DATA") is { Length: > 0 } data) extra["COMPANION_DATA"] = data;
            var host = Sandbox.DotnetHost();
            var dotnetRoot = Path.GetDirectoryName(new FileInfo(host).ResolveLinkTarget(true)?.FullName ?? host)!;
            var env = Sandbox.Environment(dotnetRoot, extra);
            var workerDll = typeof(WorkerMain).Assembly.Location;
            var binDir = Path.GetDirectoryName(workerDll)!;
            var workerArgs = new List<string> { host, "exec", workerDll, "worker" };
            var psi = new ProcessStartInfo
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            if (plan.Sandboxed)
            {
                var ro = ReadOnly(plan, binDir, dotnetRoot);
                psi.FileName = Sandbox.Bwrap ?? throw new InvalidOperationException("bwrap is not installed");
                var inside = plan.DeclaredFiles.Select(f => (Path.Combine(plan.BaseDirectory, f), f));
                foreach (var a in Sandbox.Arguments(plan.BaseDirectory, work, ro.Where(Directory.Exists), control, env, inside)) psi.ArgumentList.Add(a);
                psi.ArgumentList.Add("--");
                foreach (var a in workerArgs) psi.ArgumentList.Add(a);
                psi.ArgumentList.Add("--socket");
                psi.ArgumentList.Add(Sandbox.SocketFolder + "/s");
            }
            else
            {
                // Without the sandbox the declared files are copied into the private folder (nothing else of the source is).
                foreach (var f in plan.DeclaredFiles) Sandbox.CopyInto(plan.BaseDirectory, f, work);
                psi.FileName = workerArgs[0];
                foreach (var a in workerArgs.Skip(1)) psi.ArgumentList.Add(a);
                psi.ArgumentList.Add("--socket");
                psi.ArgumentList.Add(socketPath);
                psi.WorkingDirectory = work;
                psi.Environment.Clear();
                foreach (var (k, v) in env) psi.Environment[k] = v;
            }
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the grading worker");
            var w = new Worker(process, control, work);
            process.StandardInput.Close();
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            process.ErrorDataReceived += (_, e) => w.OnStderr(e.Data);
            process.BeginErrorReadLine();
            try
            {
                using var startTimeout = new CancellationTokenSource(StartTimeout);
                var exited = process.WaitForExitAsync(startTimeout.Token);
                var accept = listener.AcceptAsync(startTimeout.Token).AsTask();
                if (await Task.WhenAny(accept, exited) != accept || !accept.IsCompletedSuccessfully)
                    throw new OperationCanceledException();
                File.Delete(socketPath); // one connection: nothing else can connect to the grader
                w.stream = new NetworkStream(accept.Result, ownsSocket: true);
                _ = Task.Run(w.ReadLoopAsync);
                var ready = await w.ReadAsync(startTimeout.Token);
                if (ready?["type"]?.GetValue<string>() != "ready") throw new OperationCanceledException();
                return w;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                w.Kill();
                var message = $"the grading worker did not start within {StartTimeout.TotalSeconds:0} s " +
                    $"(exit code {(process.HasExited ? process.ExitCode : -1)}). {w.StderrTail()}";
                w.Dispose();
                throw new InvalidOperationException(message);
            }
        }

        async Task ReadLoopAsync()
        {
            try
            {
                using var reader = new StreamReader(stream!, new UTF8Encoding(false), false, 1 << 16);
                var line = new StringBuilder();
                var buffer = new char[1 << 16];
                int n;
                while ((n = await reader.ReadAsync(buffer)) > 0)
                {
                    int start = 0;
                    for (int i = 0; i < n; i++)
                    {
                        if (buffer[i] != '\n') continue;
                        line.Append(buffer, start, i - start);
                        start = i + 1;
                        Parse(line.ToString());
                        line.Clear();
                    }
                    line.Append(buffer, start, n - start);
                    if (line.Length > MaxLine) break;
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { }
            messages.Writer.TryWrite(null);
        }

        void Parse(string line)
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject o) messages.Writer.TryWrite(o);
            }
            catch (JsonException) { }
        }

        public async Task<JsonObject?> ReadAsync(CancellationToken token)
        {
            var m = await messages.Reader.ReadAsync(token);
            if (m is null) messages.Writer.TryWrite(null); // stays at the end
            return m;
        }

        public async Task SendAsync(JsonObject message)
        {
            await sendGate.WaitAsync();
            try
            {
                await stream!.WriteAsync(Encoding.UTF8.GetBytes(message.ToJsonString() + "\n"));
                await stream.FlushAsync();
            }
            finally { sendGate.Release(); }
        }

        void OnStderr(string? line)
        {
            if (line is null) return;
            lock (stderrTail)
            {
                stderrTail.Enqueue(line.Length > 400 ? line[..400] + " …" : line);
                while (stderrTail.Count > 40) stderrTail.Dequeue();
            }
        }

        string StderrTail()
        {
            lock (stderrTail) return stderrTail.Count == 0 ? "" : "Worker stderr: " + string.Join(" | ", stderrTail.TakeLast(8));
        }

        /// <summary>After the socket ended: how the worker ended ("exited with code 3", "died of a stack overflow").</summary>
        public async Task<string> DescribeExitAsync()
        {
            await Task.Run(() => process.WaitForExit(30_000) && process.WaitForExit(30_000));
            var code = process.HasExited ? process.ExitCode : -1;
            lock (stderrTail)
            {
                var overflow = stderrTail.FirstOrDefault(l => l.Contains("Stack overflow", StringComparison.Ordinal));
                if (overflow is not null)
                {
                    var frame = stderrTail.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at ", StringComparison.Ordinal));
                    var where = frame is null ? "" : " in " + System.Text.RegularExpressions.Regex.Replace(frame[3..], @"Submission#\d+[.+]", "");
                    return $"died of a stack overflow{where} (exit code {code})";
                }
            }
            return $"exited with code {code}. {StderrTail()}".TrimEnd();
        }

        /// <summary>Resident memory of the worker's whole process tree (its sandbox included).</summary>
        public long ResidentBytes()
        {
            long total = 0;
            var seen = new HashSet<int>();
            var stack = new Stack<int>([process.Id]);
            while (stack.Count > 0)
            {
                var pid = stack.Pop();
                if (!seen.Add(pid)) continue;
                try
                {
                    foreach (var l in File.ReadLines($"/proc/{pid}/status"))
                        if (l.StartsWith("VmRSS:", StringComparison.Ordinal))
                            total += long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                    foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                        foreach (var c in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                            stack.Push(int.Parse(c, CultureInfo.InvariantCulture));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
            }
            return total;
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
        }

        public void Dispose()
        {
            Kill();
            try { stream?.Dispose(); } catch (IOException) { }
            process.Dispose();
            sendGate.Dispose();
            foreach (var d in new[] { controlDir, workDir })
                try { Directory.Delete(d, true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}

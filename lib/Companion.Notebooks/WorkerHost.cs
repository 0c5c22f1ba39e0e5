using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;

namespace Companion.Notebooks;

/// <summary>
/// The worker process's loop: reads one JSON request per line on stdin, runs it in a <see cref="ScriptKernel"/>, and
/// answers on the original stdout with lines prefixed by <see cref="WorkerKernel.ProtocolPrefix"/>. Cells' own console
/// output is captured by the kernel and never reaches the protocol stream.
/// </summary>
/// <remarks>
/// Protocol. Parent → worker: <c>{"type":"execute","cell":N,"source":S,"input":bool}</c>,
/// <c>{"type":"input_reply","value":S|null}</c>,
/// <c>{"type":"interrupt","ename":S,"message":S}</c> (stop the running cell at its next checkpoint, see
/// <see cref="CellInterruption"/>; it ends with that error and keeps the session's state). Worker → parent: <c>{"type":"ready"}</c> once, then per cell any number
/// of <c>{"type":"event","event":E}</c> (a <see cref="KernelEvent"/> as it happens) and <c>{"type":"input","prompt":S,
/// "password":bool}</c> (answered by an input_reply), and last <c>{"type":"done","failed":bool,"error":S|null}</c>.
/// The worker dies with its parent: at the end of its stdin (the parent closed it or died) and when the parent's PID
/// (<c>--parent-pid</c>) is gone, checked every <see cref="ParentCheckInterval"/>; a running cell does not delay this.
/// </remarks>
public static class WorkerHost
{
    /// <summary>How often the worker checks that its parent process is alive.</summary>
    public static readonly TimeSpan ParentCheckInterval = TimeSpan.FromMilliseconds(500);

    static volatile bool busy;

    /// <summary>Environment variable that turns interruption checkpoints off when "0" (for measuring their cost).</summary>
    public const string CheckpointsVariable = "COMPANION_CHECKPOINTS";

    /// <summary>Environment variable that turns the idle warm-up off when "0" (for measuring its cost; the start-up
    /// warm-up stays).</summary>
    public const string IdleWarmUpVariable = "COMPANION_IDLE_WARMUP";

    /// <summary>Runs the worker. Arguments: <c>--base-dir DIR</c> [<c>--parent-pid PID</c>] [<c>--no-warmup</c>].</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var baseDir = Directory.GetCurrentDirectory();
        int? parentPid = null;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--base-dir") baseDir = args[i + 1];
            if (args[i] == "--parent-pid") parentPid = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }
        // The protocol uses file descriptors 1 and 0 directly, not the console streams: on Unix those take Console.Out's
        // lock, which a cell holds while it writes.
        var protocol = new StreamWriter(new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1),
            new UTF8Encoding(false), 1 << 16) { AutoFlush = true };
        var requests = new BlockingCollection<string>();
        var warmUp = !args.Contains("--no-warmup");
        if (warmUp) ScriptKernel.WarmUp();
        // Then, while no request is running, typical cells in a throwaway session (see IdleWarmUp).
        using var idleWarmUp = warmUp && Environment.GetEnvironmentVariable(IdleWarmUpVariable) != "0" ? new IdleWarmUp(baseDir) : null;
        // COMPANION_CHECKPOINTS=0 runs cells as written (no interruption checkpoints: an interrupt then restarts the worker).
        using var kernel = new ScriptKernel(baseDir) { Instrument = Environment.GetEnvironmentVariable(CheckpointsVariable) != "0" };
        var stdin = new Thread(() => ReadRequests(requests, idleWarmUp, kernel)) { IsBackground = true, Name = "worker stdin" };
        stdin.Start();
        using var watchdog = parentPid is int pid ? new Timer(_ => { if (!IsAlive(pid)) Die(); }, null, ParentCheckInterval, ParentCheckInterval) : null;
        // Environment.Exit in a cell: send what the cell printed before the process ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => kernel.FlushConsole();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => kernel.FlushConsole();
        Send(protocol, new JsonObject { ["type"] = "ready" });
        if (requests.Count == 0) idleWarmUp?.Resume();
        foreach (var line in requests.GetConsumingEnumerable())
        {
            idleWarmUp?.Pause();
            if (line.Length == 0) continue;
            var request = JsonNode.Parse(line)!.AsObject();
            if (request["type"]?.GetValue<string>() != "execute") continue;
            busy = true;
            var callbacks = new CellCallbacks
            {
                OnEvent = e => Send(protocol, new JsonObject { ["type"] = "event", ["event"] = e.ToJson() }),
                OnInput = request["input"]?.GetValue<bool>() == true ? (prompt, password) => AskParent(protocol, requests, prompt, password) : null,
            };
            var result = await kernel.ExecuteAsync(request["cell"]!.GetValue<int>(), request["source"]!.GetValue<string>(),
                Timeout.InfiniteTimeSpan, callbacks);
            Send(protocol, new JsonObject { ["type"] = "done", ["failed"] = result.Failed, ["error"] = result.ErrorSummary });
            busy = false;
            if (requests.Count == 0) idleWarmUp?.Resume();
        }
        return 0;
    }

    static string? AskParent(StreamWriter protocol, BlockingCollection<string> requests, string prompt, bool password)
    {
        Send(protocol, new JsonObject { ["type"] = "input", ["prompt"] = prompt, ["password"] = password });
        while (true)
        {
            string line;
            try { line = requests.Take(); }
            catch (InvalidOperationException) { return null; }
            var reply = JsonNode.Parse(line)?.AsObject();
            if (reply?["type"]?.GetValue<string>() == "input_reply") return reply["value"]?.GetValue<string>();
        }
    }

    static void ReadRequests(BlockingCollection<string> requests, IdleWarmUp? idleWarmUp, ScriptKernel kernel)
    {
        using var input = new StreamReader(new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1));
        while (input.ReadLine() is { } line)
        {
            // Interrupts act at once, on this thread, while the main thread runs the cell; they and the requests are
            // handled in the order they were sent, so an interrupt never outlives its cell nor is lost before it starts.
            var node = line.Length == 0 ? null : JsonNode.Parse(line);
            var type = node?["type"]?.GetValue<string>();
            if (type == "interrupt")
            {
                var request = node!.AsObject();
                kernel.Interrupt(request["ename"]?.GetValue<string>() ?? "KeyboardInterrupt",
                    request["message"]?.GetValue<string>() ?? "the cell was interrupted");
                continue;
            }
            if (type == "execute") kernel.ClearInterruption();
            idleWarmUp?.Pause(); // before the request is visible, so a warm-up cell never runs beside it
            requests.Add(line);
        }
        // End of stdin: the parent closed it (a normal end) or died. A running cell must not outlive it.
        if (busy) Die();
        requests.CompleteAdding();
    }

    static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>Ends this process at once, whatever its cell is doing (SIGKILL to itself).</summary>
    static void Die()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }

    static void Send(StreamWriter protocol, JsonObject message)
    {
        lock (protocol) protocol.WriteLine(WorkerKernel.ProtocolPrefix + message.ToJsonString());
    }
}

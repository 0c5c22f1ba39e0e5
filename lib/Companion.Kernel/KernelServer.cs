using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using Companion.Notebooks;
using NetMQ;
using NetMQ.Sockets;

namespace Companion.Kernel;

/// <summary>
/// The Jupyter kernel: binds the five channels of a connection file (shell, control and stdin are ROUTER sockets, iopub
/// PUB, heartbeat REP) and answers the messaging protocol 5.3. One poller thread owns every socket but the heartbeat's
/// (all sends go through its queue, so no socket is used from two threads); shell requests run in order on their own
/// thread, so control (interrupt, shutdown, kernel_info) is answered while a cell runs; the heartbeat echoes on its own
/// thread. Cells run in the engine's worker process (<see cref="CellSession"/>).
/// </summary>
public sealed class KernelServer : IDisposable
{
    /// <summary>
    /// The language this kernel reports: exactly the notebooks' own <c>language_info</c> (<c>{"name": "C#"}</c>, as .NET
    /// Interactive writes it). Jupyter Notebook and JupyterLab copy the kernel's <c>language_info</c> into the notebook on
    /// opening and mark it modified when it differs, so any further field (version, mimetype, …) turned every opened
    /// notebook into a changed file. The name alone is enough: CodeMirror and Pygments find C# by the name "C#".
    /// </summary>
    public static readonly JsonObject LanguageInfo = new() { ["name"] = "C#" };

    readonly ConnectionInfo connection;
    readonly MessageSigner signer;
    readonly string session = Guid.NewGuid().ToString("N");
    readonly RouterSocket shell = new(), control = new(), stdin = new();
    readonly PublisherSocket iopub = new();
    readonly NetMQQueue<(NetMQSocket? Socket, List<byte[]> Frames)> outbox = new();
    readonly NetMQPoller poller;
    readonly BlockingCollection<JupyterMessage> shellQueue = new();
    readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly CellSession cells;
    readonly Thread heartbeatThread, shellThread;
    volatile bool stopping;
    volatile CancellationTokenSource? runningCell;
    volatile TaskCompletionSource<string?>? pendingInput;
    int executionCount;
    bool completionWarmedUp;

    /// <param name="cellTimeout">Cells running longer are stopped (the session restarts); infinite by default.</param>
    public KernelServer(ConnectionInfo connection, string baseDirectory, TimeSpan cellTimeout)
    {
        this.connection = connection;
        signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        cells = new CellSession(baseDirectory, cellTimeout);
        foreach (var s in new NetMQSocket[] { shell, control, stdin, iopub }) s.Options.Linger = TimeSpan.FromSeconds(1);
        shell.Bind(connection.Address(connection.ShellPort));
        control.Bind(connection.Address(connection.ControlPort));
        stdin.Bind(connection.Address(connection.StdinPort));
        iopub.Bind(connection.Address(connection.IopubPort));
        shell.ReceiveReady += (_, e) => Receive(e.Socket, shellQueue.Add);
        control.ReceiveReady += (_, e) => Receive(e.Socket, HandleControl);
        stdin.ReceiveReady += (_, e) => Receive(e.Socket, HandleStdin);
        outbox.ReceiveReady += (_, _) => Flush();
        poller = [shell, control, stdin, iopub, outbox];
        heartbeatThread = new Thread(Heartbeat) { IsBackground = true, Name = "heartbeat" };
        shellThread = new Thread(ShellLoop) { IsBackground = true, Name = "shell" };
    }

    /// <summary>The session's cells (for the benchmark's process ids and the tests).</summary>
    public CellSession Cells => cells;

    /// <summary>Serves until a <c>shutdown_request</c> arrives.</summary>
    public async Task RunAsync()
    {
        heartbeatThread.Start();
        shellThread.Start();
        poller.RunAsync("jupyter-poller");
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        await stopped.Task;
    }

    static void Log(string message) => Console.Error.WriteLine($"[companion-kernel] {message}");

    void Receive(NetMQSocket socket, Action<JupyterMessage> handle)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(ref frames))
        {
            JupyterMessage message;
            try { message = JupyterMessage.Parse(frames, signer); }
            catch (InvalidMessageException e) { Log(e.Message); continue; }
            try { handle(message); }
            catch (Exception e) when (e is not OutOfMemoryException) { Log($"{message.Type}: {e}"); }
            frames = [];
        }
    }

    // ---- sending: every socket but the heartbeat is used on the poller thread only -------------------------------

    void Send(NetMQSocket socket, JupyterMessage message) => outbox.Enqueue((socket, message.ToFrames(signer)));

    void Flush()
    {
        while (outbox.TryDequeue(out var item, TimeSpan.Zero))
        {
            if (item.Socket is null) { StopNow(); return; }
            item.Socket.SendMultipartBytes(item.Frames);
        }
    }

    void Publish(string type, JsonObject content, JupyterMessage? parent) =>
        Send(iopub, JupyterMessage.Create(type, content, parent, session, [System.Text.Encoding.UTF8.GetBytes(type)]));

    void Reply(NetMQSocket socket, JupyterMessage request, string type, JsonObject content) =>
        Send(socket, JupyterMessage.Create(type, content, request, session));

    void Status(JupyterMessage parent, string state) => Publish("status", new JsonObject { ["execution_state"] = state }, parent);

    // ---- channels --------------------------------------------------------------------------------------------------

    void Heartbeat()
    {
        using var hb = new ResponseSocket();
        hb.Options.Linger = TimeSpan.Zero;
        hb.Bind(connection.Address(connection.HeartbeatPort));
        var frames = new List<byte[]>();
        while (!stopping)
            if (hb.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(200), ref frames))
            {
                hb.SendMultipartBytes(frames);
                frames = [];
            }
    }

    void HandleControl(JupyterMessage m)
    {
        Status(m, "busy");
        switch (m.Type)
        {
            case "kernel_info_request":
                Reply(control, m, "kernel_info_reply", KernelInfo());
                break;
            case "interrupt_request":
                Interrupt();
                Reply(control, m, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                Shutdown(control, m);
                return;
            default:
                Log($"control: {m.Type} is not supported");
                break;
        }
        Status(m, "idle");
    }

    /// <summary>Stops the running cell (as <c>interrupt_request</c> does).</summary>
    public void Interrupt()
    {
        pendingInput?.TrySetResult(null);
        runningCell?.Cancel();
    }

    void HandleStdin(JupyterMessage m)
    {
        if (m.Type == "input_reply")
            pendingInput?.TrySetResult(m.Content["value"]?.GetValue<string>() ?? "");
    }

    void Shutdown(NetMQSocket socket, JupyterMessage m)
    {
        var restart = m.Content["restart"]?.GetValue<bool>() ?? false;
        runningCell?.Cancel();
        pendingInput?.TrySetResult(null);
        Reply(socket, m, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
        Status(m, "idle");
        outbox.Enqueue((null, [])); // stop once the reply is on the wire
    }

    /// <summary>Stops serving (any thread): <see cref="RunAsync"/> returns, and disposing the server stops the worker.</summary>
    public void Stop()
    {
        pendingInput?.TrySetResult(null);
        outbox.Enqueue((null, []));
    }

    void StopNow()
    {
        stopping = true;
        shellQueue.CompleteAdding();
        poller.Stop();
        stopped.TrySetResult();
    }

    static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "companion-csharp",
        ["implementation_version"] = typeof(KernelServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion.Split('+')[0] ?? "1.0.0",
        ["language_info"] = LanguageInfo.DeepClone(),
        ["banner"] = "C# (Companion): the homework companion's notebook engine (Roslyn scripting) as a Jupyter kernel",
        ["help_links"] = new JsonArray(new JsonObject
        {
            ["text"] = "C# language reference",
            ["url"] = "https://learn.microsoft.com/dotnet/csharp/language-reference/",
        }),
        ["debugger"] = false,
    };

    // ---- shell: one request at a time, in order ------------------------------------------------------------------

    void ShellLoop()
    {
        try
        {
            foreach (var m in shellQueue.GetConsumingEnumerable())
            {
                try { HandleShell(m).GetAwaiter().GetResult(); }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A malformed request (e.g. a field of the wrong type) gets an error reply naming it, not silence.
                    Log($"{m.Type}: {e}");
                    if (m.Type.EndsWith("_request", StringComparison.Ordinal))
                        Reply(shell, m, m.Type[..^"_request".Length] + "_reply", new JsonObject
                        {
                            ["status"] = "error", ["ename"] = "KernelRequestError",
                            ["evalue"] = $"{m.Type} could not be served: {e.Message}", ["traceback"] = new JsonArray(),
                        });
                    Status(m, "idle");
                }
            }
        }
        catch (InvalidOperationException) { } // queue completed
    }

    async Task HandleShell(JupyterMessage m)
    {
        Status(m, "busy");
        var c = m.Content;
        switch (m.Type)
        {
            case "kernel_info_request":
                Reply(shell, m, "kernel_info_reply", KernelInfo());
                break;
            case "execute_request":
                await Execute(m);
                break;
            case "is_complete_request":
                var (status, indent) = cells.Assistance.IsComplete(c["code"]?.GetValue<string>() ?? "");
                var isComplete = new JsonObject { ["status"] = status };
                if (status == "incomplete") isComplete["indent"] = indent;
                Reply(shell, m, "is_complete_reply", isComplete);
                break;
            case "complete_request":
                Reply(shell, m, "complete_reply", await Complete(c));
                break;
            case "inspect_request":
                Reply(shell, m, "inspect_reply", await Inspect(c));
                break;
            case "comm_info_request":
                Reply(shell, m, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "history_request":
                Reply(shell, m, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                break;
            case "shutdown_request": // protocol < 5.4 clients send it on shell
                Shutdown(shell, m);
                return;
            case "comm_open":
                // No comm targets: close it so the front end does not wait (messaging spec, "Opening a comm").
                Publish("comm_close", new JsonObject { ["comm_id"] = c["comm_id"]?.DeepClone(), ["data"] = new JsonObject() }, m);
                break;
            case "comm_msg" or "comm_close":
                break;
            default:
                Log($"shell: {m.Type} is not supported");
                break;
        }
        Status(m, "idle");
    }

    async Task<JsonObject> Complete(JsonObject c)
    {
        var code = c["code"]?.GetValue<string>() ?? "";
        var cursor = CodePoints.ToUtf16(code, c["cursor_pos"]?.GetValue<int>() ?? code.Length);
        var r = await cells.Assistance.CompleteAsync(code, cursor);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(r.Matches.Select(x => (JsonNode)JsonValue.Create(x.Text)).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16(code, r.Start),
            ["cursor_end"] = CodePoints.FromUtf16(code, r.End),
            ["metadata"] = new JsonObject
            {
                ["_jupyter_types_experimental"] = new JsonArray(r.Matches.Select(x => (JsonNode)new JsonObject
                {
                    ["start"] = CodePoints.FromUtf16(code, r.Start),
                    ["end"] = CodePoints.FromUtf16(code, r.End),
                    ["text"] = x.Text,
                    ["type"] = x.Kind,
                }).ToArray()),
            },
        };
    }

    async Task<JsonObject> Inspect(JsonObject c)
    {
        var code = c["code"]?.GetValue<string>() ?? "";
        var cursor = CodePoints.ToUtf16(code, c["cursor_pos"]?.GetValue<int>() ?? code.Length);
        var d = await cells.Assistance.DescribeAsync(code, cursor);
        var data = new JsonObject();
        if (d is not null)
        {
            data["text/plain"] = d.Summary is null ? d.Signature : $"{d.Signature}\n\n{d.Summary}";
            data["text/markdown"] = $"```csharp\n{d.Signature}\n```" + (d.Summary is null ? "" : $"\n\n{d.Summary}");
        }
        return new JsonObject { ["status"] = "ok", ["found"] = d is not null, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    // ---- execute -----------------------------------------------------------------------------------------------------

    async Task Execute(JupyterMessage m)
    {
        var c = m.Content;
        var code = c["code"]?.GetValue<string>() ?? "";
        var silent = c["silent"]?.GetValue<bool>() ?? false;
        var storeHistory = !silent && (c["store_history"]?.GetValue<bool>() ?? true);
        var allowStdin = c["allow_stdin"]?.GetValue<bool>() ?? true;
        var stopOnError = c["stop_on_error"]?.GetValue<bool>() ?? true;
        if (storeHistory) executionCount++;
        var n = Math.Max(1, executionCount);
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = executionCount }, m);

        JsonObject? error = null;
        void OnEvent(KernelEvent e)
        {
            var (type, content) = IopubMessage(e, executionCount);
            if (type == "error") error = content;
            if (!silent && type is not null) Publish(type, content, m);
        }
        Func<string, bool, string?>? onInput = allowStdin ? (prompt, password) => AskInput(m, prompt, password) : null;

        using var interrupt = new CancellationTokenSource();
        runningCell = interrupt;
        try { await cells.ExecuteAsync(n, code, OnEvent, onInput, interrupt.Token); }
        finally { runningCell = null; }

        var reply = error is null
            ? new JsonObject
            {
                ["status"] = "ok", ["execution_count"] = executionCount,
                ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray(),
            }
            : new JsonObject
            {
                ["status"] = "error", ["execution_count"] = executionCount,
                ["ename"] = error["ename"]?.DeepClone(), ["evalue"] = error["evalue"]?.DeepClone(),
                ["traceback"] = error["traceback"]?.DeepClone(),
            };
        Reply(shell, m, "execute_reply", reply);
        if (error is not null && stopOnError) AbortQueuedExecutions();
        // A person is at the front end (headless runners such as nbclient send allow_stdin=false): prepare Roslyn's
        // completion service now, so the first Tab does not wait for it.
        if (allowStdin && !completionWarmedUp && cells.WarmsAssistance)
        {
            completionWarmedUp = true;
            _ = Task.Run(() => cells.Assistance.CompleteAsync("Console.", "Console.".Length));
        }
    }

    /// <summary>After a failed cell with <c>stop_on_error</c>, the execute requests already queued are answered
    /// "aborted" (as ipykernel does), so "run all" stops at the error; other requests are still served.</summary>
    void AbortQueuedExecutions()
    {
        var rest = new List<JupyterMessage>();
        // Requests sent together with the failed one ("run all") may still be on their way from the socket: also take
        // what arrives within a short window (a person cannot react to the error that fast).
        while (shellQueue.TryTake(out var q, TimeSpan.FromMilliseconds(20))) rest.Add(q);
        foreach (var q in rest)
        {
            if (q.Type != "execute_request") { HandleShell(q).GetAwaiter().GetResult(); continue; }
            Status(q, "busy");
            // No execution_count, as ipykernel: the front end would show the failed cell's In [N] on the skipped one.
            Reply(shell, q, "execute_reply", new JsonObject { ["status"] = "aborted" });
            Status(q, "idle");
        }
    }

    string? AskInput(JupyterMessage parent, string prompt, bool password)
    {
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pendingInput = answer;
        Send(stdin, JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password },
            parent, session));
        try { return answer.Task.GetAwaiter().GetResult(); }
        finally { pendingInput = null; }
    }

    /// <summary>The iopub message for an engine event: stream, display_data (with its display id), update_display_data,
    /// execute_result or error; nbformat's multi-line fields become plain strings.</summary>
    public static (string? Type, JsonObject Content) IopubMessage(KernelEvent e, int executionCount)
    {
        var o = e.Output;
        JsonObject Data() => o["data"] is JsonObject d
            ? new JsonObject(d.Select(kv => KeyValuePair.Create(kv.Key, kv.Value is JsonArray or JsonValue && !Outputs.IsJson(kv.Key) ? (JsonNode?)Outputs.Text(kv.Value) : kv.Value?.DeepClone())))
            : new JsonObject();
        JsonObject Transient() => new() { ["display_id"] = e.DisplayId };
        JsonNode Meta() => o["metadata"]?.DeepClone() ?? new JsonObject();
        if (e.Kind == KernelEvent.UpdateKind)
            return ("update_display_data", new JsonObject { ["data"] = Data(), ["metadata"] = Meta(), ["transient"] = Transient() });
        switch (o["output_type"]?.GetValue<string>())
        {
            case "stream":
                return ("stream", new JsonObject { ["name"] = o["name"]?.DeepClone(), ["text"] = Outputs.Text(o["text"]) });
            case "display_data":
                var content = new JsonObject { ["data"] = Data(), ["metadata"] = Meta() };
                if (e.DisplayId is not null) content["transient"] = Transient();
                return ("display_data", content);
            case "execute_result":
                return ("execute_result", new JsonObject { ["execution_count"] = executionCount, ["data"] = Data(), ["metadata"] = Meta() });
            case "error":
                return ("error", new JsonObject
                {
                    ["ename"] = o["ename"]?.DeepClone(), ["evalue"] = o["evalue"]?.DeepClone(),
                    ["traceback"] = o["traceback"]?.DeepClone() ?? new JsonArray(),
                });
            default:
                return (null, new JsonObject());
        }
    }

    public void Dispose()
    {
        stopping = true;
        if (poller.IsRunning) poller.Stop();
        heartbeatThread.Join(TimeSpan.FromSeconds(2));
        poller.Dispose();
        foreach (var s in new NetMQSocket[] { shell, control, stdin, iopub }) s.Dispose();
        outbox.Dispose();
        cells.Dispose();
        shellQueue.Dispose();
    }
}

/// <summary>Jupyter counts cursor positions in Unicode code points (protocol 5.2+); .NET strings in UTF-16 units.</summary>
public static class CodePoints
{
    public static int ToUtf16(string s, int codePoints)
    {
        int i = 0;
        for (int k = 0; k < codePoints && i < s.Length; k++) i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
        return i;
    }

    public static int FromUtf16(string s, int utf16)
    {
        int k = 0;
        for (int i = 0; i < utf16 && i < s.Length; k++) i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
        return k;
    }
}

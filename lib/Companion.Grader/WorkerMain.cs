using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Companion.Notebooks;
using Companion.Notebooks.Interactive;

namespace Companion.Grader;

/// <summary>
/// The grading worker (<c>nbgrade worker --socket PATH --base-dir DIR [--no-warm-up]</c>), started by <see cref="Session"/>,
/// inside the sandbox by default; it warms Roslyn up before it reports ready unless told not to. It talks to the grader over the Unix socket PATH only, never over stdin/stdout/stderr (a cell can
/// write those): one JSON object per line. Grader → worker: <c>{"type":"execute","cell":N,"source":S,"nonce":X}</c>.
/// Worker → grader: <c>{"type":"ready"}</c> once; per cell any number of <c>{"type":"event","event":E}</c> and
/// <c>{"type":"emit","name":S,"value":V}</c>, then <c>{"type":"done","nonce":X,"failed":bool,"error":S}</c>. The grader
/// accepts a <c>done</c> only with the nonce it sent with that cell (a fresh random one per cell), so a line written
/// by earlier student code cannot end a later cell.
/// </summary>
static class WorkerMain
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? socketPath = null, baseDir = null;
        for (int i = 1; i < args.Length - 1; i++)
        {
            if (args[i] == "--socket") socketPath = args[i + 1];
            if (args[i] == "--base-dir") baseDir = args[i + 1];
        }
        if (socketPath is null || baseDir is null)
        {
            Console.Error.WriteLine("usage: nbgrade worker --socket PATH --base-dir DIR");
            return 2;
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        var stream = new NetworkStream(socket, ownsSocket: true);
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { AutoFlush = true };
        var reader = new StreamReader(stream, new UTF8Encoding(false));
        void Send(JsonObject m)
        {
            var line = m.ToJsonString() + "\n";
            lock (writer) writer.Write(line);
        }
        if (!args.Contains("--no-warm-up")) ScriptKernel.WarmUp();
        using var kernel = new ScriptKernel(baseDir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => kernel.FlushConsole();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => kernel.FlushConsole();
        Grade.Redirect((name, value) => Send(new JsonObject { ["type"] = "emit", ["name"] = name, ["value"] = value }));
        // The library's Companion.Grading.Grade (notebooks that #r lib/Companion call it, so that their hidden tests also
        // run under .NET Interactive): redirected when the notebook loads the library.
        void HookLibrary(System.Reflection.Assembly a)
        {
            if (a.GetName().Name != "Companion" || a.GetType("Companion.Grading.Grade") is not { } library) return;
            library.GetMethod("Redirect")?.Invoke(null, [(Action<string, object?, double>)((name, value, tolerance) =>
            {
                var encoded = Grade.Encode(value);
                encoded["tolerance"] = tolerance;
                Send(new JsonObject { ["type"] = "emit", ["name"] = name, ["value"] = encoded });
            })]);
        }
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => HookLibrary(e.LoadedAssembly);
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies()) HookLibrary(a);
        Send(new JsonObject { ["type"] = "ready" });
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0) continue;
            var request = JsonNode.Parse(line)!.AsObject();
            if (request["type"]?.GetValue<string>() != "execute") continue;
            var callbacks = new CellCallbacks { OnEvent = e => Send(new JsonObject { ["type"] = "event", ["event"] = e.ToJson() }) };
            var result = await kernel.ExecuteAsync(request["cell"]!.GetValue<int>(), request["source"]!.GetValue<string>(),
                Timeout.InfiniteTimeSpan, callbacks);
            Send(new JsonObject
            {
                ["type"] = "done", ["nonce"] = request["nonce"]?.GetValue<string>(), ["failed"] = result.Failed, ["error"] = result.ErrorSummary,
            });
        }
        return 0;
    }
}

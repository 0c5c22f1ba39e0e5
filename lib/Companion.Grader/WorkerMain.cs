using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Companion.Notebooks;
using Companion.Notebooks.Interactive;

namespace Companion.Grader;

/// <summary>
/// The grading worker (<c>nbgrade worker --socket PATH</c>), started by <see cref="Session"/>, inside the
/// sandbox by default. It has no compiler: the grader compiles each cell (<see cref="SubmissionCompiler"/>) and the worker
/// runs the assembly it is sent (<see cref="SubmissionRunner"/>; Roslyn is never loaded here). It talks to the grader
/// over the Unix socket PATH only, never over stdin/stdout/stderr (a cell can write those): one JSON object per line.
/// Grader → worker: <c>{"type":"execute","cell":N,"assembly":B64,"pdb":B64,"entry":T,"references":[P…],"trailing":bool,
/// "warnings":[S…],"nonce":X}</c> (no assembly for a cell with nothing to run; see <see cref="CompiledCell"/>).
/// Worker → grader: <c>{"type":"ready"}</c> once; per cell any number of <c>{"type":"event","event":E}</c> and
/// <c>{"type":"emit","name":S,"value":V}</c>, then <c>{"type":"done","nonce":X,"failed":bool,"error":S}</c>. The grader
/// accepts a <c>done</c> only with the nonce it sent with that cell (a fresh random one per cell), so a line written
/// by earlier student code cannot end a later cell.
/// </summary>
static class WorkerMain
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? socketPath = null;
        for (int i = 1; i < args.Length - 1; i++)
            if (args[i] == "--socket") socketPath = args[i + 1];
        if (socketPath is null)
        {
            Console.Error.WriteLine("usage: nbgrade worker --socket PATH");
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
        var kernel = new SubmissionRunner();
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
            var result = await kernel.ExecuteAsync(CompiledCell.FromJson(request), callbacks);
            Send(new JsonObject
            {
                ["type"] = "done", ["nonce"] = request["nonce"]?.GetValue<string>(), ["failed"] = result.Failed, ["error"] = result.ErrorSummary,
            });
        }
        return 0;
    }
}

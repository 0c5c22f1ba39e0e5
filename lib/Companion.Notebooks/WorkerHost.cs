using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>
/// The worker process's loop: reads one JSON request per line on stdin, runs it in a <see cref="ScriptKernel"/>, and
/// answers on the original stdout with lines prefixed by <see cref="WorkerKernel.ProtocolPrefix"/>. Cells' own console
/// output is captured by the kernel and never reaches the protocol stream.
/// </summary>
public static class WorkerHost
{
    /// <summary>Runs the worker. Arguments: <c>--base-dir DIR</c> [<c>--no-warmup</c>].</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var baseDir = Directory.GetCurrentDirectory();
        for (int i = 0; i < args.Length - 1; i++)
            if (args[i] == "--base-dir") baseDir = args[i + 1];
        var protocol = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        if (!args.Contains("--no-warmup")) ScriptKernel.WarmUp();
        using var kernel = new ScriptKernel(baseDir);
        Send(protocol, new JsonObject { ["type"] = "ready" });
        using var input = new StreamReader(Console.OpenStandardInput());
        while (await input.ReadLineAsync() is { } line)
        {
            if (line.Length == 0) continue;
            var request = JsonNode.Parse(line)!.AsObject();
            var result = await kernel.ExecuteAsync(request["cell"]!.GetValue<int>(), request["source"]!.GetValue<string>(), Timeout.InfiniteTimeSpan);
            Send(protocol, new JsonObject { ["type"] = "result", ["result"] = result.ToJson() });
        }
        return 0;
    }

    static void Send(StreamWriter protocol, JsonObject message)
    {
        lock (protocol) protocol.WriteLine(WorkerKernel.ProtocolPrefix + message.ToJsonString());
    }
}

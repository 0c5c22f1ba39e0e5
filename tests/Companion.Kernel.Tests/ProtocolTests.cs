using System.Text.Json.Nodes;
using Companion.Testing;

namespace Companion.Kernel.Tests;

/// <summary>Runs the Python driver (jupyter_client, pyzmq) against the kernel once; each test reads one scenario.</summary>
public sealed class ProtocolRun : IDisposable
{
    /// <summary>The whole driver run may take this long on a loaded 2-core machine (it starts three kernels).</summary>
    static readonly TimeSpan DriverTimeout = TimeSpan.FromMinutes(10);

    public Jupyter Jupyter { get; } = new();
    public Dictionary<string, JsonObject> Scenarios { get; } = [];
    public string Log { get; }

    /// <summary>The Python modules the driver imports.</summary>
    public static readonly string[] Needs = ["jupyter_client", "zmq"];

    /// <summary>What is missing to run the driver (the tests then skip, or fail under CI, with it); null when nothing is.</summary>
    public string? Missing { get; } = ToolRequirements.MissingPythonModules(Needs);

    public ProtocolRun()
    {
        if (Missing is not null) { Log = Missing; return; }
        var cwd = Path.Combine(Jupyter.RepoRoot(), "notebooks", "ift6135-generative-ssl");
        var (code, stdout, stderr) = Jupyter.RunAsync(Jupyter.Python,
            [Jupyter.Driver("kernel_protocol.py"), "--kernel", "companion-csharp", "--cwd", cwd], DriverTimeout)
            .GetAwaiter().GetResult();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (line.StartsWith('{') && JsonNode.Parse(line) is JsonObject o) Scenarios[o["name"]!.GetValue<string>()] = o;
        Log = $"driver exit code {code}\n{stdout}\n{stderr[Math.Max(0, stderr.Length - 4000)..]}";
    }

    public void Dispose() => Jupyter.Dispose();
}

public class ProtocolTests(ProtocolRun run) : IClassFixture<ProtocolRun>
{
    void Passes(string scenario)
    {
        ToolRequirements.Require(run.Missing);
        Assert.True(run.Scenarios.TryGetValue(scenario, out var result), $"scenario {scenario} did not report\n{run.Log}");
        Assert.True(result["ok"]!.GetValue<bool>(), $"{scenario}: {result["detail"]}\n{run.Log}");
    }

    [SkippableFact] public void Kernel_info_on_shell_and_control() => Passes("kernel_info");
    [SkippableFact] public void Execute_publishes_busy_input_outputs_reply_idle_in_order() => Passes("execute_order");
    [SkippableFact] public void Errors_carry_ename_evalue_traceback_and_stop_on_error_aborts() => Passes("errors");
    [SkippableFact] public void Display_and_update_display_share_the_display_id() => Passes("display_update");
    [SkippableFact] public void Is_complete_follows_roslyn() => Passes("is_complete");
    [SkippableFact] public void Completions_see_earlier_cells_and_the_library() => Passes("complete");
    [SkippableFact] public void Inspect_shows_signature_and_doc_summary() => Passes("inspect");
    [SkippableFact] public void Comm_info_and_history() => Passes("comm_history");
    [SkippableFact] public void Bad_signatures_are_rejected() => Passes("bad_signature");
    [SkippableFact] public void A_malformed_request_gets_an_error_reply() => Passes("malformed");
    [SkippableFact] public void Heartbeat_echoes() => Passes("heartbeat");
    [SkippableFact] public void Interrupt_stops_a_runaway_cell_and_keeps_the_session() => Passes("interrupt");
    [SkippableFact] public void Interrupt_of_a_blocked_cell_restarts_the_worker_and_the_next_error_says_so() => Passes("interrupt_blocked");
    [SkippableFact] public void Killing_the_client_leaves_no_kernel_or_worker_running() => Passes("orphan");
    [SkippableFact] public void Console_ReadLine_asks_the_front_end_on_stdin() => Passes("stdin");
    [SkippableFact] public void Restart_gives_a_fresh_kernel() => Passes("restart");
    [SkippableFact] public void Shutdown_exits_cleanly() => Passes("shutdown");
}

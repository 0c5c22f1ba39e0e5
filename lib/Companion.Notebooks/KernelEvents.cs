using System.Text.Json.Nodes;

namespace Companion.Notebooks;

/// <summary>Something a cell produced: a new output (with a display id when it came from <c>display</c>), or an update
/// of an earlier displayed output (<c>handle.Update(x)</c>, possibly from a later cell).</summary>
public sealed record KernelEvent(string Kind, JsonObject Output, string? DisplayId)
{
    public const string OutputKind = "output";
    public const string UpdateKind = "update";

    public static KernelEvent NewOutput(JsonObject output, string? displayId = null) => new(OutputKind, output, displayId);
    public static KernelEvent Update(string displayId, JsonObject output) => new(UpdateKind, output, displayId);

    public JsonObject ToJson() => new() { ["kind"] = Kind, ["output"] = Output.DeepClone(), ["displayId"] = DisplayId };

    public static KernelEvent FromJson(JsonObject o) =>
        new(o["kind"]!.GetValue<string>(), (JsonObject)o["output"]!.DeepClone(), o["displayId"]?.GetValue<string>());
}

/// <summary>What executing one cell gave: its events in order, whether it failed, and how long it took.</summary>
/// <param name="Failed">True when the cell ended in a compile error, an exception or a timeout.</param>
/// <param name="ErrorSummary">One line naming the error (for the runner's report), when failed.</param>
public sealed record CellResult(IReadOnlyList<KernelEvent> Events, bool Failed, string? ErrorSummary, TimeSpan Duration)
{
    public JsonObject ToJson() => new()
    {
        ["events"] = new JsonArray(Events.Select(e => (JsonNode)e.ToJson()).ToArray()),
        ["failed"] = Failed,
        ["error"] = ErrorSummary,
        ["ms"] = Duration.TotalMilliseconds,
    };

    public static CellResult FromJson(JsonObject o) => new(
        o["events"]!.AsArray().Select(e => KernelEvent.FromJson(e!.AsObject())).ToList(),
        o["failed"]!.GetValue<bool>(),
        o["error"]?.GetValue<string>(),
        TimeSpan.FromMilliseconds(o["ms"]!.GetValue<double>()));
}

/// <summary>Executes code cells in one session, so variables and types carry from cell to cell.</summary>
public interface IKernel : IDisposable
{
    /// <summary>Runs one cell. <paramref name="cellNumber"/> is the cell's 1-based position in the notebook, used in
    /// error messages. <paramref name="timeout"/> is enforced where the kernel can stop code (the worker kernel).</summary>
    Task<CellResult> ExecuteAsync(int cellNumber, string source, TimeSpan timeout);
}

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

/// <summary>
/// What the caller of <see cref="IKernel.ExecuteAsync"/> wants to hear while a cell runs (a notebook front end, the
/// Jupyter kernel). Both members are optional.
/// </summary>
public sealed class CellCallbacks
{
    /// <summary>
    /// Called in program order while the cell runs, for every event as it happens: console text (batched into chunks
    /// of a few tens of milliseconds, so a cell printing a million lines stays fast; each chunk is a <c>stream</c>
    /// output holding only the new text), <c>display_data</c> with its display id, the update of a display id,
    /// the <c>execute_result</c>, and the <c>error</c>. <see cref="CellResult.Events"/> still holds everything at the
    /// end, with consecutive chunks of one stream merged.
    /// </summary>
    public Action<KernelEvent>? OnEvent { get; init; }

    /// <summary>
    /// Answers console input requested by the cell (<c>Console.ReadLine()</c>, <c>Console.Read()</c>):
    /// (prompt, isPassword) → the line typed, without its newline, or null for end of input. The prompt is the text the
    /// cell wrote on the current stdout line before asking. When this is null, console input fails at once with an
    /// <see cref="InvalidOperationException"/> saying that no input can be typed (a headless run).
    /// </summary>
    public Func<string, bool, string?>? OnInput { get; init; }
}

/// <summary>Executes code cells in one session, so variables and types carry from cell to cell.</summary>
public interface IKernel : IDisposable
{
    /// <summary>
    /// Runs one cell. <paramref name="cellNumber"/> is the cell's 1-based position in the notebook, used in error
    /// messages. <paramref name="timeout"/> and <paramref name="cancel"/> are enforced where the kernel can stop code
    /// (the <see cref="WorkerKernel"/>): there, a cell past its timeout or cancelled (an interrupt) is first asked to stop
    /// at its next checkpoint and ends with <c>CellTimeoutError</c> or <c>KeyboardInterrupt</c>, its session intact; only
    /// a cell that does not stop within <see cref="WorkerKernel.InterruptGrace"/> is stopped by killing the worker
    /// process, a fresh worker is started for later cells, and the cell's error (<c>CellTimeoutError</c> or
    /// <c>KernelInterrupted</c>) says the session was restarted and its state (variables, types, <c>#r</c> assemblies of
    /// earlier cells) is lost. A crash of the worker (<c>Environment.Exit</c>, stack overflow) is reported the same way
    /// (<c>WorkerCrashed</c>), keeping the output printed before it. <paramref name="callbacks"/> streams events as they
    /// happen and answers console input.
    /// </summary>
    Task<CellResult> ExecuteAsync(int cellNumber, string source, TimeSpan timeout, CellCallbacks? callbacks = null,
        CancellationToken cancel = default);
}

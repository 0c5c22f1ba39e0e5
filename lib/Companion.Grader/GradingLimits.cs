namespace Companion.Grader;

/// <summary>Limits for one submission notebook: per cell, for the whole notebook, and for its worker's memory.</summary>
/// <param name="CellTimeout">A cell running longer is stopped (its worker is killed; the grader starts a new one and replays the cells before it).</param>
/// <param name="NotebookTimeLimit">Time for all the notebook's cells, counted from when its worker is ready: a cell
/// running when it ends is stopped, and later cells are not run (zero, with the reason).</param>
/// <param name="MemoryLimitMegabytes">The worker's memory: managed heap capped at this size (an allocation past it throws
/// <see cref="OutOfMemoryException"/> in the cell) and the process killed when its resident memory passes it. 0: no limit.</param>
/// <param name="MaxRestarts">How many times a dead worker is replaced before the rest of the notebook is given up.</param>
/// <param name="Sandboxed">Run the workers in the <see cref="Sandbox"/> (where bwrap is installed; <c>grade</c> refuses
/// to run without it unless given <c>--no-sandbox</c>).</param>
public sealed record GradingLimits(TimeSpan CellTimeout, TimeSpan NotebookTimeLimit, int MemoryLimitMegabytes, int MaxRestarts = 3,
    bool Sandboxed = true)
{
    public static GradingLimits Default { get; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(10), 2048);
}

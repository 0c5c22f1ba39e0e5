namespace Companion.Notebooks;

/// <summary>
/// Executes C# cells in this process, one script submission per cell chained on the previous state, so variables,
/// types and usings carry over: a <see cref="SubmissionCompiler"/> (Roslyn) compiles each cell and a
/// <see cref="SubmissionRunner"/> runs it, the same two pieces the grader splits between its own process and a
/// sandboxed worker. Console output, <c>display</c> calls, the trailing value and errors become nbformat outputs. It
/// cannot stop a runaway cell: use <see cref="WorkerKernel"/> for timeouts.
/// </summary>
public sealed class ScriptKernel : IKernel
{
    /// <summary>
    /// Namespaces imported in every session: exactly those of .NET Interactive 1.0.712001's C# kernel (probed with
    /// dotnet-repl: <c>StringBuilder</c>, <c>ArrayList</c>, <c>Task</c>, <c>Enumerable</c>, <c>List&lt;T&gt;</c> resolve;
    /// <c>Path</c>, <c>Regex</c>, <c>Stopwatch</c>, <c>CultureInfo</c> do not), so a notebook that runs here runs there.
    /// Plus this engine's own <c>display</c>/<c>DisplayAs</c> helpers.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultImports =
        ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks",
         "Companion.Notebooks.Interactive"];

    readonly string baseDirectory;
    readonly SubmissionRunner runner = new();
    SubmissionCompiler? compiler;

    /// <param name="baseDirectory">Folder against which <c>#r "relative.dll"</c> is resolved (the notebook's folder).</param>
    public ScriptKernel(string baseDirectory)
    {
        this.baseDirectory = Path.GetFullPath(baseDirectory);
    }

    SubmissionCompiler Compiler => compiler ??= new SubmissionCompiler(baseDirectory) { Instrument = Instrument };

    /// <summary>Compiles and runs a trivial two-cell session so the first real cell does not pay for JIT-compiling Roslyn.</summary>
    public static void WarmUp()
    {
        var compiler = new SubmissionCompiler(Path.GetTempPath());
        var runner = new SubmissionRunner();
        runner.ExecuteAsync(compiler.Compile(1, "var __warm = new System.Collections.Generic.List<int> { 1 }; __warm.Count"))
            .GetAwaiter().GetResult();
        runner.ExecuteAsync(compiler.Compile(2, "__warm.Count + 1")).GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    /// <remarks>Runs in this process: <paramref name="timeout"/> is not enforced and <paramref name="cancel"/> is only
    /// checked until the cell is compiled (code cannot be aborted inside a .NET process; use <see cref="WorkerKernel"/>).</remarks>
    public Task<CellResult> ExecuteAsync(int cellNumber, string source, TimeSpan timeout, CellCallbacks? callbacks = null,
        CancellationToken cancel = default)
    {
        CompiledCell compiled;
        try
        {
            cancel.ThrowIfCancellationRequested();
            compiled = Compiler.Compile(cellNumber, source, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return Task.FromResult(SubmissionRunner.Report(new CompiledCell(cellNumber, [], new CellError("KernelInterrupted",
                $"cell {cellNumber} was interrupted before it started",
                [$"Cell {cellNumber}: KernelInterrupted: the cell was interrupted before it started"]), null, null, null, [], false), callbacks));
        }
        // Once compiled, the cell runs: the chain now holds it, and the next cell's code refers to its slot.
        return runner.ExecuteAsync(compiled, callbacks);
    }

    /// <summary>Whether cells get interruption checkpoints (<see cref="InterruptionCheckpoints"/>); on by default.</summary>
    public bool Instrument { get; init; } = true;

    /// <inheritdoc cref="SubmissionRunner.Interrupt"/>
    public void Interrupt(string ename, string message) => runner.Interrupt(ename, message);

    /// <summary>Withdraws an interrupt before the next cell is run (the worker calls it when it reads the request, in
    /// order with the interrupts, so an interrupt for that cell arriving early is not lost).</summary>
    public void ClearInterruption() => runner.ClearInterruption();

    /// <summary>Sends the running cell's pending console text now (before the process exits).</summary>
    public void FlushConsole() => runner.FlushConsole();

    /// <inheritdoc />
    public void Dispose() { }
}

using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Companion.Notebooks;

/// <summary>
/// Executes C# cells in this process with Roslyn scripting, one submission per cell chained on the previous state, so
/// variables, types and usings carry over. Console output, <c>display</c> calls, the trailing value and errors become
/// nbformat outputs. It cannot stop a runaway cell: use <see cref="WorkerKernel"/> for timeouts.
/// </summary>
public sealed partial class ScriptKernel : IKernel
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
    readonly ValueFormatter formatter = new(ValueFormatter.ChartOutputFromEnvironment());
    readonly NotebookGlobals globals;
    readonly ScriptOptions options = BaseOptions();
    /// <summary><c>#r</c> references not yet part of a compiled submission (the cell that added them had no code or
    /// did not compile): they go with the next submission.</summary>
    readonly List<MetadataReference> newReferences = [];
    ScriptState<object?>? state;
    RunningCell? current;

    /// <param name="baseDirectory">Folder against which <c>#r "relative.dll"</c> is resolved (the notebook's folder).</param>
    public ScriptKernel(string baseDirectory)
    {
        this.baseDirectory = Path.GetFullPath(baseDirectory);
        globals = new NotebookGlobals(Show, UpdateDisplay);
    }

    static ScriptOptions BaseOptions()
    {
        var refs = new List<Assembly> { typeof(NotebookGlobals).Assembly };
        refs.AddRange(CarriedPackages.Assemblies);
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal)
                || f is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll" or "Microsoft.Win32.Primitives.dll")
                && !f.Contains("Native", StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p));
        return ScriptOptions.Default
            .WithReferences(refs)
            .AddReferences(framework)
            .WithImports(DefaultImports)
            .WithEmitDebugInformation(true)
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest);
    }

    /// <summary>Compiles and runs a trivial script so the first real cell does not pay for JIT-compiling Roslyn.</summary>
    public static void WarmUp()
    {
        var s = CSharpScript.RunAsync("var __warm = new System.Collections.Generic.List<int> { 1 }; __warm.Count",
            BaseOptions(), new NotebookGlobals((_, _) => { }, (_, _) => { })).GetAwaiter().GetResult();
        s.ContinueWithAsync("__warm.Count + 1").GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    /// <remarks>Runs in this process: <paramref name="timeout"/> is not enforced and <paramref name="cancel"/> is only
    /// checked before the cell starts (code cannot be aborted inside a .NET process; use <see cref="WorkerKernel"/>).</remarks>
    public async Task<CellResult> ExecuteAsync(int cellNumber, string source, TimeSpan timeout, CellCallbacks? callbacks = null,
        CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var cell = new RunningCell(cellNumber, callbacks);
        current = cell;
        using var running = CurrentKernel.Enter(this);
        try
        {
            if (cancel.IsCancellationRequested)
                return cell.Fail(clock, "KernelInterrupted", $"cell {cellNumber} was interrupted before it started",
                    [$"Cell {cellNumber}: KernelInterrupted: the cell was interrupted before it started"]);
            var directives = CellDirectives.Process(source, baseDirectory);
            foreach (var w in directives.Warnings) cell.Console.Error.Write(w + "\n");
            if (directives.Errors.Count > 0)
            {
                var lines = directives.Errors.Select(e => $"({e.Line},1): error NB0001: {e.Message}").ToList();
                return cell.Fail(clock, "DirectiveError", string.Join("\n", lines),
                    [$"Cell {cellNumber}, line {directives.Errors[0].Line}: {lines[0]}", .. lines.Skip(1)]);
            }
            newReferences.AddRange(directives.AssemblyPaths.Select(p => MetadataReference.CreateFromFile(p)));
            if (string.IsNullOrWhiteSpace(directives.Code))
                return cell.Done(clock);
            return await RunCodeAsync(cell, cellNumber, directives.Code, clock, cancel);
        }
        finally
        {
            cell.Console.Dispose();
        }
    }

    async Task<CellResult> RunCodeAsync(RunningCell cell, int cellNumber, string code, Stopwatch clock, CancellationToken cancel)
    {
        // A later submission lists only the references it adds, as Roslyn's own ContinueWith does: the chain carries
        // the earlier ones, and listing them all again in every submission made compilation N bind N × 170 references
        // (memory grew by ~2.5 MB per trivial cell at cell 400, and compiles took 3× longer).
        var cellOptions = (state is null ? options.AddReferences(newReferences) : options.WithReferences(newReferences))
            .WithFilePath(CellFileName(cellNumber));
        using var capture = ConsoleRouter.Capture(cell.Console.Out, cell.Console.Error, cell.Console.In);
        try
        {
            ScriptState<object?> next;
            // The cell runs with interruption checkpoints; when the rewritten code does not compile (e.g. a throw
            // expression in an expression tree) the cell's own code is compiled instead, and its errors are the ones shown.
            var instrumented = Instrument ? InterruptionCheckpoints.Insert(code) : code;
            try
            {
                next = await RunSubmissionAsync(instrumented, cellOptions, cancel);
            }
            catch (CompilationErrorException) when (!ReferenceEquals(instrumented, code))
            {
                next = await RunSubmissionAsync(code, cellOptions, cancel);
            }
            state = next;
            newReferences.Clear();
            cell.Console.Flush();
            if (next.Exception is { } thrown) return RuntimeError(cell, cellNumber, thrown, clock);
            if (next.ReturnValue is not null || HasNonVoidTrailingExpression(next.Script))
                cell.Publish(KernelEvent.NewOutput(Outputs.ExecuteResult(formatter.Format(next.ReturnValue), 0)));
            return cell.Done(clock);
        }
        catch (CompilationErrorException e)
        {
            cell.Console.Flush();
            // Sorted by position, as an editor lists them (Roslyn reports them in binding order).
            var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .OrderBy(d => d.Location.GetLineSpan().StartLinePosition).ToList();
            var diags = errors.Select(FormatDiagnostic).ToList();
            var first = errors.FirstOrDefault();
            int line = first is null ? 1 : first.Location.GetLineSpan().StartLinePosition.Line + 1;
            return cell.Fail(clock, "CompilationError", string.Join("\n", diags),
                [$"Cell {cellNumber}, line {line}: {diags.FirstOrDefault()}", .. diags.Skip(1)]);
        }
        catch (Exception e)
        {
            cell.Console.Flush();
            return RuntimeError(cell, cellNumber, e, clock);
        }
    }

    Task<ScriptState<object?>> RunSubmissionAsync(string code, ScriptOptions cellOptions, CancellationToken cancel)
    {
        // A stream (not a string) so Roslyn knows the encoding and can emit debug info: stack traces get cell lines.
        // catchException: a cell that throws still yields its state, so assignments made before the throw survive
        // (as in .NET Interactive).
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(code));
        return state is null
            ? CSharpScript.Create<object?>(stream, cellOptions, typeof(NotebookGlobals)).RunAsync(globals, _ => true, cancel)
            : state.Script.ContinueWith<object?>(stream, cellOptions).RunFromAsync(state, _ => true, cancel);
    }

    /// <summary>Whether cells get interruption checkpoints (<see cref="InterruptionCheckpoints"/>); on by default.</summary>
    public bool Instrument { get; init; } = true;

    /// <summary>
    /// Stops the running cell at its next checkpoint (any thread may call it): the cell ends with the error
    /// <paramref name="ename"/>: <paramref name="message"/> and the session's state is kept. Code that never reaches a
    /// checkpoint (a native call, <c>Thread.Sleep</c>) is not stopped; the caller decides what to do then.
    /// </summary>
    public void Interrupt(string ename, string message)
    {
        interruption = new Stop(ename, message);
        CellInterruption.Request();
    }

    /// <summary>Withdraws an interrupt before the next cell is run (the worker calls it when it reads the request, in
    /// order with the interrupts, so an interrupt for that cell arriving early is not lost).</summary>
    public void ClearInterruption()
    {
        interruption = null;
        CellInterruption.Reset();
    }

    sealed record Stop(string Ename, string Message);

    volatile Stop? interruption;

    CellResult RuntimeError(RunningCell cell, int cellNumber, Exception e, Stopwatch clock)
    {
        var ex = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
        var (where, frames) = Traceback(ex, cellNumber);
        if (interruption is { } stop && IsCancellation(ex))
            return cell.Fail(clock, stop.Ename, stop.Message, [$"{where}: {stop.Ename}: {stop.Message}", .. frames]);
        return cell.Fail(clock, ex.GetType().FullName ?? ex.GetType().Name, ex.Message,
            [$"{where}: {ex.GetType().FullName}: {ex.Message}", .. frames]);
    }

    /// <summary>An exception an interrupted computation ends with (also inside a <c>Parallel.For</c>'s aggregate).</summary>
    static bool IsCancellation(Exception ex) => ex is OperationCanceledException
        || ex is AggregateException a && a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsCancellation);

    /// <summary>
    /// Whether the cell ends in an expression without a semicolon whose type is not void: then a null value is shown as
    /// <c>&lt;null&gt;</c>, as .NET Interactive does, while a trailing void call shows nothing.
    /// </summary>
    static bool HasNonVoidTrailingExpression(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax unit
            || unit.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax
            {
                Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement,
            })
            return false;
        if (statement.Expression.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NullLiteralExpression)) return true;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    static string CellFileName(int cellNumber) => $"cell-{cellNumber}.csx";

    [GeneratedRegex(@"cell-(?<cell>\d+)\.csx:line (?<line>\d+)")]
    private static partial Regex CellFrame();

    /// <summary>Where in the notebook the exception came from ("Cell 4, line 2"), and the stack frames worth showing.</summary>
    static (string Where, List<string> Frames) Traceback(Exception ex, int cellNumber)
    {
        var frames = (ex.StackTrace ?? "").Split('\n')
            .Select(l => l.TrimEnd())
            .Where(l => l.Length > 0 && !l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)
                && !l.StartsWith("--- End of stack trace", StringComparison.Ordinal)
                && !l.Contains("System.Runtime.CompilerServices.", StringComparison.Ordinal)
                && !l.Contains(" Companion.Notebooks.", StringComparison.Ordinal))
            .Select(l => CellFrame().Replace(l, m => $"cell {m.Groups["cell"].Value}, line {m.Groups["line"].Value}"))
            .ToList();
        var m = CellFrame().Match(ex.StackTrace ?? "");
        var where = m.Success ? $"Cell {m.Groups["cell"].Value}, line {m.Groups["line"].Value}" : $"Cell {cellNumber}";
        if (m.Success && m.Groups["cell"].Value != cellNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))
            where = $"Cell {cellNumber} (in code defined in {where.ToLowerInvariant()})";
        return (where, frames);
    }

    static string FormatDiagnostic(Diagnostic d)
    {
        var pos = d.Location.GetLineSpan().StartLinePosition;
        return $"({pos.Line + 1},{pos.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    void Show(object? value, string displayId) =>
        current?.Publish(KernelEvent.NewOutput(Outputs.DisplayData(formatter.Format(value)), displayId));

    void UpdateDisplay(object? value, string displayId) =>
        current?.Publish(KernelEvent.Update(displayId, Outputs.DisplayData(formatter.Format(value))));

    /// <summary>Shows a MIME bundle built elsewhere (<c>DisplayAs</c>) as an output of the running cell.</summary>
    internal void ShowBundle(IReadOnlyDictionary<string, string> bundle, string displayId) =>
        current?.Publish(KernelEvent.NewOutput(Outputs.DisplayData(bundle), displayId));

    /// <summary>Replaces a displayed output with a MIME bundle built elsewhere.</summary>
    internal void UpdateBundle(IReadOnlyDictionary<string, string> bundle, string displayId) =>
        current?.Publish(KernelEvent.Update(displayId, Outputs.DisplayData(bundle)));

    /// <summary>Sends the running cell's pending console text now (before the process exits).</summary>
    public void FlushConsole() => current?.Console.Flush();

    /// <summary>The session's formatter (for <c>Display()</c> extension calls).</summary>
    internal ValueFormatter Formatter => formatter;

    /// <inheritdoc />
    public void Dispose() { }

    /// <summary>One executing cell: its console, its event log, and the caller's callbacks, in program order.</summary>
    sealed class RunningCell
    {
        readonly CellEventLog log = new();
        readonly Action<KernelEvent>? onEvent;

        public RunningCell(int cellNumber, CellCallbacks? callbacks)
        {
            onEvent = callbacks?.OnEvent;
            Console = new CellConsole(cellNumber, (stream, text) =>
            {
                log.AppendStream(stream, text);
                onEvent?.Invoke(KernelEvent.NewOutput(Outputs.Stream(stream, text)));
            }, callbacks?.OnInput);
        }

        public CellConsole Console { get; }

        /// <summary>Sends an event after any console text written before it.</summary>
        public void Publish(KernelEvent e)
        {
            Console.AfterPendingText(() =>
            {
                log.Add(e);
                onEvent?.Invoke(e);
            });
        }

        public CellResult Done(Stopwatch clock)
        {
            Console.Flush();
            return new CellResult(log.ToList(), false, null, clock.Elapsed);
        }

        public CellResult Fail(Stopwatch clock, string ename, string evalue, IReadOnlyList<string> traceback)
        {
            Publish(KernelEvent.NewOutput(Outputs.Error(ename, evalue, traceback)));
            return new CellResult(log.ToList(), true, traceback[0], clock.Elapsed);
        }
    }
}

/// <summary>The kernel whose cell runs in the current async flow (for extension methods such as <c>x.Display()</c>).</summary>
internal static class CurrentKernel
{
    static readonly AsyncLocal<ScriptKernel?> Value = new();

    public static ScriptKernel? Kernel => Value.Value;

    public static IDisposable Enter(ScriptKernel kernel)
    {
        var previous = Value.Value;
        Value.Value = kernel;
        return new Scope(previous);
    }

    sealed class Scope(ScriptKernel? previous) : IDisposable
    {
        public void Dispose() => Value.Value = previous;
    }
}

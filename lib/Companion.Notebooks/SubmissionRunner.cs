using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;

namespace Companion.Notebooks;

/// <summary>
/// The running half of a notebook session, without Roslyn (a grading worker loads no compiler): it loads each cell's
/// submission assembly (<see cref="CompiledCell"/>, from a <see cref="SubmissionCompiler"/>) with its PDB and runs it on
/// the session's submission array as Roslyn scripting does (slot 0 the globals, each submission's object at its slot,
/// the script class's static <c>&lt;Factory&gt;(object[])</c> returning the cell's value), resolving the <c>#r</c>
/// assemblies by the paths the compiler used (and their neighbours). A cell that throws keeps what it assigned before
/// the throw. Console output, <c>display</c> calls, the trailing value and errors ("Cell N, line L" tracebacks from the
/// PDB) become nbformat outputs.
/// </summary>
public sealed partial class SubmissionRunner
{
    /// <summary>Submission assemblies by full name and <c>#r</c> assemblies by simple name, for every runner in this
    /// process (names carry a per-session id, so sessions do not collide).</summary>
    static readonly ConcurrentDictionary<string, Assembly> Submissions = new(StringComparer.Ordinal);
    static readonly ConcurrentDictionary<string, string> ReferencePaths = new(StringComparer.OrdinalIgnoreCase);
    static readonly ConcurrentDictionary<string, byte> ReferenceFolders = new(StringComparer.Ordinal);
    static int resolverInstalled;

    readonly ValueFormatter formatter = new(ValueFormatter.ChartOutputFromEnvironment());
    object?[] states = new object?[8];
    int frameCount = 1;
    RunningCell? current;
    /// <summary>The last submission run: the cell it was compiled as and its entry point (a cell re-running it unchanged
    /// runs this again, <see cref="CompiledCell.RerunOf"/>).</summary>
    (int Cell, Func<object?[], Task<object?>> Run)? last;
    /// <summary>Compiled cell number → the cell that last re-ran it, for tracebacks (its code is that cell's now).</summary>
    readonly Dictionary<int, int> rerunAs = [];

    public SubmissionRunner()
    {
        states[0] = new NotebookGlobals(Show, UpdateDisplay);
        if (Interlocked.Exchange(ref resolverInstalled, 1) == 0) AssemblyLoadContext.Default.Resolving += Resolve;
    }

    static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (Submissions.TryGetValue(name.FullName, out var submission)) return submission;
        if (name.Name is not { } simple) return null;
        if (ReferencePaths.TryGetValue(simple, out var path)) return context.LoadFromAssemblyPath(path);
        // A dependency of a #r assembly, next to it (as Roslyn's interactive loader finds them).
        foreach (var folder in ReferenceFolders.Keys)
        {
            var candidate = Path.Combine(folder, simple + ".dll");
            if (File.Exists(candidate)) return context.LoadFromAssemblyPath(candidate);
        }
        return null;
    }

    /// <summary>Runs a compiled cell (or reports the error it compiled with). Every compiled cell must be run, in
    /// order: the next one's code refers to this one's slot. A running cell stops only at <see cref="Interrupt"/>.</summary>
    public async Task<CellResult> ExecuteAsync(CompiledCell compiled, CellCallbacks? callbacks = null)
    {
        var clock = Stopwatch.StartNew();
        var cell = new RunningCell(compiled.Cell, callbacks);
        current = cell;
        using var running = CurrentKernel.Enter(this);
        try
        {
            foreach (var w in compiled.Warnings) cell.Console.Error.Write(w + "\n");
            if (compiled.Error is { } error) return cell.Fail(clock, error.Ename, error.Evalue, error.Traceback);
            foreach (var path in compiled.References)
            {
                ReferencePaths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
                ReferenceFolders.TryAdd(Path.GetDirectoryName(path)!, 0);
            }
            if (compiled.RerunOf is int original)
            {
                if (last is not { } l || l.Cell != original)
                    return cell.Fail(clock, "InvalidOperationException", $"cell {compiled.Cell} re-runs cell {original}, which is not the session's last submission",
                        [$"Cell {compiled.Cell}: InvalidOperationException: it re-runs cell {original}, which is not the session's last submission"]);
                rerunAs[original] = compiled.Cell;
                return await RunAsync(cell, compiled, l.Run, clock);
            }
            if (compiled.Assembly is null) return cell.Done(clock);
            return await RunAsync(cell, compiled, null, clock);
        }
        finally
        {
            cell.Console.Dispose();
        }
    }

    /// <summary>The result of a cell that ends before it runs (a compile error), with no session: the same outputs as
    /// <see cref="ExecuteAsync"/> gives it (directive warnings on stderr, then the error).</summary>
    public static CellResult Report(CompiledCell compiled, CellCallbacks? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(compiled.Error);
        var clock = Stopwatch.StartNew();
        var cell = new RunningCell(compiled.Cell, callbacks);
        try
        {
            foreach (var w in compiled.Warnings) cell.Console.Error.Write(w + "\n");
            return cell.Fail(clock, compiled.Error.Ename, compiled.Error.Evalue, compiled.Error.Traceback);
        }
        finally
        {
            cell.Console.Dispose();
        }
    }

    /// <param name="run">The entry point of the submission being run again, or null to load <paramref name="compiled"/>'s.</param>
    async Task<CellResult> RunAsync(RunningCell cell, CompiledCell compiled, Func<object?[], Task<object?>>? run, Stopwatch clock)
    {
        using var capture = ConsoleRouter.Capture(cell.Console.Out, cell.Console.Error, cell.Console.In);
        try
        {
            if (run is null)
            {
                var assembly = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(compiled.Assembly!),
                    compiled.Pdb is null ? null : new MemoryStream(compiled.Pdb));
                Submissions[assembly.FullName!] = assembly;
                var factory = assembly.GetType(compiled.EntryType ?? "", throwOnError: true)!
                    .GetMethod("<Factory>", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    ?? throw new InvalidOperationException($"{compiled.EntryType} has no <Factory>");
                run = factory.CreateDelegate<Func<object?[], Task<object?>>>();
                last = (compiled.Cell, run);
            }
            // Room for this submission's slot (each submission with code takes the next one), as Roslyn's
            // ScriptExecutionState grows its array.
            if (frameCount >= states.Length) Array.Resize(ref states, Math.Max(frameCount + 1, states.Length * 2));
            object? value = null;
            Exception? thrown = null;
            try
            {
                value = await run(states);
            }
            catch (Exception e)
            {
                // As Roslyn's catchException: the submission's object is in its slot, so what the cell assigned before
                // the throw stays visible to later cells.
                thrown = e;
            }
            finally
            {
                while (frameCount < states.Length && states[frameCount] is not null) frameCount++;
            }
            cell.Console.Flush();
            if (thrown is not null) return RuntimeError(cell, compiled.Cell, thrown, clock);
            if (value is not null || compiled.Trailing)
                cell.Publish(KernelEvent.NewOutput(Outputs.ExecuteResult(formatter.Format(value), 0)));
            return cell.Done(clock);
        }
        catch (Exception e)
        {
            cell.Console.Flush();
            return RuntimeError(cell, compiled.Cell, e, clock);
        }
    }

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

    /// <summary>Withdraws an interrupt before the next cell is run.</summary>
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
        var (where, frames) = Traceback(ex, cellNumber, rerunAs);
        if (interruption is { } stop && IsCancellation(ex))
            return cell.Fail(clock, stop.Ename, stop.Message, [$"{where}: {stop.Ename}: {stop.Message}", .. frames]);
        return cell.Fail(clock, ex.GetType().FullName ?? ex.GetType().Name, ex.Message,
            [$"{where}: {ex.GetType().FullName}: {ex.Message}", .. frames]);
    }

    /// <summary>An exception an interrupted computation ends with (also inside a <c>Parallel.For</c>'s aggregate).</summary>
    static bool IsCancellation(Exception ex) => ex is OperationCanceledException
        || ex is AggregateException a && a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsCancellation);

    [GeneratedRegex(@"cell-(?<cell>\d+)\.csx:line (?<line>\d+)")]
    private static partial Regex CellFrame();

    /// <summary>Where in the notebook the exception came from ("Cell 4, line 2"), and the stack frames worth showing.</summary>
    static (string Where, List<string> Frames) Traceback(Exception ex, int cellNumber, IReadOnlyDictionary<int, int> rerunAs)
    {
        // Code compiled as cell N and re-run unchanged by cell M is cell M's now (the notebook shows In [M]).
        string Cell(string compiledAs) =>
            int.TryParse(compiledAs, System.Globalization.CultureInfo.InvariantCulture, out var n) && rerunAs.TryGetValue(n, out var m)
                ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : compiledAs;
        var frames = (ex.StackTrace ?? "").Split('\n')
            .Select(l => l.TrimEnd())
            .Where(l => l.Length > 0 && !l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)
                && !l.StartsWith("--- End of stack trace", StringComparison.Ordinal)
                && !l.Contains("System.Runtime.CompilerServices.", StringComparison.Ordinal)
                && !l.Contains(" Companion.Notebooks.", StringComparison.Ordinal))
            .Select(l => CellFrame().Replace(l, m => $"cell {Cell(m.Groups["cell"].Value)}, line {m.Groups["line"].Value}"))
            .ToList();
        var m = CellFrame().Match(ex.StackTrace ?? "");
        var where = m.Success ? $"Cell {Cell(m.Groups["cell"].Value)}, line {m.Groups["line"].Value}" : $"Cell {cellNumber}";
        if (m.Success && Cell(m.Groups["cell"].Value) != cellNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))
            where = $"Cell {cellNumber} (in code defined in {where.ToLowerInvariant()})";
        return (where, frames);
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

/// <summary>The session whose cell runs in the current async flow (for extension methods such as <c>x.Display()</c>).</summary>
internal static class CurrentKernel
{
    static readonly AsyncLocal<SubmissionRunner?> Value = new();

    public static SubmissionRunner? Kernel => Value.Value;

    public static IDisposable Enter(SubmissionRunner kernel)
    {
        var previous = Value.Value;
        Value.Value = kernel;
        return new Scope(previous);
    }

    sealed class Scope(SubmissionRunner? previous) : IDisposable
    {
        public void Dispose() => Value.Value = previous;
    }
}

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
    /// <summary>Namespaces imported in every session, as .NET Interactive's C# kernel does.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
        ["System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks", "System.IO"];

    readonly string baseDirectory;
    readonly ValueFormatter formatter = new();
    readonly NotebookGlobals globals;
    ScriptOptions options;
    ScriptState<object?>? state;
    List<KernelEvent> events = [];

    /// <param name="baseDirectory">Folder against which <c>#r "relative.dll"</c> is resolved (the notebook's folder).</param>
    public ScriptKernel(string baseDirectory)
    {
        this.baseDirectory = Path.GetFullPath(baseDirectory);
        globals = new NotebookGlobals(Show, UpdateDisplay);
        options = BaseOptions();
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
    public async Task<CellResult> ExecuteAsync(int cellNumber, string source, TimeSpan timeout)
    {
        events = [];
        var clock = Stopwatch.StartNew();
        var directives = CellDirectives.Process(source, baseDirectory);
        foreach (var w in directives.Warnings) Emit("stderr", w + "\n");
        if (directives.Errors.Count > 0)
        {
            var lines = directives.Errors.Select(e => $"({e.Line},1): error NB0001: {e.Message}").ToList();
            return Fail(clock, "DirectiveError", string.Join("\n", lines),
                [$"Cell {cellNumber}, line {directives.Errors[0].Line}: {lines[0]}", .. lines.Skip(1)]);
        }
        if (directives.AssemblyPaths.Count > 0)
            options = options.AddReferences(directives.AssemblyPaths.Select(p => MetadataReference.CreateFromFile(p)));
        if (string.IsNullOrWhiteSpace(directives.Code))
            return new CellResult(events, false, null, clock.Elapsed);

        var cellOptions = options.WithFilePath(CellFileName(cellNumber));
        var (stdout, stderr) = (new CellWriter(this, "stdout"), new CellWriter(this, "stderr"));
        var capture = ConsoleRouter.Capture(stdout, stderr);
        try
        {
            // A stream (not a string) so Roslyn knows the encoding and can emit debug info: stack traces get cell lines.
            using var code = new MemoryStream(Encoding.UTF8.GetBytes(directives.Code));
            state = state is null
                ? await CSharpScript.Create<object?>(code, cellOptions, typeof(NotebookGlobals)).RunAsync(globals)
                : await state.Script.ContinueWith<object?>(code, cellOptions).RunFromAsync(state);
            stdout.Flush();
            stderr.Flush();
            if (state.ReturnValue is not null || HasNonVoidTrailingExpression(state.Script))
                events.Add(KernelEvent.NewOutput(Outputs.ExecuteResult(formatter.Format(state.ReturnValue), 0)));
            return new CellResult(events, false, null, clock.Elapsed);
        }
        catch (CompilationErrorException e)
        {
            stdout.Flush();
            stderr.Flush();
            var diags = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(FormatDiagnostic).ToList();
            var first = e.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
            int line = first is null ? 1 : first.Location.GetLineSpan().StartLinePosition.Line + 1;
            return Fail(clock, "CompilationError", string.Join("\n", diags),
                [$"Cell {cellNumber}, line {line}: {diags.FirstOrDefault()}", .. diags.Skip(1)]);
        }
        catch (Exception e)
        {
            stdout.Flush();
            stderr.Flush();
            var ex = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            var (where, frames) = Traceback(ex, cellNumber);
            return Fail(clock, ex.GetType().FullName ?? ex.GetType().Name, ex.Message,
                [$"{where}: {ex.GetType().FullName}: {ex.Message}", .. frames]);
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
            capture.Dispose();
        }
    }

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
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    CellResult Fail(Stopwatch clock, string ename, string evalue, IReadOnlyList<string> traceback)
    {
        events.Add(KernelEvent.NewOutput(Outputs.Error(ename, evalue, traceback)));
        return new CellResult(events, true, traceback[0], clock.Elapsed);
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
        events.Add(KernelEvent.NewOutput(Outputs.DisplayData(formatter.Format(value)), displayId));

    void UpdateDisplay(object? value, string displayId) =>
        events.Add(KernelEvent.Update(displayId, Outputs.DisplayData(formatter.Format(value))));

    /// <summary>Appends console text, merging with the previous output when it is the same stream.</summary>
    void Emit(string stream, string text)
    {
        if (text.Length == 0) return;
        if (events.Count > 0 && events[^1] is { Kind: KernelEvent.OutputKind } last
            && last.Output["output_type"]?.GetValue<string>() == "stream" && last.Output["name"]?.GetValue<string>() == stream)
        {
            events[^1] = KernelEvent.NewOutput(Outputs.Stream(stream, Outputs.Text(last.Output["text"]) + text));
            return;
        }
        events.Add(KernelEvent.NewOutput(Outputs.Stream(stream, text)));
    }

    /// <inheritdoc />
    public void Dispose() { }

    /// <summary>A console writer that turns writes into stream outputs of the running cell.</summary>
    sealed class CellWriter(ScriptKernel kernel, string stream) : TextWriter
    {
        readonly StringBuilder pending = new();
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) { lock (pending) pending.Append(value); if (value == '\n') Flush(); }
        public override void Write(string? value) { lock (pending) pending.Append(value); if (value?.Contains('\n') == true) Flush(); }
        public override void Flush()
        {
            string text;
            lock (pending) { text = pending.ToString(); pending.Clear(); }
            lock (kernel.events) kernel.Emit(stream, text);
        }
    }
}

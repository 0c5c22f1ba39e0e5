using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;

namespace Companion.Notebooks;

/// <summary>
/// The compiling half of a notebook session (<see cref="ScriptKernel"/> is this and a <see cref="SubmissionRunner"/>; the
/// grader compiles here and runs in a sandboxed worker that has no Roslyn): each cell's directives are read, its code is
/// given interruption checkpoints (compiled uninstrumented when the rewrite does not compile), and it is compiled as a
/// C# script submission chained on the previous one that compiled, as Roslyn scripting does (globals
/// <see cref="NotebookGlobals"/>, return type object, file <c>cell-N.csx</c>, debug information so stack traces
/// carry cell lines). A cell that does not compile does not join the chain; the <c>#r</c> assemblies of a cell with no
/// code or with errors go with the next submission that compiles; a later submission lists only the references it adds.
/// </summary>
public sealed class SubmissionCompiler
{
    static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    static readonly EmitOptions Emit = new(debugInformationFormat: DebugInformationFormat.PortablePdb);

    static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary, usings: ScriptKernel.DefaultImports, optimizationLevel: OptimizationLevel.Debug,
        checkOverflow: false, allowUnsafe: true, platform: Platform.AnyCpu, warningLevel: 4,
        sourceReferenceResolver: ScriptOptions.Default.SourceResolver, metadataReferenceResolver: ScriptOptions.Default.MetadataResolver,
        assemblyIdentityComparer: DesktopAssemblyIdentityComparer.Default,
        // A cell is one small method: compiling its parts in parallel cost more in hand-offs than it saved (7.1-7.7 ms
        // against 7.2-9.7 ms per new trivial cell, measured in-process) and took the second core from the kernel.
        concurrentBuild: false);

    /// <summary>The references of every session's first submission (the engine, its carried packages, the framework),
    /// read once per process and shared by every compiler (a grader compiles many sessions).</summary>
    static readonly Lazy<IReadOnlyList<MetadataReference>> BaseReferences = new(() =>
    {
        var assemblies = new List<Assembly> { typeof(NotebookGlobals).Assembly };
        assemblies.AddRange(CarriedPackages.Assemblies);
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal)
                || f is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll" or "Microsoft.Win32.Primitives.dll")
                && !f.Contains("Native", StringComparison.Ordinal));
        return [.. assemblies.Select(a => a.Location).Concat(framework).Distinct(StringComparer.Ordinal).Select(Reference)];
    });

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MetadataReference> References = new(StringComparer.Ordinal);

    /// <summary>The references every session's first submission binds (the engine, its carried packages, the framework).</summary>
    public static IReadOnlyList<MetadataReference> SessionReferences => BaseReferences.Value;

    /// <summary>The reference to an assembly file, one object per path in this process, so that its metadata is read
    /// once for every compilation that binds it (the grader's semantic checks use the same).</summary>
    public static MetadataReference Reference(string path) => References.GetOrAdd(path, ReadReference);

    /// <summary>
    /// A reference holding only the file's metadata, read at once (the file is closed: rebuilding a <c>#r</c> assembly
    /// while a session runs cannot pull anything from under the compiler). Roslyn's
    /// <see cref="MetadataReference.CreateFromFile(string, MetadataReferenceProperties, DocumentationProvider?)"/> keeps a
    /// copy of the whole file, native code and resources included: 71 MB for the ~170 framework and engine files every
    /// session binds, against about 13 MB of metadata (measured: the kernel's worker 243 → 197 MB after the first chart).
    /// </summary>
    internal static MetadataReference ReadReference(string path)
    {
        using var file = File.OpenRead(path);
        var module = ModuleMetadata.CreateFromStream(file, System.Reflection.PortableExecutable.PEStreamOptions.PrefetchMetadata);
        return AssemblyMetadata.Create(module).GetReference(filePath: path);
    }

    static int sessions;

    readonly string baseDirectory;
    readonly string assemblyPrefix = $"\u211B*{Guid.NewGuid():N}#{Interlocked.Increment(ref sessions)}";
    /// <summary><c>#r</c> paths not yet part of a compiled submission.</summary>
    readonly List<string> newReferences = [];
    CSharpCompilation? previous;
    int submissions;
    /// <summary>The chain's last submission when a cell with the same source may run it again (see <see cref="Rerunnable"/>).</summary>
    Tail? tail;

    sealed record Tail(string Source, CompiledCell Cell, CSharpCompilation Compilation);

    /// <param name="baseDirectory">Folder against which <c>#r "relative.dll"</c> is resolved (the notebook's folder).</param>
    public SubmissionCompiler(string baseDirectory)
    {
        this.baseDirectory = Path.GetFullPath(baseDirectory);
    }

    /// <summary>Whether cells get interruption checkpoints (<see cref="InterruptionCheckpoints"/>); on by default.</summary>
    public bool Instrument { get; init; } = true;

    /// <summary>Whether a <c>#r</c> file can be loaded where the cells run (by default: it exists); one that cannot is a
    /// directive error, "file not found", as where it runs.</summary>
    public Func<string, bool>? ReferenceVisible { get; init; }

    /// <summary>The last submission that compiled (null before the first): the chain the next cell continues.</summary>
    public CSharpCompilation? Chain => previous;

    /// <summary>Throws <see cref="BadImageFormatException"/> unless <paramref name="path"/> is a .NET assembly, so that a
    /// <c>#r</c> of any other file fails its own cell instead of staying pending and failing every later cell.</summary>
    static void EnsureAssembly(string path)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(path));
        if (!pe.HasMetadata || !System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe).IsAssembly)
            throw new BadImageFormatException(path);
    }

    /// <summary>Compiles cell <paramref name="cellNumber"/> and, when it compiles, makes it part of the chain.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled (the chain is as it was).</exception>
    public CompiledCell Compile(int cellNumber, string source, CancellationToken cancel = default)
    {
        var directives = CellDirectives.Process(source, baseDirectory, ReferenceVisible);
        if (directives.Errors.Count > 0)
        {
            var lines = directives.Errors.Select(e => $"({e.Line},1): error NB0001: {e.Message}").ToList();
            return Failed(cellNumber, directives.Warnings, new CellError("DirectiveError", string.Join("\n", lines),
                [$"Cell {cellNumber}, line {directives.Errors[0].Line}: {lines[0]}", .. lines.Skip(1)]));
        }
        foreach (var path in directives.AssemblyPaths)
        {
            // A file that cannot be opened is the cell's error, never the host's (the grader compiles untrusted cells).
            try
            {
                EnsureAssembly(path);
                Reference(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
            {
                References.TryRemove(path, out _);
                var line = Array.FindIndex(source.Replace("\r\n", "\n").Split('\n'),
                    l => l.TrimStart().StartsWith("#r", StringComparison.Ordinal) && l.Contains(Path.GetFileName(path), StringComparison.Ordinal)) + 1;
                var message = $"({Math.Max(line, 1)},1): error NB0001: #r \"{path}\": " +
                    (e is BadImageFormatException ? "not a .NET assembly" : $"cannot be read ({e.Message})");
                return Failed(cellNumber, directives.Warnings, new CellError("DirectiveError", message,
                    [$"Cell {cellNumber}, line {Math.Max(line, 1)}: {message}"]));
            }
        }
        // The last submission again, unchanged: it runs again as it was compiled (no compile, nothing added to the chain).
        if (tail is { } last && ReferenceEquals(last.Compilation, previous) && last.Source == source
            && directives.AssemblyPaths.Count == 0 && newReferences.Count == 0)
            return last.Cell with { Cell = cellNumber, Warnings = directives.Warnings, Assembly = null, Pdb = null, References = [], RerunOf = last.Cell.Cell };
        newReferences.AddRange(directives.AssemblyPaths);
        if (string.IsNullOrWhiteSpace(directives.Code))
            return new CompiledCell(cellNumber, directives.Warnings, null, null, null, null, [], false);
        var code = directives.Code;
        // The cell runs with interruption checkpoints; when the rewritten code does not compile (e.g. a throw expression
        // in an expression tree) the cell's own code is compiled instead, and its errors are the ones shown.
        var instrumented = Instrument ? InterruptionCheckpoints.Insert(code) : code;
        var result = Build(cellNumber, instrumented, cancel);
        if (result.Errors is not null && !ReferenceEquals(instrumented, code)) result = Build(cellNumber, code, cancel);
        if (result.Errors is { } errors)
        {
            // Sorted by position, as an editor lists them (Roslyn reports them in binding order).
            var sorted = errors.OrderBy(d => d.Location.GetLineSpan().StartLinePosition).ToList();
            var diags = sorted.Select(FormatDiagnostic).ToList();
            var first = sorted.FirstOrDefault();
            int line = first is null ? 1 : first.Location.GetLineSpan().StartLinePosition.Line + 1;
            return Failed(cellNumber, directives.Warnings, new CellError("CompilationError", string.Join("\n", diags),
                [$"Cell {cellNumber}, line {line}: {diags.FirstOrDefault()}", .. diags.Skip(1)]));
        }
        var references = newReferences.ToList();
        newReferences.Clear();
        previous = result.Compilation;
        submissions++;
        var compiled = new CompiledCell(cellNumber, directives.Warnings, null, result.Assembly, result.Pdb, result.EntryType, references,
            HasNonVoidTrailingExpression(result.Compilation!));
        tail = compiled.Assembly is not null && Rerunnable(result.Compilation!) ? new Tail(source, compiled, result.Compilation!) : null;
        return compiled;
    }

    /// <summary>
    /// Whether running a submission's code again gives what compiling the same source again on top of it would give,
    /// so that re-running the last cell unchanged (a student's most frequent action) costs no compile and adds nothing
    /// to the session: true when it declares no types and no static fields, properties or events, whose state a new
    /// compile would start afresh (.NET Interactive's behaviour). Its variables and methods are declared again by the
    /// same source, which hides the earlier ones either way.
    /// </summary>
    static bool Rerunnable(CSharpCompilation submission)
    {
        var script = submission.ScriptClass;
        return script is not null && script.GetTypeMembers().All(t => t.IsImplicitlyDeclared)
            && !script.GetMembers().Any(m => m.IsStatic && m is IFieldSymbol or IPropertySymbol or IEventSymbol);
    }

    static CompiledCell Failed(int cellNumber, IReadOnlyList<string> warnings, CellError error) =>
        new(cellNumber, warnings, error, null, null, null, [], false);

    sealed record Built(CSharpCompilation? Compilation, byte[]? Assembly, byte[]? Pdb, string? EntryType, IReadOnlyList<Diagnostic>? Errors);

    Built Build(int cellNumber, string code, CancellationToken cancel)
    {
        // Text with an encoding, so the PDB can carry it and stack traces get cell lines.
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(code, Encoding.UTF8), ParseOptions, CellFileName(cellNumber), cancellationToken: cancel);
        var parseErrors = tree.GetDiagnostics(cancel).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (parseErrors.Count > 0) return new(null, null, null, null, parseErrors);
        // A later submission lists only the references it adds, as Roslyn's own ContinueWith does: the chain carries
        // the earlier ones, and listing them all again in every submission made compilation N bind N × 170 references.
        var added = newReferences.Select(Reference);
        var references = previous is null ? BaseReferences.Value.Concat(added) : added;
        var typeName = $"Submission#{submissions}";
        var compilation = CSharpCompilation.CreateScriptCompilation($"{assemblyPrefix}-{submissions}", tree, references,
            CompilationOptions.WithScriptClassName(typeName), previous, typeof(object), typeof(NotebookGlobals));
        var entry = compilation.GetEntryPoint(cancel);
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = compilation.Emit(pe, pdb, options: Emit, cancellationToken: cancel);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) return new(null, null, null, null, errors);
        // A submission with nothing to run (only usings) emits nothing, yet joins the chain, as in Roslyn scripting.
        return entry is null || !emitted.Success
            ? new(compilation, null, null, null, null)
            : new(compilation, pe.ToArray(), pdb.ToArray(), entry.ContainingType.MetadataName, null);
    }

    /// <summary>
    /// Whether the cell ends in an expression without a semicolon whose type is not void: then a null value is shown as
    /// <c>&lt;null&gt;</c>, as .NET Interactive does, while a trailing void call shows nothing.
    /// </summary>
    static bool HasNonVoidTrailingExpression(CSharpCompilation compilation)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not CompilationUnitSyntax unit
            || unit.Members.LastOrDefault() is not GlobalStatementSyntax
            {
                Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement,
            })
            return false;
        if (statement.Expression.IsKind(SyntaxKind.NullLiteralExpression)) return true;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    /// <summary>The file name a cell's code is compiled as (stack frames read "cell-4.csx:line 2").</summary>
    public static string CellFileName(int cellNumber) => $"cell-{cellNumber}.csx";

    static string FormatDiagnostic(Diagnostic d)
    {
        var pos = d.Location.GetLineSpan().StartLinePosition;
        return $"({pos.Line + 1},{pos.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}

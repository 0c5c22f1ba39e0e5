using System.Collections.Immutable;
using System.Text;
using System.Xml.Linq;
using Companion.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Tags;
using Microsoft.CodeAnalysis.Text;

namespace Companion.Kernel;

/// <summary>One completion: the text to insert and its kind (Jupyter's <c>_jupyter_types_experimental</c> type).</summary>
public sealed record CompletionMatch(string Text, string Kind);

/// <summary>Completions at a cursor: the matches and the span (UTF-16 offsets) they replace.</summary>
public sealed record CompletionResult(IReadOnlyList<CompletionMatch> Matches, int Start, int End);

/// <summary>What <c>inspect_request</c> shows: the symbol's signature and its XML doc summary.</summary>
public sealed record SymbolDescription(string Signature, string? Summary);

/// <summary>
/// Roslyn editing services over the session: <c>is_complete</c> (Roslyn's complete-submission check), completions and
/// symbol descriptions. The session's cells are replayed here as a chain of script submissions (one Roslyn submission
/// project per cell that ran, each referencing the previous one, as Roslyn's own interactive window does), with the
/// same references and imports as the engine, so a completion after <c>x.</c> knows the type of an <c>x</c> declared
/// in an earlier cell. Only compile-time facts are needed, so this lives in the kernel process: the worker stays lean
/// and a busy worker never delays a completion. <see cref="Reset"/> is called whenever the worker's state is lost.
/// </summary>
public sealed class CodeAssistance : IDisposable
{
    /// <summary>At most this many completions are returned (an empty prefix matches every type in scope).</summary>
    public const int MaxMatches = 1000;

    static readonly SymbolDisplayFormat SignatureFormat = SymbolDisplayFormat.CSharpErrorMessageFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType
            | SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeRef
            | SymbolDisplayMemberOptions.IncludeModifiers)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
            | SymbolDisplayParameterOptions.IncludeParamsRefOut | SymbolDisplayParameterOptions.IncludeDefaultValue
            | SymbolDisplayParameterOptions.IncludeOptionalBrackets);

    static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    readonly string baseDirectory;
    readonly AdhocWorkspace workspace = new();
    readonly List<MetadataReference> references = [];
    readonly HashSet<string> referencedPaths = new(StringComparer.Ordinal);
    readonly CSharpCompilationOptions compilationOptions = new(OutputKind.DynamicallyLinkedLibrary,
        usings: ScriptKernel.DefaultImports, optimizationLevel: OptimizationLevel.Debug);
    readonly Lock gate = new();
    readonly List<(string Source, bool Succeeded)> pending = [];
    Solution solution;
    ProjectId? lastSubmission;
    int submissions;
    /// <summary>How many of <see cref="references"/> the recorded submissions already carry.</summary>
    int referencesInChain;

    /// <param name="baseDirectory">The notebook's folder (for <c>#r "relative.dll"</c>).</param>
    public CodeAssistance(string baseDirectory)
    {
        this.baseDirectory = Path.GetFullPath(baseDirectory);
        solution = workspace.CurrentSolution;
        foreach (var path in EngineReferencePaths()) AddReference(path);
    }

    /// <summary>The assemblies every engine session references (see <see cref="ScriptKernel"/>): the engine, the
    /// packages it carries, and the framework's <c>System.*</c> assemblies.</summary>
    static IEnumerable<string> EngineReferencePaths()
    {
        yield return typeof(NotebookGlobals).Assembly.Location;
        foreach (var a in CarriedPackages.Assemblies) yield return a.Location;
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal)
                || f is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll" or "Microsoft.Win32.Primitives.dll")
                && !f.Contains("Native", StringComparison.Ordinal));
        foreach (var p in framework) yield return p;
    }

    void AddReference(string path)
    {
        if (!referencedPaths.Add(path) || !File.Exists(path)) return;
        references.Add(MetadataReference.CreateFromFile(path, documentation: DocumentationFor(path)));
    }

    /// <summary>The XML docs of an assembly: beside it, or for the runtime's own assemblies in the SDK's reference pack.</summary>
    static XmlDocumentationProvider? DocumentationFor(string dll)
    {
        var beside = Path.ChangeExtension(dll, ".xml");
        if (File.Exists(beside)) return XmlDocumentationProvider.CreateFromFile(beside);
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        if (!dll.StartsWith(runtimeDir, StringComparison.Ordinal)) return null;
        var packs = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
        if (!Directory.Exists(packs)) return null;
        var version = Environment.Version;
        var pack = Directory.EnumerateDirectories(packs)
            .Where(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) && v.Major == version.Major && v.Minor == version.Minor)
            .Order(StringComparer.Ordinal).LastOrDefault();
        // The runtime's core types live in System.Private.CoreLib; their docs ship as System.Runtime.xml.
        var name = Path.GetFileNameWithoutExtension(dll) is "System.Private.CoreLib" ? "System.Runtime" : Path.GetFileNameWithoutExtension(dll);
        var xml = pack is null ? null : Path.Combine(pack, "ref", $"net{version.Major}.{version.Minor}", name + ".xml");
        return xml is not null && File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null;
    }

    /// <summary>Forgets every submission (the worker was restarted and its state is gone).</summary>
    public void Reset()
    {
        lock (gate)
        {
            pending.Clear();
            solution = workspace.CurrentSolution;
            lastSubmission = null;
            referencesInChain = 0;
        }
    }

    /// <summary>Records a cell as the engine ran it: its <c>#r</c> assemblies are referenced from now on and, when
    /// <paramref name="succeeded"/>, its code becomes the next submission (a failed cell leaves no state behind).
    /// The work is deferred to the next completion or inspection (in order), so it never delays a cell's reply.</summary>
    public void Record(string cellSource, bool succeeded)
    {
        lock (gate) pending.Add((cellSource, succeeded));
    }

    /// <summary>Applies the cells recorded since the last completion (called under <see cref="gate"/>).</summary>
    void ApplyPending()
    {
        foreach (var (cellSource, succeeded) in pending)
        {
            var directives = CellDirectives.Process(cellSource, baseDirectory);
            if (directives.Errors.Count > 0) continue;
            foreach (var p in directives.AssemblyPaths) AddReference(p);
            if (!succeeded || string.IsNullOrWhiteSpace(directives.Code)) continue;
            (solution, lastSubmission) = AddSubmission(solution, directives.Code);
            referencesInChain = references.Count;
        }
        pending.Clear();
    }

    (Solution, ProjectId) AddSubmission(Solution s, string code)
    {
        var id = ProjectId.CreateNewId();
        var n = ++submissions;
        var info = ProjectInfo.Create(id, VersionStamp.Create(), $"Submission{n}", $"Submission{n}", LanguageNames.CSharp,
            compilationOptions: compilationOptions, parseOptions: ParseOptions,
            // Only what this submission adds: the chain carries the earlier references (see ScriptKernel's options).
            metadataReferences: lastSubmission is null ? references.ToArray() : references.Skip(referencesInChain).ToArray(),
            projectReferences: lastSubmission is null ? [] : [new ProjectReference(lastSubmission)],
            isSubmission: true, hostObjectType: typeof(NotebookGlobals));
        s = s.AddProject(info).AddDocument(DocumentId.CreateNewId(id), $"cell{n}.csx", SourceText.From(code));
        return (s, id);
    }

    /// <summary>The code being edited as the next submission of the session.</summary>
    Document Draft(string code)
    {
        Solution s;
        lock (gate)
        {
            ApplyPending();
            (s, _) = AddSubmission(solution, code);
        }
        var project = s.Projects.Single(p => p.Name == $"Submission{submissions}");
        return project.Documents.Single();
    }

    /// <summary>Directive lines (<c>#r</c>, <c>#!csharp</c>) blanked, keeping every offset: the text Roslyn sees.</summary>
    string CodeOnly(string source)
    {
        var lines = source.Split('\n');
        var kept = CellDirectives.Process(source, baseDirectory).Code.Split('\n');
        // CellDirectives keeps line numbering but empties directive lines; pad them back so offsets match.
        for (int i = 0; i < lines.Length && i < kept.Length; i++)
            if (kept[i].Length == 0 && lines[i].Length > 0) lines[i] = new string(' ', lines[i].TrimEnd('\r').Length) + (lines[i].EndsWith('\r') ? "\r" : "");
        return string.Join('\n', lines);
    }

    /// <summary>Jupyter's <c>is_complete</c>: "complete", "incomplete" (with the indent for the next line) or "invalid".</summary>
    public (string Status, string Indent) IsComplete(string source)
    {
        var code = CodeOnly(source);
        if (string.IsNullOrWhiteSpace(code)) return ("complete", "");
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            var depth = Math.Max(0, code.Count(c => c == '{') - code.Count(c => c == '}'));
            return ("incomplete", new string(' ', 4 * depth));
        }
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? ("invalid", "") : ("complete", "");
    }

    /// <summary>Completions at <paramref name="position"/> (a UTF-16 offset into <paramref name="source"/>).</summary>
    public async Task<CompletionResult> CompleteAsync(string source, int position, CancellationToken cancel = default)
    {
        position = Math.Clamp(position, 0, source.Length);
        var doc = Draft(CodeOnly(source));
        var service = CompletionService.GetService(doc);
        if (service is null) return new([], position, position);
        var list = await service.GetCompletionsAsync(doc, position, cancellationToken: cancel);
        var span = list.Span;
        var prefix = source[span.Start..Math.Max(span.Start, position)];
        var matches = list.ItemsList
            .Where(i => i.FilterText.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => i.FilterText.StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(i => i.SortText, StringComparer.OrdinalIgnoreCase)
            .Take(MaxMatches)
            .Select(i => new CompletionMatch(i.DisplayText, Kind(i.Tags)))
            .DistinctBy(m => m.Text)
            .ToList();
        return new(matches, span.Start, Math.Max(span.End, position));
    }

    static string Kind(ImmutableArray<string> tags)
    {
        foreach (var t in tags)
            switch (t)
            {
                case WellKnownTags.Method or WellKnownTags.ExtensionMethod: return "function";
                case WellKnownTags.Property: return "property";
                case WellKnownTags.Field or WellKnownTags.Constant or WellKnownTags.EnumMember: return "field";
                case WellKnownTags.Class or WellKnownTags.Structure or WellKnownTags.Interface or WellKnownTags.Enum
                    or WellKnownTags.Delegate or WellKnownTags.TypeParameter: return "class";
                case WellKnownTags.Namespace: return "module";
                case WellKnownTags.Keyword: return "keyword";
                case WellKnownTags.Local or WellKnownTags.Parameter or WellKnownTags.RangeVariable: return "variable";
                case WellKnownTags.Event: return "event";
            }
        return "text";
    }

    /// <summary>The symbol at or just before <paramref name="position"/>: its signature and XML doc summary; null when
    /// there is none.</summary>
    public async Task<SymbolDescription?> DescribeAsync(string source, int position, CancellationToken cancel = default)
    {
        position = Math.Clamp(position, 0, source.Length);
        var doc = Draft(CodeOnly(source));
        var model = await doc.GetSemanticModelAsync(cancel);
        if (model is null) return null;
        ISymbol? symbol = null;
        foreach (var at in new[] { position, position - 1 })
        {
            if (at < 0) continue;
            symbol = await SymbolFinder.FindSymbolAtPositionAsync(model, at, workspace, cancel);
            if (symbol is null)
            {
                var node = (await model.SyntaxTree.GetRootAsync(cancel)).FindToken(at).Parent;
                var info = node is null ? default : model.GetSymbolInfo(node, cancel);
                symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            }
            if (symbol is not null) break;
        }
        symbol ??= EnclosingCall(model, await model.SyntaxTree.GetRootAsync(cancel), position, cancel);
        if (symbol is null) return null;
        var signature = symbol switch
        {
            ILocalSymbol l => $"(local) {l.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)} {l.Name}",
            IFieldSymbol { ContainingType.IsScriptClass: true } f =>
                $"(variable) {f.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)} {f.Name}",
            _ => symbol.ToDisplayString(SignatureFormat),
        };
        return new(signature, Summary(symbol.GetDocumentationCommentXml(cancellationToken: cancel)));
    }

    /// <summary>
    /// The method or constructor whose argument list holds <paramref name="position"/> (Shift-Tab at <c>Foo(a, |)</c>
    /// shows <c>Foo</c>, as ipykernel shows the called function): the innermost call whose parentheses enclose the
    /// cursor. While the arguments are incomplete or do not match, the overload with enough parameters is taken.
    /// </summary>
    static ISymbol? EnclosingCall(SemanticModel model, SyntaxNode root, int position, CancellationToken cancel)
    {
        var token = root.FindToken(Math.Max(0, Math.Min(position, root.FullSpan.End) - 1));
        for (var node = token.Parent; node is not null; node = node.Parent)
        {
            if (node is not Microsoft.CodeAnalysis.CSharp.Syntax.BaseArgumentListSyntax args || node.Parent is null) continue;
            var (open, close) = args switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentListSyntax a => (a.OpenParenToken, a.CloseParenToken),
                Microsoft.CodeAnalysis.CSharp.Syntax.BracketedArgumentListSyntax b => (b.OpenBracketToken, b.CloseBracketToken),
                _ => (default, default),
            };
            if (position <= open.SpanStart || (!close.IsMissing && position > close.SpanStart)) continue;
            var call = node.Parent;
            var info = model.GetSymbolInfo(call, cancel);
            if (info.Symbol is null && info.CandidateSymbols.IsEmpty && call is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax inv)
                info = model.GetSymbolInfo(inv.Expression, cancel);
            if (info.Symbol is not null) return info.Symbol;
            var given = args.Arguments.Count;
            return info.CandidateSymbols.OrderBy(c => c is IMethodSymbol m && m.Parameters.Length >= given ? 0 : 1)
                .ThenBy(c => c is IMethodSymbol m ? m.Parameters.Length : 0).FirstOrDefault();
        }
        return null;
    }

    /// <summary>The text of a documentation comment's <c>&lt;summary&gt;</c>, with <c>cref</c>s as plain names.</summary>
    static string? Summary(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = XElement.Parse(xml).Element("summary");
            if (summary is null) return null;
            var sb = new StringBuilder();
            foreach (var node in summary.DescendantNodes())
                if (node is XText t) sb.Append(t.Value);
                else if (node is XElement { Name.LocalName: "see" or "seealso" or "paramref" or "typeparamref" } e && !e.Nodes().Any())
                    sb.Append((string?)e.Attribute("cref") is { } cref ? cref[(cref.IndexOf(':') + 1)..] : (string?)e.Attribute("name") ?? (string?)e.Attribute("langword"));
            return string.Join(' ', sb.ToString().Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }
        catch (System.Xml.XmlException) { return null; }
    }

    public void Dispose() => workspace.Dispose();
}

using Companion.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Companion.Grader;

/// <summary>One code cell as the grader compiles it: its id, its source, and what it is in the assignment.</summary>
/// <param name="Question">The question of a solution cell, else null.</param>
/// <param name="Test">Whether it is a test cell (its source is the key's).</param>
public sealed record CodeCell(string Id, string Source, string? Question, bool Test);

/// <summary>What the semantic checks found: tests not to run (by test cell id) and questions to zero, with the reasons.</summary>
public sealed record IntegrityReport(IReadOnlyDictionary<string, string> Shadowed, IReadOnlyDictionary<string, List<string>> Forbidden);

/// <summary>
/// Tests that mean what the instructor wrote, decided with Roslyn's semantic model before anything runs. Both notebooks
/// (the solution, and the submission with the key's tests where they will run) are compiled as the engine's chain of
/// script submissions, without running them. Then (1) in every test cell, every name, operator, user-defined
/// conversion and expression type is bound in both: where the solution's binds to the framework or a library and the
/// submission's to the student's own declaration (a shadowing <c>Math</c>, <c>Exception</c>, a fake result type, a
/// <c>dynamic</c> value), or where the solution's binds to a given cell's or a test cell's declaration (a helper, a
/// <c>seed</c>) and the submission's to another cell's, or that given declaration's text was changed or it is assigned
/// in a cell where the solution does not assign it, the test is not run. (2) A question's forbidden APIs
/// (<c>metadata.grader.forbid</c>) referenced from its solution cells, from any cell the student added or from a given
/// cell the student edited, or from any student code those reach through their declarations, zero it.
/// </summary>
public static class Integrity
{
    static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    static readonly CSharpCompilationOptions Options = new(OutputKind.DynamicallyLinkedLibrary,
        usings: ScriptKernel.DefaultImports, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Disable);

    /// <summary>The solution compiles the same for every submission: one chain per key (and folder), shared by all.</summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<CodeCell>,
        System.Collections.Concurrent.ConcurrentDictionary<string, Chain>> SolutionChains = new();

    static MetadataReference Reference(string path) => SubmissionCompiler.Reference(path);

    /// <summary>One notebook compiled as a script chain: each cell's tree and the compilation holding it.</summary>
    sealed class Chain
    {
        public readonly List<(CodeCell Cell, SyntaxTree Tree, CSharpCompilation Compilation)> Cells = [];
        public readonly Dictionary<SyntaxTree, CodeCell> CellOf = [];

        public Chain(IEnumerable<CodeCell> cells, string baseDirectory)
        {
            var refs = new List<MetadataReference>(SubmissionCompiler.SessionReferences);
            CSharpCompilation? previous = null;
            int i = 0;
            foreach (var cell in cells)
            {
                var d = CellDirectives.Process(cell.Source, baseDirectory);
                foreach (var p in d.AssemblyPaths.Where(File.Exists)) refs.Add(Reference(p));
                var tree = CSharpSyntaxTree.ParseText(d.Code, Parse, path: $"cell-{++i}.csx");
                var compilation = CSharpCompilation.CreateScriptCompilation($"c{i}", tree, refs, Options, previous, typeof(object),
                    typeof(NotebookGlobals));
                Cells.Add((cell, tree, compilation));
                CellOf[tree] = cell;
                // As in the engine, a cell that does not compile leaves the session as it was: the next one continues
                // from the last cell that compiled.
                if (!compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)) previous = compilation;
            }
        }

        public SemanticModel Model(SyntaxTree tree) => Cells.First(c => c.Tree == tree).Compilation.GetSemanticModel(tree);
    }

    /// <summary>Checks <paramref name="submission"/> (its cells in run order, tests as the key has them) against the
    /// solution's cells (<paramref name="solution"/>, from the key).</summary>
    public static IntegrityReport Check(IReadOnlyList<CodeCell> solution, IReadOnlyList<CodeCell> submission,
        IReadOnlyList<QuestionKey> questions, string baseDirectory)
    {
        var sol = SolutionChains.GetOrCreateValue(solution).GetOrAdd(Path.GetFullPath(baseDirectory), d => new Chain(solution, d));
        var sub = new Chain(submission, baseDirectory);
        var given = solution.Where(c => c.Question is null && !c.Test).ToDictionary(c => c.Id, c => c.Source);
        var shadowed = new Dictionary<string, string>();
        var solTests = sol.Cells.Where(c => c.Cell.Test).GroupBy(c => c.Cell.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var test in sub.Cells.Where(c => c.Cell.Test))
        {
            if (!solTests.TryGetValue(test.Cell.Id, out var reference)) continue;
            var why = CompareTest(sol, reference.Tree, sub, test.Tree, given);
            if (why is not null) shadowed[test.Cell.Id] = why;
        }
        var forbidden = new Dictionary<string, List<string>>();
        foreach (var q in questions.Where(q => q.Forbid is { Count: > 0 }))
        {
            var roots = sub.Cells.Where(c => !c.Cell.Test && (c.Cell.Question == q.Id
                || (c.Cell.Question is null && (!given.TryGetValue(c.Cell.Id, out var original)
                    || GraderMetadata.Checksum(original) != GraderMetadata.Checksum(c.Cell.Source))))).ToList();
            var found = Forbidden(sub, roots, q.Forbid!, given);
            if (found.Count > 0) forbidden[q.Id] = found;
        }
        return new IntegrityReport(shadowed, forbidden);
    }

    /// <summary>Why the test in <paramref name="subTree"/> does not mean what the same test means in the solution, or null.</summary>
    static string? CompareTest(Chain sol, SyntaxTree solTree, Chain sub, SyntaxTree subTree, IReadOnlyDictionary<string, string> given)
    {
        var a = solTree.GetRoot().DescendantNodes().ToList();
        var b = subTree.GetRoot().DescendantNodes().ToList();
        if (a.Count != b.Count) return null;
        var ma = sol.Model(solTree);
        var mb = sub.Model(subTree);
        var usedGiven = new Dictionary<ISymbol, ISymbol>(SymbolEqualityComparer.Default);
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] is not ExpressionSyntax ea || b[i] is not ExpressionSyntax eb) continue;
            var sa = Symbol(ma, ea);
            var sb = Symbol(mb, eb);
            if (sa is not null && sb is not null)
            {
                var (la, ca) = Where(sol, sa);
                var (lb, cb) = Where(sub, sb);
                if (la && !lb)
                    return $"`{sb.ToDisplayString()}`, which the test uses, binds to your own declaration in cell {CellLabel(cb)} where the " +
                        $"assignment's binds to {sa.ToDisplayString()}: redefining a name a test uses is not allowed";
                if (!la && ca is { Question: null } && ca.Id != cb?.Id)
                    return $"`{sb.Name}`, which the test uses, binds to a declaration in {(lb ? "a library" : $"your cell {CellLabel(cb)}")} where the " +
                        $"assignment's binds to the one in its cell {CellLabel(ca)}: redefining a name a test uses is not allowed";
                if (!la && ca is { Question: null, Test: false } && IsVariable(sa)) usedGiven[sa] = sb;
            }
            var ta = ma.GetTypeInfo(ea).Type;
            var tb = mb.GetTypeInfo(eb).Type;
            if (tb is { TypeKind: TypeKind.Dynamic } && ta is not null && ta.TypeKind != TypeKind.Dynamic)
                return $"a value the test uses is dynamic in your notebook (it is {ta.ToDisplayString()} in the assignment's)";
            if (ta is not null && tb is not null && !HasSourceType(ta) && HasSourceType(tb))
                return $"a value the test uses has your own type {tb.ToDisplayString()} where the assignment's has {ta.ToDisplayString()}";
            var ua = ma.GetConversion(ea);
            var ub = mb.GetConversion(eb);
            if (ub.IsUserDefined && ub.MethodSymbol is { } cm && cm.Locations.Any(l => l.IsInSource) && !(ua.IsUserDefined && ua.MethodSymbol is { } am && am.Locations.Any(l => l.IsInSource)))
                return $"a value the test uses goes through your own conversion {cm.ToDisplayString()}";
        }
        // A given variable the test reads: its declaration must be the given one, and only the cells that assign it in
        // the solution may assign it.
        foreach (var (sa, sb) in usedGiven)
        {
            var (_, cb) = Where(sub, sb);
            if (cb is null || !given.TryGetValue(cb.Id, out _)) continue;
            var declA = Declaration(sa);
            var declB = Declaration(sb);
            if (declA is not null && declB is not null && Normal(declA) != Normal(declB))
                return $"the test uses `{sb.Name}`, given in cell {CellLabel(cb)}, whose declaration you changed (`{Short(declB)}`)";
            var assignsA = Assigners(sol, sa);
            foreach (var cell in Assigners(sub, sb).Where(c => !assignsA.Contains(c)))
                return $"the test uses `{sb.Name}`, given in cell {CellLabel(cb)}, which your cell {cell} assigns";
        }
        return null;
    }

    /// <summary>The ids of the non-test cells that assign <paramref name="variable"/> (=, compound, ++/--, ref/out).</summary>
    static HashSet<string> Assigners(Chain chain, ISymbol variable)
    {
        var found = new HashSet<string>();
        foreach (var (cell, tree, compilation) in chain.Cells.Where(c => !c.Cell.Test))
        {
            if (!tree.GetRoot().DescendantTokens().Any(t => t.ValueText == variable.Name)) continue;
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                ExpressionSyntax? target = node switch
                {
                    AssignmentExpressionSyntax a => a.Left,
                    PrefixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression) => p.Operand,
                    PostfixUnaryExpressionSyntax p => p.Operand,
                    ArgumentSyntax { RefKindKeyword.RawKind: not 0 } arg => arg.Expression,
                    _ => null,
                };
                if (target is not null && SymbolEqualityComparer.Default.Equals(Symbol(model, target)?.OriginalDefinition, variable.OriginalDefinition))
                    found.Add(cell.Id);
            }
        }
        return found;
    }

    /// <summary>Forbidden API references reachable from <paramref name="roots"/> (through declarations in student code).</summary>
    static List<string> Forbidden(Chain chain, IEnumerable<(CodeCell Cell, SyntaxTree Tree, CSharpCompilation Compilation)> roots,
        IReadOnlyList<string> forbid, IReadOnlyDictionary<string, string> given)
    {
        var found = new List<string>();
        var work = new Stack<SyntaxNode>(roots.Select(r => r.Tree.GetRoot()));
        var visited = new HashSet<SyntaxNode>();
        while (work.Count > 0)
        {
            var root = work.Pop();
            if (!visited.Add(root)) continue;
            var model = chain.Model(root.SyntaxTree);
            var cell = chain.CellOf[root.SyntaxTree];
            foreach (var node in root.DescendantNodesAndSelf())
            {
                var s = node is ExpressionSyntax e ? Symbol(model, e) : null;
                if (s is null) continue;
                if (!s.Locations.Any(l => l.IsInSource))
                {
                    if (Matches(s, forbid) is { } entry)
                    {
                        var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                        var what = $"cell {cell.Id} line {line} uses {s.ToDisplayString()}, which this question forbids ({entry})";
                        if (!found.Contains(what)) found.Add(what);
                    }
                    continue;
                }
                foreach (var r in s.DeclaringSyntaxReferences)
                {
                    if (!chain.CellOf.TryGetValue(r.SyntaxTree, out var owner) || owner.Test) continue;
                    if (owner.Question is null && given.TryGetValue(owner.Id, out var original)
                        && GraderMetadata.Checksum(original) == GraderMetadata.Checksum(owner.Source)) continue;
                    var decl = r.GetSyntax();
                    if (decl is VariableDeclaratorSyntax) decl = decl.Parent?.Parent ?? decl;
                    work.Push(decl);
                }
            }
        }
        return found;
    }

    /// <summary>The forbid entry that <paramref name="s"/> falls under (itself, its containing types or namespaces, any overload), or null.</summary>
    static string? Matches(ISymbol s, IReadOnlyList<string> forbid)
    {
        s = Original(s);
        var names = new List<string>();
        if (s is not INamespaceOrTypeSymbol && s.ContainingType is { } t) names.Add(Full(t) + "." + s.Name);
        for (ISymbol? x = s is INamespaceOrTypeSymbol ? s : s.ContainingSymbol; x is not null; x = x.ContainingSymbol)
        {
            if (x is INamespaceSymbol { IsGlobalNamespace: true }) break;
            if (x is INamespaceOrTypeSymbol nt) names.Add(Full(nt));
        }
        return forbid.FirstOrDefault(f => names.Contains(f.Trim()));
    }

    static string Full(INamespaceOrTypeSymbol s) =>
        s is INamedTypeSymbol nt ? (nt.ContainingType is { } outer ? Full(outer) : nt.ContainingNamespace is { IsGlobalNamespace: false } ns ? Full(ns) : "") is var prefix
            && prefix.Length > 0 ? prefix + "." + nt.Name : nt.Name
        : s.ToDisplayString();

    static ISymbol Original(ISymbol s) => s switch
    {
        IMethodSymbol { ReducedFrom: { } r } => r.OriginalDefinition,
        _ => s.OriginalDefinition,
    };

    static ISymbol? Symbol(SemanticModel model, ExpressionSyntax e)
    {
        var info = model.GetSymbolInfo(e);
        var s = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        return s is null ? null : Original(s);
    }

    /// <summary>Whether a symbol comes from metadata (framework, library), and else the cell declaring it.</summary>
    static (bool Library, CodeCell? Cell) Where(Chain chain, ISymbol s)
    {
        var loc = s.Locations.FirstOrDefault(l => l.IsInSource);
        if (loc is null) return (true, null);
        return (false, loc.SourceTree is { } t && chain.CellOf.TryGetValue(t, out var c) ? c : null);
    }

    static bool HasSourceType(ITypeSymbol t) => t switch
    {
        IArrayTypeSymbol a => HasSourceType(a.ElementType),
        IPointerTypeSymbol p => HasSourceType(p.PointedAtType),
        INamedTypeSymbol n => n.Locations.Any(l => l.IsInSource) || n.TypeArguments.Any(HasSourceType),
        _ => false,
    };

    static bool IsVariable(ISymbol s) => s is IFieldSymbol or IPropertySymbol or ILocalSymbol;

    static string? Declaration(ISymbol s) => s.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax().ToString();

    static string Normal(string s) => string.Join(" ", s.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    static string CellLabel(CodeCell? c) => c is null ? "?" : $"\"{c.Id}\"";

    static string Short(string s)
    {
        s = Normal(s);
        return s.Length <= 60 ? s : s[..60] + "…";
    }
}

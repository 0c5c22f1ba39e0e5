using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Companion.Notebooks;

/// <summary>
/// Makes a cell's code interruptible: rewrites its syntax so that every loop body (<c>for</c>, <c>foreach</c>,
/// <c>while</c>, <c>do</c>) and every method, constructor, accessor, local function, anonymous method and block-bodied
/// lambda starts with a checkpoint (<see cref="CheckStatement"/>), and expression-bodied lambdas that compute a value test the flag
/// first. No line break is added or removed, so compile errors and stack traces keep the cell's line numbers.
/// The result must be compiled with the original as fallback: a rewrite that does not compile (an expression tree
/// cannot hold a throw expression) is dropped and the cell runs uninstrumented.
/// </summary>
public static class InterruptionCheckpoints
{
    /// <summary>The checkpoint: a volatile field read inline, a call only once an interrupt was requested.</summary>
    public const string CheckStatement =
        "if (global::Companion.Notebooks.CellInterruption.Requested) global::Companion.Notebooks.CellInterruption.Stop();";

    static readonly CSharpParseOptions ScriptParse =
        CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>The cell's code with checkpoints, or the code itself when it has no loop or function.</summary>
    public static string Insert(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ScriptParse);
        var root = tree.GetRoot();
        var rewritten = new Rewriter().Visit(root);
        return ReferenceEquals(rewritten, root) ? code : rewritten.ToFullString();
    }

    sealed class Rewriter : CSharpSyntaxRewriter
    {
        static StatementSyntax Check() => SyntaxFactory.ParseStatement(CheckStatement);

        /// <summary>A loop body or function body that starts with the check.</summary>
        static BlockSyntax Guard(StatementSyntax body)
        {
            if (body is BlockSyntax block)
                return block.WithStatements(block.Statements.Insert(0, Check()));
            // A single statement becomes a block; its trailing trivia (the line break) moves after the closing brace.
            return SyntaxFactory.Block(
                SyntaxFactory.Token(SyntaxKind.OpenBraceToken),
                SyntaxFactory.List([Check(), body.WithoutTrailingTrivia()]),
                SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(body.GetTrailingTrivia()));
        }

        /// <summary><c>=&gt; e;</c> as <c>{ Check(); return e; }</c> (or <c>{ Check(); e; }</c> when nothing is
        /// returned), keeping the arrow's and semicolon's trivia so no line moves.</summary>
        static BlockSyntax ArrowToBlock(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon, bool returnsValue)
        {
            var expression = arrow.Expression;
            StatementSyntax statement = returnsValue
                ? SyntaxFactory.ReturnStatement(
                    SyntaxFactory.Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(SyntaxFactory.Space), expression,
                    SyntaxFactory.Token(SyntaxKind.SemicolonToken))
                : SyntaxFactory.ExpressionStatement(expression, SyntaxFactory.Token(SyntaxKind.SemicolonToken));
            return SyntaxFactory.Block(
                SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(arrow.ArrowToken.LeadingTrivia)
                    .WithTrailingTrivia(arrow.ArrowToken.TrailingTrivia),
                SyntaxFactory.List([Check(), statement]),
                SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(semicolon.LeadingTrivia)
                    .WithTrailingTrivia(semicolon.TrailingTrivia));
        }

        /// <summary>Whether a method with this return type and these modifiers returns a value from its body.</summary>
        static bool ReturnsValue(TypeSyntax returnType, SyntaxTokenList modifiers)
        {
            if (returnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }) return false;
            if (modifiers.Any(SyntaxKind.AsyncKeyword))
            {
                var name = returnType is QualifiedNameSyntax q ? q.Right : returnType as SimpleNameSyntax;
                return name is GenericNameSyntax; // async Task / ValueTask return nothing, Task<T> returns a T
            }
            return true;
        }

        public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
        {
            var n = (ForStatementSyntax)base.VisitForStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
        {
            var n = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
        {
            var n = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
        {
            var n = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
        {
            var n = (DoStatementSyntax)base.VisitDoStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            var n = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            if (n.Body is { } body) return n.WithBody(Guard(body));
            if (n.ExpressionBody is { } arrow)
                return n.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(ArrowToBlock(arrow, n.SemicolonToken, ReturnsValue(n.ReturnType, n.Modifiers)));
            return n;
        }

        public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
        {
            var n = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
            if (n.Body is { } body) return n.WithBody(Guard(body));
            if (n.ExpressionBody is { } arrow)
                return n.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(ArrowToBlock(arrow, n.SemicolonToken, ReturnsValue(n.ReturnType, n.Modifiers)));
            return n;
        }

        public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
        {
            var n = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
            return n.Body is { } body ? n.WithBody(Guard(body)) : n;
        }

        public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
        {
            var n = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
            return n.Body is { } body ? n.WithBody(Guard(body)) : n;
        }

        public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
        {
            var n = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
            return n.WithBlock(Guard(n.Block));
        }

        public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
        {
            var n = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
            if (n.Block is { } block) return n.WithBlock(Guard(block));
            return n.ExpressionBody is { } e && Computes(e) ? n.WithExpressionBody(Guarded(e)) : n;
        }

        public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
        {
            var n = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
            if (n.Block is { } block) return n.WithBlock(Guard(block));
            return n.ExpressionBody is { } e && Computes(e) ? n.WithExpressionBody(Guarded(e)) : n;
        }

        /// <summary>Expression bodies that surely have a value and a type of their own (not a void call, a literal, a
        /// target-typed <c>new()</c> or <c>default</c>, a lambda or a method group): these are worth a check and can be
        /// wrapped in a conditional without changing their type.</summary>
        static bool Computes(ExpressionSyntax e) => e is BinaryExpressionSyntax or PrefixUnaryExpressionSyntax
            or ElementAccessExpressionSyntax or CastExpressionSyntax or ObjectCreationExpressionSyntax
            or InterpolatedStringExpressionSyntax or ArrayCreationExpressionSyntax or TupleExpressionSyntax
            or AnonymousObjectCreationExpressionSyntax
            || e is ParenthesizedExpressionSyntax { Expression: var inner } && Computes(inner);

        /// <summary><c>e</c> as <c>(CellInterruption.IsRequested ? throw new CellInterruptedException() : e)</c>, on e's line.</summary>
        static ExpressionSyntax Guarded(ExpressionSyntax e)
        {
            var test = SyntaxFactory.ParseExpression("global::Companion.Notebooks.CellInterruption.Requested ");
            var stop = SyntaxFactory.ParseExpression(" throw new global::Companion.Notebooks.CellInterruptedException() ");
            var conditional = SyntaxFactory.ConditionalExpression(test, stop, e.WithoutTrivia());
            return SyntaxFactory.ParenthesizedExpression(conditional).WithTriviaFrom(e);
        }
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KafkaAnalyzers.CodeFixes.Producers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace KafkaAnalyzers.CodeFixes.Consumers;

/// <summary>
/// KAFKA105: <c>Close()</c> in a <c>finally</c> before the disposal. A <c>using</c> declaration or statement
/// gets the rest of its scope wrapped in <c>try { ... } finally { consumer.Close(); }</c> (a trailing
/// <c>consumer.Close();</c> moves into the <c>finally</c>, so the consumer is not closed twice); before a
/// <c>Dispose()</c> call (already where every path that disposes passes) <c>consumer.Close();</c> goes right
/// before it. A field never disposed gets no fix: where it should close is the owner's choice.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CloseBeforeDisposeCodeFixProvider))]
[Shared]
public sealed class CloseBeforeDisposeCodeFixProvider : CodeFixProvider
{
    public const string CloseKey = "KAFKA105.Close";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA105");

    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) =>
            await ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Close the consumer in a finally before disposing it", ct => ApplyAsync(context.Document, new[] { diagnostic }, ct), CloseKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics.Where(d => d.Id == "KAFKA105").OrderByDescending(d => d.Location.SourceSpan.Start))
        {
            if (Plan(root, diagnostic) is { } plan && done.Add(plan.Key))
            {
                plan.Apply(editor);
            }
        }

        return await Formatter.FormatAsync(editor.GetChangedDocument(), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private sealed class FixPlan
    {
        public FixPlan(SyntaxNode key, System.Action<DocumentEditor> apply)
        {
            Key = key;
            Apply = apply;
        }

        public SyntaxNode Key { get; }

        public System.Action<DocumentEditor> Apply { get; }
    }

    private static FixPlan? Plan(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node switch
        {
            VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword } declaration } variables }
                => PlanUsingDeclaration(declaration, variables),
            VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword } declaration } variables
                => PlanUsingDeclaration(declaration, variables),
            VariableDeclarationSyntax { Parent: UsingStatementSyntax statement } variables => PlanUsingStatement(statement, variables),
            VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: UsingStatementSyntax statement } variables } => PlanUsingStatement(statement, variables),
            InvocationExpressionSyntax or ConditionalAccessExpressionSyntax => PlanDisposeCall((ExpressionSyntax)node),
            _ => null,
        };
    }

    // ---- consumer.Dispose(); ------------------------------------------------------------------

    private static FixPlan? PlanDisposeCall(ExpressionSyntax call)
    {
        string close;
        switch (call)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Dispose" } access, ArgumentList.Arguments.Count: 0 }:
                close = $"{access.Expression.WithoutTrivia()}.Close();";
                break;
            case ConditionalAccessExpressionSyntax { WhenNotNull: InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax { Name.Identifier.Text: "Dispose" }, ArgumentList.Arguments.Count: 0 } } access:
                close = $"{access.Expression.WithoutTrivia()}?.Close();";
                break;
            default:
                return null;
        }

        if (StatementSite.Of(call) is not { } site)
        {
            return null;
        }

        return new FixPlan(call, editor => site.Surround(editor, new[] { DeliveryFailureSurfacing.Statement(close) }, System.Array.Empty<StatementSyntax>()));
    }

    // ---- using var consumer = ...; ------------------------------------------------------------

    private static FixPlan? PlanUsingDeclaration(LocalDeclarationStatementSyntax declaration, VariableDeclarationSyntax variables)
    {
        if (declaration.Parent is not BlockSyntax block || variables.Variables.Count != 1)
        {
            return null;
        }

        var index = block.Statements.IndexOf(declaration);
        var rest = block.Statements.Skip(index + 1).ToList();
        if (rest.Count == 0
            || rest.Any(s => s is LocalFunctionStatementSyntax or LabeledStatementSyntax || (s is LocalDeclarationStatementSyntax local && local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword)))
            || block.DescendantNodes().OfType<GotoStatementSyntax>().Any())
        {
            // Local functions, labels and later using declarations would change meaning inside a try block.
            return null;
        }

        var name = variables.Variables[0].Identifier.Text;
        return new FixPlan(declaration, editor => editor.ReplaceNode(block, (current, _) =>
        {
            var currentBlock = (BlockSyntax)current;
            var statements = currentBlock.Statements;
            var at = statements.IndexOf(s => s is LocalDeclarationStatementSyntax l && l.UsingKeyword.IsKind(SyntaxKind.UsingKeyword)
                && l.Declaration.Variables.Count == 1 && l.Declaration.Variables[0].Identifier.Text == name);
            if (at < 0)
            {
                return current;
            }

            var tail = WithoutTrailingClose(statements.Skip(at + 1).ToList(), name);
            return currentBlock.WithStatements(SyntaxFactory.List(statements.Take(at + 1).Append(TryFinally(tail, name))));
        }));
    }

    // ---- using (var consumer = ...) { ... } ---------------------------------------------------

    private static FixPlan? PlanUsingStatement(UsingStatementSyntax statement, VariableDeclarationSyntax variables)
    {
        if (variables.Variables.Count != 1)
        {
            return null;
        }

        var name = variables.Variables[0].Identifier.Text;
        return new FixPlan(statement, editor => editor.ReplaceNode(statement, (current, _) =>
        {
            var @using = (UsingStatementSyntax)current;
            var statements = @using.Statement is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { @using.Statement };
            var body = SyntaxFactory.Block(TryFinally(WithoutTrailingClose(statements, name), name));
            if (@using.Statement is BlockSyntax original)
            {
                body = body.WithOpenBraceToken(original.OpenBraceToken).WithCloseBraceToken(original.CloseBraceToken);
            }

            return @using.WithStatement(body.WithAdditionalAnnotations(Formatter.Annotation));
        }));
    }

    // ---- shared -------------------------------------------------------------------------------

    /// <summary>A last statement <c>name.Close();</c> moves into the finally (Close also disposes: twice would throw).</summary>
    private static List<StatementSyntax> WithoutTrailingClose(List<StatementSyntax> statements, string name)
    {
        if (statements.Count > 0
            && statements[statements.Count - 1] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Close", Expression: IdentifierNameSyntax receiver }, ArgumentList.Arguments.Count: 0 } } last
            && receiver.Identifier.Text == name
            && !last.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia))
            && !last.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
        {
            return statements.Take(statements.Count - 1).ToList();
        }

        return statements;
    }

    private static TryStatementSyntax TryFinally(IEnumerable<StatementSyntax> body, string name)
    {
        var finallyBlock = DeliveryFailureSurfacing.Elastic(SyntaxFactory.ParseStatement("{\n" + name + ".Close();\n}"));
        return SyntaxFactory.TryStatement(
                SyntaxFactory.Block(body),
                default,
                SyntaxFactory.FinallyClause((BlockSyntax)finallyBlock))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }
}

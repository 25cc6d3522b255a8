using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace KafkaAnalyzers.CodeFixes.Producers;

/// <summary>
/// KAFKA007: <c>var remaining = producer.Flush(TimeSpan.FromSeconds(10));</c> before the disposal and a
/// check of <c>remaining</c> after it. Before a <c>Dispose()</c> call the flush goes right before it and the
/// check right after; a <c>using</c> declaration or statement gets the rest of its scope wrapped in
/// <c>try</c>/<c>finally</c> with the flush and the check in the <c>finally</c> (cancellation paths flush
/// too). An ignored <c>Flush(TimeSpan)</c> right before is reused. The count is logged at Error level to an
/// <c>ILogger</c> in scope, or thrown as an <c>InvalidOperationException</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FlushBeforeDisposeCodeFixProvider))]
[Shared]
public sealed class FlushBeforeDisposeCodeFixProvider : CodeFixProvider
{
    public const string FlushKey = "KAFKA007.Flush";

    private const string DefaultTimeout = "TimeSpan.FromSeconds(10)";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA007");

    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) =>
            await ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, model, diagnostic, context.CancellationToken) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Flush before disposing and handle what is left", ct => ApplyAsync(context.Document, new[] { diagnostic }, ct), FlushKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var needsLoggingUsing = false;
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics.Where(d => d.Id == "KAFKA007").OrderByDescending(d => d.Location.SourceSpan.Start))
        {
            if (Plan(root, model, diagnostic, cancellationToken) is { } plan && done.Add(plan.Key))
            {
                plan.Apply(editor);
                needsLoggingUsing |= plan.NeedsLoggingUsing;
            }
        }

        if (needsLoggingUsing && root is CompilationUnitSyntax unit
            && !unit.Usings.Any(u => u.Name?.ToString() == DeliveryFailureSurfacing.LoggingNamespace))
        {
            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(DeliveryFailureSurfacing.LoggingNamespace)).WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(unit, (current, _) => ((CompilationUnitSyntax)current).AddUsings(directive));
        }

        return await Formatter.FormatAsync(editor.GetChangedDocument(), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private sealed class FixPlan
    {
        public FixPlan(SyntaxNode key, System.Action<DocumentEditor> apply, bool needsLoggingUsing)
        {
            Key = key;
            Apply = apply;
            NeedsLoggingUsing = needsLoggingUsing;
        }

        public SyntaxNode Key { get; }

        public System.Action<DocumentEditor> Apply { get; }

        public bool NeedsLoggingUsing { get; }
    }

    private static FixPlan? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node switch
        {
            VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword } declaration } variables
                => PlanUsingDeclaration(model, declaration, variables, cancellationToken),
            VariableDeclarationSyntax { Parent: UsingStatementSyntax statement } variables => PlanUsingStatement(model, statement, variables, cancellationToken),
            InvocationExpressionSyntax or ConditionalAccessExpressionSyntax => PlanDisposeCall(model, (ExpressionSyntax)node, cancellationToken),
            _ => null,
        };
    }

    // ---- Dispose() ----------------------------------------------------------------------------

    private static FixPlan? PlanDisposeCall(SemanticModel model, ExpressionSyntax call, CancellationToken cancellationToken)
    {
        ExpressionSyntax receiver;
        var conditional = false;
        switch (call)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Dispose" } access, ArgumentList.Arguments.Count: 0 }:
                receiver = access.Expression;
                break;
            case ConditionalAccessExpressionSyntax { WhenNotNull: InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax { Name.Identifier.Text: "Dispose" }, ArgumentList.Arguments.Count: 0 } } access:
                receiver = access.Expression;
                conditional = true;
                break;
            default:
                return null;
        }

        if (StatementSite.Of(call) is not { } site)
        {
            return null;
        }

        var position = call.SpanStart;
        var remaining = DeliveryFailureSurfacing.UniqueName(model, position, "remaining");
        var logger = DeliveryFailureSurfacing.FindLogger(model, position);
        var previous = IgnoredFlushBefore(site, receiver);
        var timeout = previous?.Timeout ?? DefaultTimeout;
        var holder = receiver.WithoutTrivia().ToString();
        var flush = conditional
            ? $"var {remaining} = {holder}?.Flush({timeout}) ?? 0;"
            : $"var {remaining} = {holder}.Flush({timeout});";
        var newLine = DeliveryFailureSurfacing.NewLine(call.SyntaxTree.GetRoot(cancellationToken));
        var check = DeliveryFailureSurfacing.Statement(Check(model, position, remaining, logger));
        return new FixPlan(call, editor =>
        {
            if (previous is not null)
            {
                editor.ReplaceNode(previous.Statement, DeliveryFailureSurfacing.Statement(flush).WithTriviaFrom(previous.Statement));
                site.Surround(editor, System.Array.Empty<StatementSyntax>(), new[] { WithBlankLineBefore(check, newLine) });
            }
            else
            {
                site.Surround(editor, new[] { DeliveryFailureSurfacing.Statement(flush) }, new[] { WithBlankLineBefore(check, newLine) });
            }
        }, logger is not null && !DeliveryFailureSurfacing.LogErrorInScope(model, position));
    }

    // ---- using var producer = ...; ------------------------------------------------------------

    private static FixPlan? PlanUsingDeclaration(SemanticModel model, LocalDeclarationStatementSyntax declaration, VariableDeclarationSyntax variables, CancellationToken cancellationToken)
    {
        if (declaration.Parent is not BlockSyntax block || variables.Variables.Count != 1)
        {
            return null;
        }

        var index = block.Statements.IndexOf(declaration);
        var rest = block.Statements.Skip(index + 1).ToList();
        if (rest.Any(s => s is LocalFunctionStatementSyntax || (s is LocalDeclarationStatementSyntax local && local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword)))
            || ReferencedAfter(block, rest, model, cancellationToken))
        {
            // Local functions and later using declarations would change meaning inside a try block.
            return null;
        }

        var name = variables.Variables[0].Identifier.Text;
        var position = declaration.Span.End;
        var remaining = DeliveryFailureSurfacing.UniqueName(model, position, "remaining");
        var logger = DeliveryFailureSurfacing.FindLogger(model, position);
        var timeout = DefaultTimeout;
        var trailing = rest.Count > 0 && IsIgnoredFlush(rest[rest.Count - 1], name, out timeout) ? rest[rest.Count - 1] : null;
        var body = trailing is null ? rest : rest.Take(rest.Count - 1).ToList();
        var finallyText = $$"""
            var {{remaining}} = {{name}}.Flush({{(trailing is null ? DefaultTimeout : timeout)}});
            {{Check(model, position, remaining, logger)}}
            """;
        return new FixPlan(declaration, editor => editor.ReplaceNode(block, (current, _) =>
        {
            var currentBlock = (BlockSyntax)current;
            var statements = currentBlock.Statements;
            var at = statements.IndexOf(s => s is LocalDeclarationStatementSyntax l && l.Declaration.Variables.Count == 1 && l.Declaration.Variables[0].Identifier.Text == name && l.UsingKeyword.IsKind(SyntaxKind.UsingKeyword));
            if (at < 0)
            {
                return current;
            }

            var tail = statements.Skip(at + 1).ToList();
            if (trailing is not null && tail.Count > 0)
            {
                tail.RemoveAt(tail.Count - 1);
            }

            var @try = TryFinally(tail, finallyText);
            return currentBlock.WithStatements(SyntaxFactory.List(statements.Take(at + 1).Append(@try)));
        }), logger is not null && !DeliveryFailureSurfacing.LogErrorInScope(model, position));
    }

    // ---- using (var producer = ...) { ... } ---------------------------------------------------

    private static FixPlan? PlanUsingStatement(SemanticModel model, UsingStatementSyntax statement, VariableDeclarationSyntax variables, CancellationToken cancellationToken)
    {
        if (variables.Variables.Count != 1)
        {
            return null;
        }

        var name = variables.Variables[0].Identifier.Text;
        var position = statement.Statement.SpanStart;
        var remaining = DeliveryFailureSurfacing.UniqueName(model, position, "remaining");
        var logger = DeliveryFailureSurfacing.FindLogger(model, position);
        var inner = statement.Statement is BlockSyntax b ? b.Statements.ToList() : new List<StatementSyntax> { statement.Statement };
        var timeout = DefaultTimeout;
        var trailing = inner.Count > 0 && IsIgnoredFlush(inner[inner.Count - 1], name, out timeout) ? inner[inner.Count - 1] : null;
        var finallyText = $$"""
            var {{remaining}} = {{name}}.Flush({{(trailing is null ? DefaultTimeout : timeout)}});
            {{Check(model, position, remaining, logger)}}
            """;
        return new FixPlan(statement, editor => editor.ReplaceNode(statement, (current, _) =>
        {
            var @using = (UsingStatementSyntax)current;
            var statements = @using.Statement is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { @using.Statement };
            if (trailing is not null && statements.Count > 0)
            {
                statements.RemoveAt(statements.Count - 1);
            }

            return @using.WithStatement(SyntaxFactory.Block(TryFinally(statements, finallyText)).WithAdditionalAnnotations(Formatter.Annotation));
        }), logger is not null && !DeliveryFailureSurfacing.LogErrorInScope(model, position));
    }

    // ---- shared -------------------------------------------------------------------------------

    private static TryStatementSyntax TryFinally(IEnumerable<StatementSyntax> body, string finallyText)
    {
        var finallyBlock = DeliveryFailureSurfacing.Elastic(SyntaxFactory.ParseStatement("{\n" + finallyText + "\n}"));
        return SyntaxFactory.TryStatement(
                SyntaxFactory.Block(body),
                default,
                SyntaxFactory.FinallyClause((BlockSyntax)finallyBlock))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static string Check(SemanticModel model, int position, string remaining, string? logger)
    {
        if (logger is not null)
        {
            return $$"""
                if ({{remaining}} > 0)
                {
                    {{logger}}.LogError("{Count} Kafka messages were not delivered before the producer was disposed", {{remaining}});
                }
                """;
        }

        var invalid = DeliveryFailureSurfacing.TypeName(model, position, "System.InvalidOperationException");
        return $$"""
            if ({{remaining}} > 0)
            {
                throw new {{invalid}}($"{{{remaining}}} Kafka messages were not delivered before the producer was disposed");
            }
            """;
    }

    private static StatementSyntax WithBlankLineBefore(StatementSyntax statement, string newLine)
        => statement.WithLeadingTrivia(statement.GetLeadingTrivia().Insert(0, SyntaxFactory.EndOfLine(newLine)));

    private sealed record PreviousFlush(StatementSyntax Statement, string Timeout);

    /// <summary>An ignored <c>receiver.Flush(timeout);</c> statement right before the disposal.</summary>
    private static PreviousFlush? IgnoredFlushBefore(StatementSite site, ExpressionSyntax receiver)
    {
        if (site.Statement is not { Parent: BlockSyntax block } statement)
        {
            return null;
        }

        var index = block.Statements.IndexOf(statement);
        if (index == 0)
        {
            return null;
        }

        var previous = block.Statements[index - 1];
        return IsIgnoredFlush(previous, receiver.WithoutTrivia().ToString(), out var timeout) ? new PreviousFlush(previous, timeout) : null;
    }

    private static bool IsIgnoredFlush(StatementSyntax statement, string receiver, out string timeout)
    {
        timeout = string.Empty;
        var expression = statement is ExpressionStatementSyntax e ? e.Expression : null;
        if (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.Text: "_" } } discard)
        {
            expression = discard.Right;
        }

        if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Flush" } access, ArgumentList.Arguments.Count: 1 } flush
            && access.Expression.WithoutTrivia().ToString() == receiver
            && flush.ArgumentList.Arguments[0].NameColon is null
            && !flush.ArgumentList.Arguments[0].Expression.ToString().Contains("Token"))
        {
            timeout = flush.ArgumentList.Arguments[0].Expression.WithoutTrivia().ToString();
            return true;
        }

        return false;
    }

    /// <summary>A local declared in <paramref name="rest"/> is used after the block would end (it cannot be, but goto/labels could): stay safe.</summary>
    private static bool ReferencedAfter(BlockSyntax block, List<StatementSyntax> rest, SemanticModel model, CancellationToken cancellationToken)
        => rest.Any(s => s is LabeledStatementSyntax) || block.DescendantNodes().OfType<GotoStatementSyntax>().Any();
}

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
using Microsoft.CodeAnalysis.Simplification;
using HostingFix = KafkaAnalyzers.Consumers.ConsumerHostingAnalyzer.HostingFix;

namespace KafkaAnalyzers.CodeFixes.Consumers;

/// <summary>
/// KAFKA114: inserts <c>await Task.Yield();</c> as the first statement of <c>ExecuteAsync</c>, so the rest of
/// it (the consume loop) runs on the thread pool and the host's start-up goes on. The analyzer offers it
/// only for an async <c>ExecuteAsync</c> with a block body; <c>StartAsync</c> gets no fix (its page shows
/// moving the loop to a BackgroundService).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConsumerHostingCodeFixProvider))]
[Shared]
public sealed class ConsumerHostingCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "KAFKA114.YieldFirst";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA114");

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
            if (MethodOf(diagnostic, root) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Yield first: await Task.Yield() at the start of ExecuteAsync",
                        cancellationToken => ApplyAsync(context.Document, new[] { diagnostic }, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static MethodDeclarationSyntax? MethodOf(Diagnostic diagnostic, SyntaxNode root)
        => diagnostic.Properties.TryGetValue(HostingFix.Kind, out var kind) && kind == HostingFix.Yield
           && root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is MethodDeclarationSyntax { Body: not null } method
           && method.Identifier.Span == diagnostic.Location.SourceSpan
            ? method
            : null;

    private static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<MethodDeclarationSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (MethodOf(diagnostic, root) is not { } method || !done.Add(method))
            {
                continue;
            }

            var task = SyntaxFactory.ParseTypeName("System.Threading.Tasks.Task").WithAdditionalAnnotations(Simplifier.Annotation);
            var yield = SyntaxFactory.ExpressionStatement(
                    SyntaxFactory.AwaitExpression(
                        SyntaxFactory.InvocationExpression(
                            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, SyntaxFactory.IdentifierName("Yield")))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            var body = method.Body!;
            editor.ReplaceNode(body, body.WithStatements(body.Statements.Insert(0, yield)));
        }

        var changed = editor.GetChangedDocument();
        changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

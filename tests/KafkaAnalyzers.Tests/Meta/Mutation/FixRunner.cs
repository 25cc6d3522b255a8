using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaAnalyzers.Tests.Meta.Mutation;

/// <summary>
/// Runs every registered code fix on every diagnostic of a solution, as the IDE's light bulb and Fix
/// All would: a fix may decline, but it must not throw, must not turn a document that parsed into
/// one that does not, and must keep every comment.
/// </summary>
internal sealed class FixRunner
{
    private readonly ImmutableArray<CodeFixProvider> _fixes;
    private readonly HarnessTally _tally;
    private readonly bool _checkCompilerErrors;

    /// <param name="checkCompilerErrors">Also require that a changed document has no compiler error it did not have before (real code).</param>
    public FixRunner(ImmutableArray<CodeFixProvider> fixes, HarnessTally tally, bool checkCompilerErrors = false)
    {
        _fixes = fixes;
        _tally = tally;
        _checkCompilerErrors = checkCompilerErrors;
    }

    /// <summary>An action a fixer registered for one diagnostic.</summary>
    public sealed record RegisteredFix(CodeFixProvider Provider, Diagnostic Diagnostic, Document Document, CodeAction Action);

    /// <summary>
    /// Registers the fixes of every diagnostic, applies each action, and runs Fix All at document scope
    /// for each (fixer, equivalence key) a document offered. Returns what was registered.
    /// </summary>
    public async Task<IReadOnlyList<RegisteredFix>> RunAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, Variant? variant, CancellationToken cancellationToken)
    {
        var registered = await RegisterAllAsync(solution, diagnostics, variant, cancellationToken);
        foreach (var fix in registered)
        {
            await ApplyAsync(solution, fix.Action, fix.Diagnostic.Id, $"'{fix.Action.Title}' ({fix.Action.EquivalenceKey})", variant, cancellationToken);
        }

        // Fix All over one diagnostic is that diagnostic's fix, applied above.
        foreach (var group in registered.GroupBy(f => (f.Provider, f.Document.Id, f.Action.EquivalenceKey)).Where(g => g.Count() > 1))
        {
            var first = group.First();
            var context = FixAllFor(first, FixAllScope.Document, diagnostics, cancellationToken);
            await FixAllAsync(solution, context, first.Diagnostic.Id, variant, cancellationToken);
        }

        return registered;
    }

    public async Task<List<RegisteredFix>> RegisterAllAsync(Solution solution, IEnumerable<Diagnostic> diagnostics, Variant? variant, CancellationToken cancellationToken)
    {
        var registered = new List<RegisteredFix>();
        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Location.IsInSource || solution.GetDocument(diagnostic.Location.SourceTree) is not { } document)
            {
                continue;
            }

            foreach (var provider in _fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                try
                {
                    await provider.RegisterCodeFixesAsync(context);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _tally.Threw("fixer exception", $"{provider.GetType().Name}.RegisterCodeFixesAsync on {diagnostic.Id}", exception, variant);
                    continue;
                }

                foreach (var action in actions.SelectMany(Flatten))
                {
                    registered.Add(new RegisteredFix(provider, diagnostic, document, action));
                }
            }
        }

        return registered;
    }

    private static IEnumerable<CodeAction> Flatten(CodeAction action)
        => action.NestedActions.IsDefaultOrEmpty ? new[] { action } : action.NestedActions.SelectMany(Flatten);

    /// <summary>Applies one action; returns the changed solution, or null when it threw or changed nothing.</summary>
    public async Task<Solution?> ApplyAsync(Solution solution, CodeAction action, string id, string what, Variant? variant, CancellationToken cancellationToken)
    {
        ImmutableArray<CodeActionOperation> operations;
        try
        {
            operations = await action.GetOperationsAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _tally.Threw("fixer exception", $"{what} on {id}", exception, variant);
            return null;
        }

        _tally.Fixed(id);
        var changed = operations.OfType<ApplyChangesOperation>().LastOrDefault()?.ChangedSolution;
        if (changed is null)
        {
            return null;
        }

        await CheckChangedDocumentsAsync(solution, changed, id, what, variant, cancellationToken);
        return changed;
    }

    public FixAllContext FixAllFor(RegisteredFix fix, FixAllScope scope, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var provider = new KnownDiagnostics(diagnostics);
        var ids = new[] { fix.Diagnostic.Id };
        return scope == FixAllScope.Document
            ? new FixAllContext(fix.Document, fix.Provider, scope, fix.Action.EquivalenceKey, ids, provider, cancellationToken)
            : new FixAllContext(fix.Document.Project, fix.Provider, scope, fix.Action.EquivalenceKey, ids, provider, cancellationToken);
    }

    /// <summary>Runs Fix All for one context; returns the changed solution, or null when it threw or offered nothing.</summary>
    public async Task<Solution?> FixAllAsync(Solution solution, FixAllContext context, string id, Variant? variant, CancellationToken cancellationToken)
    {
        var what = $"Fix All ({context.Scope}) {context.CodeActionEquivalenceKey}";
        CodeAction? action;
        try
        {
            action = context.CodeFixProvider.GetFixAllProvider() is { } fixAll ? await fixAll.GetFixAsync(context) : null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _tally.Threw("fixer exception", $"{what} on {id}", exception, variant);
            return null;
        }

        return action is null ? null : await ApplyAsync(solution, action, id, what, variant, cancellationToken);
    }

    private async Task CheckChangedDocumentsAsync(Solution before, Solution after, string id, string what, Variant? variant, CancellationToken cancellationToken)
    {
        foreach (var project in after.GetChanges(before).GetProjectChanges())
        {
            foreach (var documentId in project.GetChangedDocuments())
            {
                var oldTree = await before.GetDocument(documentId)!.GetSyntaxTreeAsync(cancellationToken);
                var newTree = await after.GetDocument(documentId)!.GetSyntaxTreeAsync(cancellationToken);
                if (oldTree is null || newTree is null || HasSyntaxErrors(oldTree))
                {
                    continue;
                }

                if (HasSyntaxErrors(newTree))
                {
                    var errors = newTree.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Take(3);
                    _tally.Failed("unparsable fix", $"{what} on {id}", $"{string.Join("\n", errors)}\n--- fixed document:\n{await newTree.GetTextAsync(cancellationToken)}", variant);
                }

                var lost = Comments(await oldTree.GetRootAsync(cancellationToken)).ToList();
                foreach (var kept in Comments(await newTree.GetRootAsync(cancellationToken)))
                {
                    lost.Remove(kept);
                }

                if (lost.Count > 0)
                {
                    _tally.Failed("comment lost", $"{what} on {id}", $"lost: {string.Join(" | ", lost)}\n--- fixed document:\n{await newTree.GetTextAsync(cancellationToken)}", variant);
                }

                if (_checkCompilerErrors)
                {
                    var added = (await Errors(after.GetDocument(documentId)!, cancellationToken)).ToList();
                    foreach (var existing in await Errors(before.GetDocument(documentId)!, cancellationToken))
                    {
                        added.Remove(existing);
                    }

                    if (added.Count > 0)
                    {
                        _tally.Failed("new compiler error", $"{what} on {id}", $"{newTree.FilePath}: {string.Join("\n", added)}\n--- fixed document:\n{await newTree.GetTextAsync(cancellationToken)}", variant);
                    }
                }
            }
        }
    }

    /// <summary>The compiler errors of a document, without positions (a fix moves code).</summary>
    private static async Task<IEnumerable<string>> Errors(Document document, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken);
        return model!.GetDiagnostics(cancellationToken: cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    public static bool HasSyntaxErrors(SyntaxTree tree) => tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The text of every comment (documentation comments included), trimmed.</summary>
    public static IEnumerable<string> Comments(SyntaxNode root)
        => root.DescendantTrivia(descendIntoTrivia: false)
            .Where(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SingleLineCommentTrivia)
                        || t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.MultiLineCommentTrivia)
                        || t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SingleLineDocumentationCommentTrivia)
                        || t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.MultiLineDocumentationCommentTrivia))
            .Select(t => t.ToFullString().Trim());

    /// <summary>The diagnostics the analyzers reported, handed to Fix All as the IDE's diagnostic service would.</summary>
    private sealed class KnownDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public KnownDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return _diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var trees = new HashSet<SyntaxTree>();
            foreach (var document in project.Documents)
            {
                if (await document.GetSyntaxTreeAsync(cancellationToken) is { } tree)
                {
                    trees.Add(tree);
                }
            }

            return _diagnostics.Where(d => d.Location.SourceTree is { } tree && trees.Contains(tree));
        }
    }
}

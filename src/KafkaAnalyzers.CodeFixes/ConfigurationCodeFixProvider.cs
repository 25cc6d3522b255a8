using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaAnalyzers.CodeFixes;

/// <summary>
/// Base of the configuration fixes: each diagnostic carries the edit (<see cref="FixProperties"/>);
/// the title and equivalence key come from the rule and the kind of edit, and Fix All runs the same
/// edits over each document at once.
/// </summary>
public abstract class ConfigurationCodeFixProvider : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) =>
            await ConfigurationEdits.ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!ConfigurationEdits.CanFix(diagnostic, root))
            {
                continue;
            }

            var action = diagnostic.Properties[FixProperties.Action]!;
            context.RegisterCodeFix(
                CodeAction.Create(
                    Title(diagnostic, action),
                    cancellationToken => ConfigurationEdits.ApplyAsync(context.Document, new[] { diagnostic }, cancellationToken),
                    EquivalenceKey(diagnostic.Id, action)),
                diagnostic);
        }
    }

    /// <summary>One key per rule and kind of edit, so Fix All applies like edits together.</summary>
    public static string EquivalenceKey(string id, string action) => id + "." + action;

    protected abstract string Title(string diagnosticId, string action);

    /// <summary>The title of one fix; override when it names a value the diagnostic carries.</summary>
    protected virtual string Title(Diagnostic diagnostic, string action) => Title(diagnostic.Id, action);
}

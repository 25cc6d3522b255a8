using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace KafkaAnalyzers.CodeFixes;

/// <summary>
/// Applies the configuration edits the analyzers describe through <see cref="FixProperties"/>:
/// replace a written value, replace a string key, remove a write, or add a setting to a
/// configuration's creation. The same
/// path serves one fix and Fix All, so both give the same result.
/// </summary>
internal static class ConfigurationEdits
{
    public static bool CanFix(Diagnostic diagnostic, SyntaxNode root)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return diagnostic.Properties.TryGetValue(FixProperties.Action, out var action) && action switch
        {
            FixProperties.ActionReplaceValue => ReplaceTarget(diagnostic, root, node) is { } write && ValueOf(write) is not null,
            FixProperties.ActionRemoveWrite => WriteRemoval.RemovableNode(node) is not null,
            FixProperties.ActionAddSetting => CreationOf(AddSettingTarget(diagnostic, root, node)) is not null,
            FixProperties.ActionReplaceKey => KeyLiteralOf(node) is not null && diagnostic.Properties.TryGetValue(FixProperties.Key, out var key) && !string.IsNullOrEmpty(key),
            _ => false,
        };
    }

    /// <summary>The write a value replacement edits: the diagnostic location, or additional location 0 when the diagnostic says so.</summary>
    private static SyntaxNode? ReplaceTarget(Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        if (!diagnostic.Properties.ContainsKey(FixProperties.WriteAtAdditionalLocation))
        {
            return node;
        }

        return diagnostic.AdditionalLocations.Count > 0 && diagnostic.AdditionalLocations[0].SourceTree == root.SyntaxTree
            ? root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true)
            : null;
    }

    /// <summary>The node holding the configuration creation: the diagnostic location, or additional location 0 when the diagnostic says so.</summary>
    private static SyntaxNode? AddSettingTarget(Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        if (!diagnostic.Properties.ContainsKey(FixProperties.CreationAtAdditionalLocation))
        {
            return node;
        }

        return diagnostic.AdditionalLocations.Count > 0 && diagnostic.AdditionalLocations[0].SourceTree == root.SyntaxTree
            ? root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true)
            : null;
    }

    public static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        AddEdits(editor, root, model, diagnostics, cancellationToken);
        return await FinishAsync(editor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Simplifies and formats what the edits annotated, and returns the changed document.</summary>
    public static async Task<Document> FinishAsync(DocumentEditor editor, CancellationToken cancellationToken)
    {
        var changed = editor.GetChangedDocument();
        changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the configuration edits of <paramref name="diagnostics"/> to <paramref name="editor"/>, so a fix
    /// that also edits code (a consumer rule's fix) makes both changes in one edit of the document.
    /// </summary>
    public static void AddEdits(DocumentEditor editor, SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var replaced = new HashSet<SyntaxNode>();
        var added = new HashSet<(SyntaxNode Creation, string? Key)>();
        foreach (var diagnostic in diagnostics.OrderByDescending(d => d.Location.SourceSpan.Start))
        {
            if (!CanFix(diagnostic, root))
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var properties = diagnostic.Properties;
            switch (properties[FixProperties.Action])
            {
                case FixProperties.ActionReplaceValue:
                    ReplaceValue(editor, ReplaceTarget(diagnostic, root, node)!, properties[FixProperties.TypedValue]!, properties[FixProperties.StringValue]!, replaced);
                    break;
                case FixProperties.ActionRemoveWrite:
                    var (parent, without) = WriteRemoval.Plan(WriteRemoval.RemovableNode(node)!);
                    editor.ReplaceNode(parent, (current, _) => without(current));
                    break;
                case FixProperties.ActionAddSetting:
                    // Several diagnostics (Fix All, or one configuration behind several calls) may add the same setting once.
                    var creation = CreationOf(AddSettingTarget(diagnostic, root, node))!;
                    if (added.Add((creation, properties.TryGetValue(FixProperties.Key, out var addedKey) ? addedKey : null)))
                    {
                        AddSetting(editor, model, creation, properties, cancellationToken);
                    }

                    break;
                case FixProperties.ActionReplaceKey:
                    ReplaceKey(editor, KeyLiteralOf(node)!, properties[FixProperties.Key]!, replaced);
                    break;
            }

            if (properties.TryGetValue(FixProperties.SecondTypedValue, out var secondTyped) && secondTyped is not null
                && diagnostic.AdditionalLocations.Count > 0)
            {
                var second = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
                ReplaceValue(editor, second, secondTyped, properties[FixProperties.SecondStringValue]!, replaced);
            }
        }
    }

    // ---- replace a value ------------------------------------------------------------------------

    private static void ReplaceValue(DocumentEditor editor, SyntaxNode write, string typed, string text, HashSet<SyntaxNode> replaced)
    {
        var value = ValueOf(write);
        if (value is null || !replaced.Add(value))
        {
            return;
        }

        var isStringKey = !(write is AssignmentExpressionSyntax { Left: not (ImplicitElementAccessSyntax or ElementAccessExpressionSyntax) });
        ExpressionSyntax replacement = isStringKey
            ? SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(text))
            : SyntaxFactory.ParseExpression(typed).WithAdditionalAnnotations(Simplifier.Annotation);
        editor.ReplaceNode(value, (current, _) => replacement.WithTriviaFrom(current));
    }

    /// <summary>The value expression of a write: the right of an assignment, the value argument of Set/Add/a pair, the second element of <c>{ "k", "v" }</c>.</summary>
    private static ExpressionSyntax? ValueOf(SyntaxNode write)
        => write switch
        {
            AssignmentExpressionSyntax assignment => assignment.Right,
            InvocationExpressionSyntax { ArgumentList.Arguments.Count: 2 } invocation => invocation.ArgumentList.Arguments[1].Expression,
            BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 2 } creation => creation.ArgumentList.Arguments[1].Expression,
            InitializerExpressionSyntax { RawKind: (int)SyntaxKind.ComplexElementInitializerExpression, Expressions.Count: 2 } element => element.Expressions[1],
            ArgumentSyntax argument => ValueOf(argument.Expression),
            _ => null,
        };

    // ---- replace a key --------------------------------------------------------------------------

    /// <summary>The string literal a key diagnostic points at (the key of Set, an entry or a pair).</summary>
    private static LiteralExpressionSyntax? KeyLiteralOf(SyntaxNode node)
        => (node is ArgumentSyntax argument ? argument.Expression : node) is LiteralExpressionSyntax literal
           && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? literal
            : null;

    private static void ReplaceKey(DocumentEditor editor, LiteralExpressionSyntax key, string newKey, HashSet<SyntaxNode> replaced)
    {
        if (!replaced.Add(key))
        {
            return;
        }

        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(newKey));
        editor.ReplaceNode(key, (current, _) => replacement.WithTriviaFrom(current));
    }

    // ---- add a setting --------------------------------------------------------------------------

    private static BaseObjectCreationExpressionSyntax? CreationOf(SyntaxNode? node)
        => node as BaseObjectCreationExpressionSyntax ?? (node as ArgumentSyntax)?.Expression as BaseObjectCreationExpressionSyntax;

    private static void AddSetting(DocumentEditor editor, SemanticModel model, BaseObjectCreationExpressionSyntax creation, System.Collections.Immutable.ImmutableDictionary<string, string?> properties, CancellationToken cancellationToken)
    {
        var type = model.GetTypeInfo(creation, cancellationToken).Type;
        var symbols = KafkaSymbols.TryCreate(model.Compilation);
        ExpressionSyntax element;
        if (symbols is not null && symbols.IsKafkaConfigType(type))
        {
            element = SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.IdentifierName(properties[FixProperties.Property]!),
                SyntaxFactory.ParseExpression(properties[FixProperties.TypedValue]!).WithAdditionalAnnotations(Simplifier.Annotation));
        }
        else
        {
            var key = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(properties[FixProperties.Key]!));
            var value = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(properties[FixProperties.StringValue]!));
            element = symbols is null || !symbols.IsStringDictionary(type)
                ? PairCreation(key, value)
                : DictionaryUsesIndexers(creation)
                ? SyntaxFactory.AssignmentExpression(
                    SyntaxKind.SimpleAssignmentExpression,
                    SyntaxFactory.ImplicitElementAccess(SyntaxFactory.BracketedArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(key)))),
                    value)
                : SyntaxFactory.InitializerExpression(
                    SyntaxKind.ComplexElementInitializerExpression,
                    SyntaxFactory.SeparatedList(new ExpressionSyntax[] { key, value }));
        }

        editor.ReplaceNode(creation, (current, _) => WithElement((BaseObjectCreationExpressionSyntax)current, element));
    }

    /// <summary>An element of a key-value pair list: <c>new KeyValuePair&lt;string, string&gt;("key", "value")</c>.</summary>
    private static ExpressionSyntax PairCreation(ExpressionSyntax key, ExpressionSyntax value)
        => SyntaxFactory.ObjectCreationExpression(
                SyntaxFactory.ParseTypeName("System.Collections.Generic.KeyValuePair<string, string>").WithAdditionalAnnotations(Simplifier.Annotation))
            .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(key), SyntaxFactory.Argument(value) })))
            .WithAdditionalAnnotations(Simplifier.Annotation);

    private static bool DictionaryUsesIndexers(BaseObjectCreationExpressionSyntax creation)
        => creation.Initializer?.Expressions.FirstOrDefault() is AssignmentExpressionSyntax { Left: ImplicitElementAccessSyntax };

    private static SyntaxNode WithElement(BaseObjectCreationExpressionSyntax creation, ExpressionSyntax element)
    {
        var initializer = creation.Initializer;
        if (initializer is null)
        {
            // Property and indexer assignments make an object initializer; { "k", "v" } and pair elements a collection initializer.
            var kind = element is AssignmentExpressionSyntax ? SyntaxKind.ObjectInitializerExpression : SyntaxKind.CollectionInitializerExpression;
            var created = SyntaxFactory.InitializerExpression(kind, SyntaxFactory.SingletonSeparatedList(element))
                .WithAdditionalAnnotations(Formatter.Annotation);
            return (creation.ArgumentList is { Arguments.Count: 0 } && creation is ObjectCreationExpressionSyntax
                    ? ((ObjectCreationExpressionSyntax)creation).WithArgumentList(null).WithType(((ObjectCreationExpressionSyntax)creation).Type.WithoutTrailingTrivia())
                    : creation.WithoutTrailingTrivia())
                .WithInitializer(created)
                .WithTrailingTrivia(creation.GetTrailingTrivia());
        }

        var expressions = initializer.Expressions;
        if (expressions.Count == 0)
        {
            var single = SyntaxFactory.SingletonSeparatedList(element.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space));
            return creation.WithInitializer(initializer.WithExpressions(single));
        }

        // Keep the user's layout: on a multi-line initializer the new element goes on its own line,
        // indented like the last one; on a single line it follows after ", ". Comments stay where they
        // are and are never repeated.
        var newLine = initializer.OpenBraceToken.TrailingTrivia.FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var multiLine = newLine.IsKind(SyntaxKind.EndOfLineTrivia);
        var nodes = expressions.ToList();
        var separators = expressions.GetSeparators().ToList();
        var last = nodes[nodes.Count - 1];
        var comma = SyntaxFactory.Token(SyntaxKind.CommaToken);
        if (separators.Count == nodes.Count)
        {
            // Trailing comma: the new element goes after it and gets a trailing comma of its own.
            var lastComma = separators[separators.Count - 1];
            if (multiLine)
            {
                nodes.Add(element.WithLeadingTrivia(Indentation(last)));
                separators.Add(comma.WithTrailingTrivia(newLine));
            }
            else
            {
                nodes.Add(element);
                separators.Add(comma.WithTrailingTrivia(lastComma.TrailingTrivia));
            }
        }
        else if (multiLine && last.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            // The comma takes the last element's line end (and its comment); the new element its own line.
            nodes[nodes.Count - 1] = last.WithoutTrailingTrivia();
            separators.Add(comma.WithTrailingTrivia(last.GetTrailingTrivia()));
            nodes.Add(element.WithLeadingTrivia(Indentation(last)).WithTrailingTrivia(newLine));
        }
        else
        {
            nodes[nodes.Count - 1] = last.WithoutTrailingTrivia();
            separators.Add(comma.WithTrailingTrivia(multiLine ? SyntaxFactory.TriviaList(newLine) : SyntaxFactory.TriviaList()));
            nodes.Add(element.WithLeadingTrivia(multiLine ? Indentation(last) : SyntaxFactory.TriviaList(SyntaxFactory.Space)).WithTrailingTrivia(last.GetTrailingTrivia()));
        }

        var updated = SyntaxFactory.SeparatedList(nodes, separators);
        return creation.WithInitializer(initializer.WithExpressions(updated));
    }

    /// <summary>The whitespace that indents a node's line (its leading trivia after the last line break, comments dropped).</summary>
    private static SyntaxTriviaList Indentation(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        var start = 0;
        for (var i = 0; i < leading.Count; i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                start = i + 1;
            }
        }

        return SyntaxFactory.TriviaList(leading.Skip(start).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using FlowFix = KafkaAnalyzers.Consumers.ConsumerFlowAnalyzer.FlowFix;
using DeadLetterFix = KafkaAnalyzers.Consumers.ConsumerFlowAnalyzer.DeadLetterFix;
using AssignFix = KafkaAnalyzers.Consumers.ConsumerFlowAnalyzer.AssignFix;
using OutputFix = KafkaAnalyzers.Consumers.ConsumerFlowAnalyzer.OutputFix;

namespace KafkaAnalyzers.CodeFixes.Consumers;

/// <summary>
/// Fixes for the consume-loop rules: KAFKA101 (await the work, then store its offset, with
/// EnableAutoOffsetStore = false), KAFKA103 (rethrow, or publish to the dead-letter sink in scope),
/// KAFKA104 (move the commit after processing), KAFKA107 (rethrow fatal
/// errors), KAFKA112 (a blocking timeout), KAFKA115 (await the output before the input's commit) and KAFKA116 (Seek instead of Assign of one partition offset). The analyzer decides what is safe and says so in the
/// diagnostic's properties; the fix only edits the syntax it is pointed at. One fix and Fix All run the
/// same edits, in one editor per document.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConsumerFlowCodeFixProvider))]
[Shared]
public sealed class ConsumerFlowCodeFixProvider : CodeFixProvider
{
    private const string AwaitThenStore = "AwaitThenStore";
    private const string Rethrow = "Rethrow";
    private const string DeadLetter = "DeadLetter";
    private const string MoveCommit = "MoveCommit";
    private const string RethrowFatal = "RethrowFatal";
    private const string BlockingTimeout = "BlockingTimeout";
    private const string SeekInstead = "Seek";
    private const string AwaitOutput = "AwaitOutput";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA101", "KAFKA103", "KAFKA104", "KAFKA107", "KAFKA112", "KAFKA115", "KAFKA116");

    /// <remarks>
    /// A diagnostic of the rule named by the equivalence key gets the action the key names (a choice made in
    /// the editor, e.g. Rethrow over DeadLetter); any other diagnostic gets its own first action. dotnet format
    /// fixes all of a provider's rules in one Fix All with the key of one of them, or none.
    /// </remarks>
    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) =>
            await ApplyAsync(document, diagnostics, context.CodeActionEquivalenceKey, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var (action, title) in Actions(diagnostic, root))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        title,
                        cancellationToken => ApplyAsync(context.Document, new[] { diagnostic }, diagnostic.Id + "." + action, cancellationToken),
                        diagnostic.Id + "." + action),
                    diagnostic);
            }
        }
    }

    private static IEnumerable<(string Action, string Title)> Actions(Diagnostic diagnostic, SyntaxNode root)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var properties = diagnostic.Properties;
        switch (diagnostic.Id)
        {
            case "KAFKA101" when Is(properties, FlowFix.Kind, FlowFix.AwaitThenStore) && StatementOf(node) is not null && ConfigurationEdits.CanFix(diagnostic, root):
                yield return (AwaitThenStore, "Await the processing, then store the offset (EnableAutoOffsetStore = false)");
                break;
            case "KAFKA103" when CatchOf(node) is not null:
                if (properties.ContainsKey(DeadLetterFix.Sink))
                {
                    yield return (DeadLetter, $"Publish the failed message to '{properties[DeadLetterFix.Sink]}'");
                }

                yield return (Rethrow, "Rethrow the exception");
                break;
            case "KAFKA104" when Is(properties, FlowFix.Kind, FlowFix.MoveAfter) && StatementOf(node) is ExpressionStatementSyntax && diagnostic.AdditionalLocations.Count > 0:
                yield return (MoveCommit, "Move the commit after the processing");
                break;
            case "KAFKA107" when CatchOf(node) is { Declaration: not null }:
                yield return (RethrowFatal, "Rethrow fatal errors: if (ex.Error.IsFatal) throw;");
                break;
            case "KAFKA112" when node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 }:
                yield return (BlockingTimeout, "Wait up to 100 ms for a message");
                break;
            case "KAFKA115" when Is(properties, OutputFix.Kind, OutputFix.Await) && StatementOf(node) is not null && diagnostic.AdditionalLocations.Count > 0:
                yield return (AwaitOutput, "Await the output before committing the input");
                break;
            case "KAFKA116" when Is(properties, AssignFix.Kind, AssignFix.Seek) && node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Assign" } }:
                yield return (SeekInstead, "Seek to the offset instead of replacing the assignment");
                break;
        }
    }

    private static bool Is(ImmutableDictionary<string, string?> properties, string key, string value)
        => properties.TryGetValue(key, out var actual) && actual == value;

    private static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var chosen = new List<(Diagnostic Diagnostic, string Action)>();
        foreach (var diagnostic in diagnostics)
        {
            var actions = Actions(diagnostic, root).Select(a => a.Action).ToList();
            var keyed = equivalenceKey is not null && equivalenceKey.StartsWith(diagnostic.Id + ".", System.StringComparison.Ordinal)
                ? equivalenceKey.Substring(diagnostic.Id.Length + 1)
                : null;
            var action = keyed is not null && actions.Contains(keyed) ? keyed : actions.FirstOrDefault();
            if (action is not null && (keyed is null || action == keyed))
            {
                chosen.Add((diagnostic, action));
            }
        }

        ConfigurationEdits.AddEdits(editor, root, model, chosen.Where(c => c.Action == AwaitThenStore).Select(c => c.Diagnostic), cancellationToken);

        var done = new HashSet<SyntaxNode>();
        var awaitedBefore = new HashSet<(SyntaxNode Statement, string Task)>();
        foreach (var (diagnostic, action) in chosen.OrderByDescending(c => c.Diagnostic.Location.SourceSpan.Start))
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            switch (action)
            {
                case AwaitThenStore:
                    AwaitAndStore(editor, StatementOf(node)!, diagnostic.Properties, done);
                    break;
                case Rethrow:
                    EditCatch(editor, CatchOf(node)!, done, (clause, _) => AppendBeforeTrailingJump(clause, ThrowStatement(), replaceJump: true), needsVariable: false);
                    break;
                case DeadLetter:
                    EditCatch(editor, CatchOf(node)!, done, (clause, exception) => AppendBeforeTrailingJump(clause, PublishStatement(diagnostic.Properties, exception), replaceJump: false));
                    break;
                case MoveCommit:
                    MoveStatement(editor, root, (StatementSyntax)StatementOf(node)!, diagnostic.AdditionalLocations[0], done);
                    break;
                case RethrowFatal:
                    EditCatch(editor, CatchOf(node)!, done, (clause, exception) => clause.WithBlock(InsertStatement(clause.Block, 0, FatalCheck(exception))));
                    break;
                case BlockingTimeout:
                    var argument = ((InvocationExpressionSyntax)node).ArgumentList.Arguments[0];
                    var timeSpan = SyntaxFactory.ParseTypeName("System.TimeSpan").WithAdditionalAnnotations(Simplifier.Annotation);
                    var timeout = SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, timeSpan, SyntaxFactory.IdentifierName("FromMilliseconds")),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(100))))));
                    editor.ReplaceNode(argument.Expression, timeout.WithTriviaFrom(argument.Expression));
                    break;
                case AwaitOutput:
                    AwaitOutputs(editor, root, StatementOf(node)!, diagnostic.AdditionalLocations, done, awaitedBefore);
                    break;
                case SeekInstead:
                    var name = ((MemberAccessExpressionSyntax)((InvocationExpressionSyntax)node).Expression).Name;
                    editor.ReplaceNode(name, SyntaxFactory.IdentifierName("Seek").WithTriviaFrom(name));
                    break;
            }
        }

        return await ConfigurationEdits.FinishAsync(editor, cancellationToken).ConfigureAwait(false);
    }

    // ---- KAFKA101 -------------------------------------------------------------------------------

    /// <summary><c>_ = Task.Run(work);</c> becomes <c>await Task.Run(work);</c> followed by <c>consumer.StoreOffset(result);</c>.</summary>
    private static void AwaitAndStore(DocumentEditor editor, SyntaxNode statementNode, ImmutableDictionary<string, string?> properties, HashSet<SyntaxNode> done)
    {
        if (statementNode is not ExpressionStatementSyntax statement || !done.Add(statement))
        {
            return;
        }

        var expression = statement.Expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } discard ? discard.Right : statement.Expression;
        var awaitKeyword = SyntaxFactory.Token(statement.Expression.GetLeadingTrivia(), SyntaxKind.AwaitKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        var awaited = statement.WithExpression(SyntaxFactory.AwaitExpression(awaitKeyword, expression.WithoutLeadingTrivia()));

        // The store goes on its own line, indented like the statement (its comments stay with the statement).
        var indentation = statement.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
        var newLine = statement.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).DefaultIfEmpty(SyntaxFactory.ElasticCarriageReturnLineFeed).First();
        var store = SyntaxFactory.ParseStatement($"{properties[FlowFix.Consumer]}.StoreOffset({properties[FlowFix.Result]});")
            .WithLeadingTrivia(indentation)
            .WithTrailingTrivia(newLine);
        editor.InsertAfter(statement, store);
        editor.ReplaceNode(statement, awaited);
    }

    // ---- KAFKA103 / KAFKA107 --------------------------------------------------------------------

    /// <summary>Edits a catch clause, first giving it an exception variable when <paramref name="needsVariable"/> and it has none.</summary>
    private static void EditCatch(DocumentEditor editor, CatchClauseSyntax clause, HashSet<SyntaxNode> done, System.Func<CatchClauseSyntax, string, CatchClauseSyntax> edit, bool needsVariable = true)
    {
        if (!done.Add(clause))
        {
            return;
        }

        editor.ReplaceNode(clause, (current, _) =>
        {
            var catchClause = (CatchClauseSyntax)current;
            var exception = catchClause.Declaration?.Identifier.ValueText;
            if (string.IsNullOrEmpty(exception) && needsVariable)
            {
                exception = FreeName(clause, "ex");
                var identifier = SyntaxFactory.Identifier(SyntaxFactory.TriviaList(SyntaxFactory.Space), exception!, SyntaxFactory.TriviaList());
                if (catchClause.Declaration is { } existing)
                {
                    catchClause = catchClause.WithDeclaration(existing.WithType(existing.Type.WithoutTrailingTrivia()).WithIdentifier(identifier));
                }
                else
                {
                    // catch { } becomes catch (Exception ex) { }, the keyword's line break after the declaration.
                    var type = SyntaxFactory.ParseTypeName("System.Exception").WithAdditionalAnnotations(Simplifier.Annotation);
                    var declaration = SyntaxFactory.CatchDeclaration(
                        SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space), SyntaxKind.OpenParenToken, SyntaxFactory.TriviaList()),
                        type,
                        identifier,
                        SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CloseParenToken, catchClause.CatchKeyword.TrailingTrivia));
                    catchClause = catchClause.WithCatchKeyword(catchClause.CatchKeyword.WithTrailingTrivia()).WithDeclaration(declaration);
                }
            }

            return edit(catchClause, exception ?? string.Empty);
        });
    }

    private static string FreeName(SyntaxNode at, string preferred)
    {
        var used = at.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault()?.DescendantTokens()
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
            .Select(t => t.ValueText)
            .ToImmutableHashSet() ?? ImmutableHashSet<string>.Empty;
        if (!used.Contains(preferred))
        {
            return preferred;
        }

        for (var i = 2; ; i++)
        {
            if (!used.Contains(preferred + i))
            {
                return preferred + i;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="statement"/> at the end of the catch block, before a trailing
    /// <c>continue;</c> or <c>return;</c> (which it replaces when <paramref name="replaceJump"/>).
    /// </summary>
    private static CatchClauseSyntax AppendBeforeTrailingJump(CatchClauseSyntax clause, StatementSyntax statement, bool replaceJump)
    {
        var statements = clause.Block.Statements;
        var trailingJump = statements.Count > 0 && statements[statements.Count - 1] is ContinueStatementSyntax or ReturnStatementSyntax { Expression: null };
        if (trailingJump && replaceJump)
        {
            var jump = statements[statements.Count - 1];
            return clause.WithBlock(clause.Block.WithStatements(statements.Replace(jump, statement.WithTriviaFrom(jump))));
        }

        var index = trailingJump ? statements.Count - 1 : statements.Count;
        return clause.WithBlock(InsertStatement(clause.Block, index, statement));
    }

    /// <summary>Inserts a statement into a block on a line of its own, indented like its neighbours (comments stay where they are).</summary>
    private static BlockSyntax InsertStatement(BlockSyntax block, int index, StatementSyntax statement)
    {
        var newLine = block.OpenBraceToken.TrailingTrivia.FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (!newLine.IsKind(SyntaxKind.EndOfLineTrivia))
        {
            newLine = SyntaxFactory.ElasticCarriageReturnLineFeed;
        }

        SyntaxTriviaList indentation;
        if (block.Statements.Count > 0)
        {
            var neighbour = block.Statements[System.Math.Min(index, block.Statements.Count - 1)];
            indentation = SyntaxFactory.TriviaList(neighbour.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        }
        else
        {
            var braceIndent = block.OpenBraceToken.LeadingTrivia.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Select(t => t.ToString());
            indentation = SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(string.Concat(braceIndent) + "    "));
            block = block.WithOpenBraceToken(block.OpenBraceToken.WithTrailingTrivia(newLine))
                .WithCloseBraceToken(block.CloseBraceToken.WithLeadingTrivia(block.OpenBraceToken.LeadingTrivia.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia))));
        }

        var placed = statement.WithoutAnnotations(Formatter.Annotation).WithLeadingTrivia(indentation).WithTrailingTrivia(newLine);
        if (index < block.Statements.Count)
        {
            // The statement now at `index` keeps its own leading trivia (comments included) after the new line.
            return block.WithStatements(block.Statements.Insert(index, placed));
        }

        return block.WithStatements(block.Statements.Add(placed));
    }

    private static StatementSyntax ThrowStatement()
        => SyntaxFactory.ThrowStatement().WithAdditionalAnnotations(Formatter.Annotation);

    private static StatementSyntax PublishStatement(ImmutableDictionary<string, string?> properties, string exception)
    {
        var call = $"{properties[DeadLetterFix.Sink]}.PublishAsync({properties[DeadLetterFix.Result]}, {exception})";
        var text = properties[DeadLetterFix.Async] == "true" ? $"await {call};" : $"{call}.GetAwaiter().GetResult();";
        return SyntaxFactory.ParseStatement(text).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static StatementSyntax FatalCheck(string exception)
        => SyntaxFactory.ParseStatement($"if ({exception}.Error.IsFatal) throw;").WithAdditionalAnnotations(Formatter.Annotation);

    // ---- KAFKA104 -------------------------------------------------------------------------------

    private static void MoveStatement(DocumentEditor editor, SyntaxNode root, StatementSyntax statement, Location after, HashSet<SyntaxNode> done)
    {
        var target = root.FindNode(after.SourceSpan, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<StatementSyntax>()
            .FirstOrDefault(s => s.Parent == statement.Parent);
        if (target is null || !done.Add(statement))
        {
            return;
        }

        editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
        editor.InsertAfter(target, statement.WithAdditionalAnnotations(Formatter.Annotation));
    }

    // ---- KAFKA115 -------------------------------------------------------------------------------

    /// <summary>
    /// Each output (a ProduceAsync at an additional location) is awaited before the commit: a discarded
    /// <c>producer.ProduceAsync(..);</c> / <c>_ = producer.ProduceAsync(..);</c> becomes <c>await producer.ProduceAsync(..);</c>
    /// where it is; for <c>var task = producer.ProduceAsync(..);</c> an <c>await task;</c> goes on its own line before the commit.
    /// </summary>
    private static void AwaitOutputs(DocumentEditor editor, SyntaxNode root, StatementSyntax commit, IReadOnlyList<Location> outputs, HashSet<SyntaxNode> done, HashSet<(SyntaxNode Statement, string Task)> awaitedBefore)
    {
        foreach (var location in outputs.OrderBy(l => l.SourceSpan.Start))
        {
            var invocation = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            switch (invocation?.Parent)
            {
                case ExpressionStatementSyntax statement when done.Add(statement):
                    AwaitInPlace(editor, statement, invocation);
                    break;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax statement } when done.Add(statement):
                    AwaitInPlace(editor, statement, invocation);
                    break;
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when !awaitedBefore.Contains((commit, declarator.Identifier.ValueText)):
                    var first = !awaitedBefore.Any(a => a.Statement == commit);
                    awaitedBefore.Add((commit, declarator.Identifier.ValueText));
                    AwaitBefore(editor, commit, declarator.Identifier.ValueText, moveBlankLines: first);
                    break;
            }
        }
    }

    /// <summary>
    /// <c>await task;</c> on its own line before <paramref name="commit"/>: blank lines above the commit go above
    /// the new line, comments on the lines above the commit stay with it.
    /// </summary>
    private static void AwaitBefore(DocumentEditor editor, StatementSyntax commit, string task, bool moveBlankLines)
    {
        var trivia = commit.GetLeadingTrivia();
        var lineStart = 0;
        for (var i = 0; i < trivia.Count; i++)
        {
            if (trivia[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                lineStart = i + 1;
            }
        }

        // The commit's own line starts after the last line break of its leading trivia; its indentation is the whitespace there.
        var indentation = SyntaxFactory.TriviaList(trivia.Skip(lineStart).TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
        var firstComment = -1;
        for (var i = 0; i < trivia.Count; i++)
        {
            if (!trivia[i].IsKind(SyntaxKind.WhitespaceTrivia) && !trivia[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                firstComment = i;
                break;
            }
        }

        // Blank lines above the commit (everything before the line of its first comment, or before its own line) move up.
        var split = !moveBlankLines ? 0 : firstComment < 0 ? lineStart : firstComment;
        while (firstComment >= 0 && moveBlankLines && split > 0 && trivia[split - 1].IsKind(SyntaxKind.WhitespaceTrivia))
        {
            split--;
        }

        var newLine = commit.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).DefaultIfEmpty(SyntaxFactory.CarriageReturnLineFeed).First();
        var awaitTask = SyntaxFactory.ExpressionStatement(
                SyntaxFactory.List<AttributeListSyntax>(),
                SyntaxFactory.AwaitExpression(
                    SyntaxFactory.Token(SyntaxFactory.TriviaList(trivia.Take(split)).AddRange(indentation), SyntaxKind.AwaitKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)),
                    SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(SyntaxFactory.TriviaList(), task, SyntaxFactory.TriviaList()))),
                SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.SemicolonToken, SyntaxFactory.TriviaList(newLine)));
        if (split > 0)
        {
            editor.ReplaceNode(commit, (current, _) => current.WithLeadingTrivia(SyntaxFactory.TriviaList(current.GetLeadingTrivia().Skip(split))));
        }

        editor.InsertBefore(commit, awaitTask);
    }

    /// <summary><c>producer.ProduceAsync(..);</c> or <c>_ = producer.ProduceAsync(..);</c> becomes <c>await producer.ProduceAsync(..);</c>, comments kept.</summary>
    private static void AwaitInPlace(DocumentEditor editor, ExpressionStatementSyntax statement, InvocationExpressionSyntax invocation)
    {
        var awaitKeyword = SyntaxFactory.Token(statement.Expression.GetLeadingTrivia(), SyntaxKind.AwaitKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        editor.ReplaceNode(statement, statement.WithExpression(SyntaxFactory.AwaitExpression(awaitKeyword, invocation.WithoutLeadingTrivia())));
    }

    // ---- syntax helpers -------------------------------------------------------------------------

    private static StatementSyntax? StatementOf(SyntaxNode node)
        => node.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent is BlockSyntax);

    private static CatchClauseSyntax? CatchOf(SyntaxNode node) => node.AncestorsAndSelf().OfType<CatchClauseSyntax>().FirstOrDefault();
}

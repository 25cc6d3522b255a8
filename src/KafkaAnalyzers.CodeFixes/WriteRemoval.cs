using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaAnalyzers.CodeFixes;

/// <summary>
/// Removes one initializer element or statement together with its line, keeping the comments (and
/// blank lines before them) that were on or above it, and the indentation of what follows.
/// </summary>
/// <remarks>
/// Roslyn's node removal either drops the trivia (and with it comments and line breaks) or appends the
/// removed indentation to the next line. Rebuilding the parent's list here avoids both; the child is
/// found by index, which stays valid because the edits of a document run from its end to its start.
/// </remarks>
internal static class WriteRemoval
{
    /// <summary>The initializer element or statement that holds the write and nothing else.</summary>
    public static SyntaxNode? RemovableNode(SyntaxNode write)
    {
        if (write is ArgumentSyntax argument)
        {
            write = argument.Expression;
        }

        switch (write.Parent)
        {
            case InitializerExpressionSyntax:
                return write;
            case ExpressionStatementSyntax statement:
                return InStatementList(statement);
            case ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax { Parent: ExpressionStatementSyntax statement } } }:
                // list.Add(new("key", "value"));
                return InStatementList(statement);
            default:
                return null;
        }
    }

    /// <summary>Replaces the parent of <paramref name="removable"/> with a copy that lacks it.</summary>
    public static (SyntaxNode Parent, System.Func<SyntaxNode, SyntaxNode> Without) Plan(SyntaxNode removable)
    {
        var parent = removable.Parent!;
        switch (parent)
        {
            case InitializerExpressionSyntax initializer:
                var elementIndex = initializer.Expressions.IndexOf((ExpressionSyntax)removable);
                return (parent, current => WithoutElement((InitializerExpressionSyntax)current, elementIndex));
            case BlockSyntax block:
                var blockIndex = block.Statements.IndexOf((StatementSyntax)removable);
                return (parent, current =>
                {
                    var b = (BlockSyntax)current;
                    var (statements, close) = WithoutStatement(b.Statements, blockIndex, b.CloseBraceToken);
                    return b.WithStatements(statements).WithCloseBraceToken(close);
                });
            case SwitchSectionSyntax section:
                var sectionIndex = section.Statements.IndexOf((StatementSyntax)removable);
                return (parent, current =>
                {
                    var s = (SwitchSectionSyntax)current;
                    return s.WithStatements(WithoutStatement(s.Statements, sectionIndex, closing: null).Statements);
                });
            default:
                var unit = (CompilationUnitSyntax)parent;
                var memberIndex = unit.Members.IndexOf((MemberDeclarationSyntax)removable);
                return (parent, current =>
                {
                    var u = (CompilationUnitSyntax)current;
                    var (members, end) = WithoutStatement(u.Members, memberIndex, u.EndOfFileToken);
                    return u.WithMembers(members).WithEndOfFileToken(end);
                });
        }
    }

    private static SyntaxNode? InStatementList(ExpressionStatementSyntax statement)
        => statement.Parent switch
        {
            BlockSyntax or SwitchSectionSyntax => statement,
            GlobalStatementSyntax { Parent: CompilationUnitSyntax } global => global,
            _ => null,
        };

    private static InitializerExpressionSyntax WithoutElement(InitializerExpressionSyntax initializer, int index)
    {
        var nodes = initializer.Expressions.ToList();
        var separators = initializer.Expressions.GetSeparators().ToList();
        var removed = nodes[index];
        var multiLine = initializer.OpenBraceToken.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var trailing = removed.GetTrailingTrivia().ToList();
        var closeBrace = initializer.CloseBraceToken;

        if (index < separators.Count)
        {
            // The element's own comma goes with it.
            trailing.AddRange(separators[index].TrailingTrivia);
            separators.RemoveAt(index);
        }
        else if (index > 0)
        {
            // Last element without a trailing comma: the comma before it goes, and the previous line
            // keeps whatever followed that comma (its comment and line end).
            var previous = separators[index - 1];
            nodes[index - 1] = nodes[index - 1].WithTrailingTrivia(nodes[index - 1].GetTrailingTrivia().AddRange(previous.TrailingTrivia));
            separators.RemoveAt(index - 1);
        }

        nodes.RemoveAt(index);
        var kept = KeptTrivia(removed.GetLeadingTrivia(), trailing, Indentation(removed.GetLeadingTrivia()), multiLine);
        if (kept.Count > 0)
        {
            if (index < nodes.Count)
            {
                nodes[index] = nodes[index].WithLeadingTrivia(kept.AddRange(nodes[index].GetLeadingTrivia()));
            }
            else
            {
                closeBrace = closeBrace.WithLeadingTrivia(kept.AddRange(closeBrace.LeadingTrivia));
            }
        }

        return initializer
            .WithExpressions(SyntaxFactory.SeparatedList(nodes, separators))
            .WithCloseBraceToken(closeBrace);
    }

    private static (SyntaxList<T> Statements, SyntaxToken Closing) WithoutStatement<T>(SyntaxList<T> statements, int index, SyntaxToken? closing)
        where T : SyntaxNode
    {
        var removed = statements[index];
        var list = statements.RemoveAt(index);
        var kept = KeptTrivia(removed.GetLeadingTrivia(), removed.GetTrailingTrivia(), Indentation(removed.GetLeadingTrivia()), multiLine: true);
        var closingToken = closing ?? default;
        if (kept.Count > 0)
        {
            if (index < list.Count)
            {
                var next = list[index];
                list = list.Replace(next, next.WithLeadingTrivia(kept.AddRange(next.GetLeadingTrivia())));
            }
            else if (closing is { } token)
            {
                closingToken = token.WithLeadingTrivia(kept.AddRange(token.LeadingTrivia));
            }
        }

        return (list, closingToken);
    }

    /// <summary>
    /// What of the removed code's trivia stays: the lines above it when they hold a comment or
    /// directive, and a comment at the end of its line, moved onto a line of its own.
    /// </summary>
    private static SyntaxTriviaList KeptTrivia(SyntaxTriviaList leading, IReadOnlyList<SyntaxTrivia> trailing, SyntaxTriviaList indentation, bool multiLine)
    {
        var kept = new List<SyntaxTrivia>();
        var lastLineBreak = -1;
        for (var i = 0; i < leading.Count; i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                lastLineBreak = i;
            }
        }

        var above = leading.Take(lastLineBreak + 1).ToList();
        if (above.Any(IsContent))
        {
            kept.AddRange(above);
        }

        var lineBreak = trailing.Concat(leading).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        foreach (var comment in trailing.Where(IsContent))
        {
            if (multiLine)
            {
                kept.AddRange(indentation);
                kept.Add(comment);
                kept.Add(lineBreak.IsKind(SyntaxKind.EndOfLineTrivia) ? lineBreak : SyntaxFactory.LineFeed);
            }
            else
            {
                kept.Add(comment);
                kept.Add(SyntaxFactory.Space);
            }
        }

        return SyntaxFactory.TriviaList(kept);
    }

    private static bool IsContent(SyntaxTrivia trivia)
        => !trivia.IsKind(SyntaxKind.WhitespaceTrivia) && !trivia.IsKind(SyntaxKind.EndOfLineTrivia);

    private static SyntaxTriviaList Indentation(SyntaxTriviaList leading)
    {
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

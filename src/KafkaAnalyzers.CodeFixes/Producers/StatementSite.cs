using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace KafkaAnalyzers.CodeFixes.Producers;

/// <summary>
/// Where statements can be put before (or after) the statement that contains an expression: a statement
/// in a block, an embedded statement (wrapped in a block), or the arrow body of a void member or lambda
/// (turned into a block body). Edits go through a <see cref="DocumentEditor"/> so that several fixes in
/// one document compose (Fix All).
/// </summary>
internal sealed class StatementSite
{
    private StatementSite(SyntaxNode anchor, ExpressionStatementSyntax? statement)
    {
        Anchor = anchor;
        Statement = statement;
    }

    /// <summary>The node that is edited: the statement, or the member / lambda with an arrow body.</summary>
    public SyntaxNode Anchor { get; }

    public ExpressionStatementSyntax? Statement { get; }

    /// <summary>The site of <paramref name="expression"/>, which must be the whole expression of its statement or arrow body.</summary>
    public static StatementSite? Of(ExpressionSyntax expression)
    {
        var top = expression;
        while (top.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            top = parenthesized;
        }

        switch (top.Parent)
        {
            case ExpressionStatementSyntax statement when statement.Parent is BlockSyntax or SwitchSectionSyntax or IfStatementSyntax or ElseClauseSyntax
                or WhileStatementSyntax or ForStatementSyntax or ForEachStatementSyntax or DoStatementSyntax or UsingStatementSyntax or LockStatementSyntax
                or FixedStatementSyntax or LabeledStatementSyntax:
                return statement.Parent is LabeledStatementSyntax ? null : new StatementSite(statement, statement);
            case ArrowExpressionClauseSyntax arrow when arrow.Parent is MethodDeclarationSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } }
                or LocalFunctionStatementSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } }
                or AccessorDeclarationSyntax { RawKind: (int)SyntaxKind.SetAccessorDeclaration or (int)SyntaxKind.InitAccessorDeclaration or (int)SyntaxKind.AddAccessorDeclaration or (int)SyntaxKind.RemoveAccessorDeclaration }
                or ConstructorDeclarationSyntax:
                return new StatementSite(arrow.Parent, null);
            case LambdaExpressionSyntax lambda when lambda.ExpressionBody == top:
                return new StatementSite(lambda, null);
            default:
                return null;
        }
    }

    /// <summary>Puts <paramref name="before"/> ahead of the statement and <paramref name="after"/> behind it.</summary>
    public void Surround(DocumentEditor editor, StatementSyntax[] before, StatementSyntax[] after)
    {
        var newLine = DeliveryFailureSurfacing.NewLine(editor.OriginalRoot);
        if (Statement is { Parent: BlockSyntax or SwitchSectionSyntax })
        {
            if (before.Length > 0)
            {
                editor.InsertBefore(Statement, before.Select(s => EndLine(s, newLine)));
            }

            if (after.Length > 0)
            {
                editor.InsertAfter(Statement, after.Select(s => EndLine(s, newLine)));
            }

            return;
        }

        editor.ReplaceNode(Anchor, (current, _) => Rewrite(current, before, after, newLine));
    }

    private static SyntaxNode Rewrite(SyntaxNode current, StatementSyntax[] before, StatementSyntax[] after, string newLine)
    {
        BlockSyntax Block(StatementSyntax[] first, StatementSyntax statement, StatementSyntax[] last)
            => SyntaxFactory.Block(first.Append(statement).Concat(last).Select(s => EndLine(s, newLine))).WithAdditionalAnnotations(Formatter.Annotation);

        switch (current)
        {
            case ExpressionStatementSyntax statement:
                return Block(before, statement.WithoutTrivia(), after).WithTriviaFrom(statement);
            case MethodDeclarationSyntax { ExpressionBody: { } arrow } method:
                return method.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(Block(before, Body(arrow.Expression, method.SemicolonToken), after))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            case LocalFunctionStatementSyntax { ExpressionBody: { } arrow } local:
                return local.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(Block(before, Body(arrow.Expression, local.SemicolonToken), after))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            case AccessorDeclarationSyntax { ExpressionBody: { } arrow } accessor:
                return accessor.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(Block(before, Body(arrow.Expression, accessor.SemicolonToken), after))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            case ConstructorDeclarationSyntax { ExpressionBody: { } arrow } constructor:
                return constructor.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(Block(before, Body(arrow.Expression, constructor.SemicolonToken), after))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            case LambdaExpressionSyntax { ExpressionBody: { } expression } lambda:
                return lambda.WithExpressionBody(null)
                    .WithBlock(Block(before, SyntaxFactory.ExpressionStatement(expression.WithoutTrivia()), after))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            default:
                return current;
        }
    }

    private static StatementSyntax Body(ExpressionSyntax expression, SyntaxToken semicolon)
        => SyntaxFactory.ExpressionStatement(expression.WithoutTrivia())
            .WithTrailingTrivia(semicolon.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia))
                ? semicolon.TrailingTrivia.Where(t => !t.IsKind(SyntaxKind.EndOfLineTrivia))
                : Enumerable.Empty<SyntaxTrivia>());

    /// <summary>Each statement of a generated block ends its line (an elastic one, which the formatter may lay out).</summary>
    private static StatementSyntax EndLine(StatementSyntax statement, string newLine)
        => statement.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia))
            ? statement
            : statement.WithTrailingTrivia(statement.GetTrailingTrivia().Add(SyntaxFactory.ElasticEndOfLine(newLine)));
}

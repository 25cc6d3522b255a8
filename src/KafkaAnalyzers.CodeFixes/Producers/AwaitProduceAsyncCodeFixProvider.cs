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
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;

namespace KafkaAnalyzers.CodeFixes.Producers;

/// <summary>
/// KAFKA005: <c>await</c> a discarded <c>ProduceAsync</c>. The enclosing method is made <c>async</c> only
/// where every caller still compiles: already async; a non-async <c>Task</c> method whose returns are all
/// <c>return Task.CompletedTask;</c>; a private, non-virtual <c>void</c> method that is no interface
/// implementation or override, never used as a delegate, and only called as a statement from non-async
/// code (it becomes <c>async Task</c>). Nowhere else.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitProduceAsyncCodeFixProvider))]
[Shared]
public sealed class AwaitProduceAsyncCodeFixProvider : CodeFixProvider
{
    public const string AwaitKey = "KAFKA005.Await";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA005");

    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) =>
            await ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await PlanAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Await ProduceAsync", ct => ApplyAsync(context.Document, new[] { diagnostic }, ct), AwaitKey),
                    diagnostic);
            }
        }
    }

    private enum MakeAsync
    {
        /// <summary>Already async: only the await.</summary>
        No,

        /// <summary>Non-async Task method: add async, turn <c>return Task.CompletedTask;</c> into <c>return;</c>.</summary>
        TaskMethod,

        /// <summary>Private void method: becomes <c>async Task</c>.</summary>
        VoidMethod,
    }

    private sealed record Plan(ExpressionStatementSyntax Statement, ExpressionSyntax Task, SyntaxNode Function, MakeAsync Change);

    private static async Task<Plan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        // producer.ProduceAsync(...);  or  _ = producer.ProduceAsync(...);
        ExpressionStatementSyntax? statement = invocation.Parent switch
        {
            ExpressionStatementSyntax direct => direct,
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.Text: "_" }, Parent: ExpressionStatementSyntax discard } assignment
                when assignment.Right == invocation && model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is null or IDiscardSymbol => discard,
            _ => null,
        };
        if (statement is null || InsideLockOrUnsafe(statement))
        {
            return null;
        }

        var function = statement.Parent is BlockSyntax or SwitchSectionSyntax or IfStatementSyntax or ElseClauseSyntax
            or WhileStatementSyntax or ForStatementSyntax or ForEachStatementSyntax or DoStatementSyntax or UsingStatementSyntax
            ? EnclosingFunction(statement)
            : null;
        switch (function)
        {
            case AnonymousFunctionExpressionSyntax lambda when lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword):
                return new Plan(statement, invocation, lambda, MakeAsync.No);
            case LocalFunctionStatementSyntax local when local.Modifiers.Any(SyntaxKind.AsyncKeyword):
                return new Plan(statement, invocation, local, MakeAsync.No);
            case MethodDeclarationSyntax method when method.Modifiers.Any(SyntaxKind.AsyncKeyword):
                return new Plan(statement, invocation, method, MakeAsync.No);
            case MethodDeclarationSyntax { Body: { } } method when model.GetDeclaredSymbol(method, cancellationToken) is { } symbol:
                if (IsPlainTask(symbol.ReturnType, model) && ReturnsOnlyCompletedTask(method, model, cancellationToken))
                {
                    return new Plan(statement, invocation, method, MakeAsync.TaskMethod);
                }

                if (symbol.ReturnsVoid && await VoidMethodMayBecomeTaskAsync(document.Project.Solution, symbol, cancellationToken).ConfigureAwait(false))
                {
                    return new Plan(statement, invocation, method, MakeAsync.VoidMethod);
                }

                return null;
            default:
                return null;
        }
    }

    private static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var plans = new List<Plan>();
        foreach (var diagnostic in diagnostics.Where(d => d.Id == "KAFKA005"))
        {
            if (await PlanAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is { } plan)
            {
                plans.Add(plan);
            }
        }

        if (plans.Count == 0)
        {
            return document;
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var plan in plans)
        {
            editor.ReplaceNode(plan.Statement, (current, _) =>
            {
                var statement = (ExpressionStatementSyntax)current;
                var task = statement.Expression is AssignmentExpressionSyntax assignment ? assignment.Right : statement.Expression;
                return statement.WithExpression(SyntaxFactory.AwaitExpression(task.WithoutLeadingTrivia()).WithLeadingTrivia(statement.Expression.GetLeadingTrivia()));
            });
        }

        foreach (var plan in plans.GroupBy(p => p.Function).Select(g => g.First()).Where(p => p.Change != MakeAsync.No))
        {
            var method = (MethodDeclarationSyntax)plan.Function;
            var taskType = DeliveryFailureSurfacing.TypeName(model!, method.SpanStart, "System.Threading.Tasks.Task");
            if (plan.Change == MakeAsync.TaskMethod)
            {
                foreach (var @return in ReturnStatements(method))
                {
                    if (@return.Parent is BlockSyntax block && block.Parent == method && block.Statements.Last() == @return)
                    {
                        editor.RemoveNode(@return, SyntaxRemoveOptions.KeepNoTrivia);
                    }
                    else
                    {
                        editor.ReplaceNode(@return, (current, _) =>
                        {
                            var statement = (ReturnStatementSyntax)current;
                            return statement.WithExpression(null).WithReturnKeyword(statement.ReturnKeyword.WithTrailingTrivia());
                        });
                    }
                }
            }

            editor.ReplaceNode(method, (current, _) =>
            {
                var updated = (MethodDeclarationSyntax)current;
                if (plan.Change == MakeAsync.VoidMethod)
                {
                    updated = updated.WithReturnType(SyntaxFactory.ParseTypeName(taskType).WithTriviaFrom(updated.ReturnType));
                }

                return AddAsync(updated);
            });
        }

        return await Formatter.FormatAsync(editor.GetChangedDocument(), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static MethodDeclarationSyntax AddAsync(MethodDeclarationSyntax method)
    {
        var asyncToken = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (method.Modifiers.Count == 0)
        {
            return method.WithModifiers(SyntaxFactory.TokenList(asyncToken.WithLeadingTrivia(method.ReturnType.GetLeadingTrivia())))
                .WithReturnType(method.ReturnType.WithLeadingTrivia());
        }

        return method.WithModifiers(method.Modifiers.Add(asyncToken));
    }

    private static SyntaxNode? EnclosingFunction(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MethodDeclarationSyntax:
                    return current;
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool InsideLockOrUnsafe(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null and not MemberDeclarationSyntax and not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax; current = current.Parent)
        {
            if (current is LockStatementSyntax or UnsafeStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlainTask(ITypeSymbol type, SemanticModel model)
        => SymbolEqualityComparer.Default.Equals(type, model.Compilation.GetTypeByMetadataName("System.Threading.Tasks.Task"));

    /// <summary>Returns of the method itself (not of lambdas or local functions in it).</summary>
    private static IEnumerable<ReturnStatementSyntax> ReturnStatements(MethodDeclarationSyntax method)
        => method.Body!.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<ReturnStatementSyntax>();

    private static bool ReturnsOnlyCompletedTask(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken)
    {
        var returns = ReturnStatements(method).ToList();
        return returns.Count > 0 && returns.All(r => r.Expression is { } value
            && model.GetSymbolInfo(value, cancellationToken).Symbol is IPropertySymbol { Name: "CompletedTask" } property
            && IsPlainTask(property.ContainingType, model));
    }

    /// <summary>A private, non-virtual void method whose every use in the solution is a call statement in non-async code.</summary>
    private static async Task<bool> VoidMethodMayBecomeTaskAsync(Solution solution, IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaredAccessibility != Accessibility.Private || method.IsVirtual || method.IsOverride || method.IsAbstract
            || method.IsAsync || method.MethodKind != MethodKind.Ordinary || !method.ExplicitInterfaceImplementations.IsEmpty
            || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || ImplementsInterfaceMember(method))
        {
            return false;
        }

        var references = await SymbolFinder.FindReferencesAsync(method, solution, cancellationToken).ConfigureAwait(false);
        foreach (var location in references.SelectMany(r => r.Locations))
        {
            var root = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var name = root?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
            var expression = name?.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            if (expression?.Parent is not InvocationExpressionSyntax call || call.Expression != expression
                || call.Parent is not ExpressionStatementSyntax statement
                || EnclosingFunction(statement) is not { } caller
                || IsAsync(caller))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsync(SyntaxNode function) => function switch
    {
        AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
        LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
        MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
        _ => true,
    };

    private static bool ImplementsInterfaceMember(IMethodSymbol method)
    {
        foreach (var iface in method.ContainingType.AllInterfaces)
        {
            foreach (var member in iface.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

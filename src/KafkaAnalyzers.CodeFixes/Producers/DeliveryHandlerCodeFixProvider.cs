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
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.CodeFixes.Producers;

/// <summary>
/// KAFKA004: add a delivery handler that surfaces failures, or (in an async method, outside loops) switch
/// to <c>await ProduceAsync</c>. KAFKA006: insert the error branch into the handler. Failures go to an
/// <c>ILogger</c> in scope at Error level, or are captured in a field of the type and thrown by the next
/// call (see <see cref="DeliveryFailureSurfacing"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeliveryHandlerCodeFixProvider))]
[Shared]
public sealed class DeliveryHandlerCodeFixProvider : CodeFixProvider
{
    public const string AddHandlerKey = "KAFKA004.AddHandler";
    public const string AwaitProduceAsyncKey = "KAFKA004.AwaitProduceAsync";
    public const string CheckErrorKey = "KAFKA006.CheckError";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA004", "KAFKA006");

    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) =>
            await ApplyAsync(document, diagnostics, context.CodeActionEquivalenceKey, context.CancellationToken).ConfigureAwait(false));

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
            foreach (var key in KeysFor(diagnostic))
            {
                if (Plan(root, model, diagnostic, key, context.CancellationToken) is not { } plan)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(plan.Title, ct => ApplyAsync(context.Document, new[] { diagnostic }, key, ct), key),
                    diagnostic);
            }
        }
    }

    /// <summary>The actions offered for a diagnostic, in the order the editor lists them.</summary>
    private static string[] KeysFor(Diagnostic diagnostic)
        => diagnostic.Id == "KAFKA004" ? new[] { AddHandlerKey, AwaitProduceAsyncKey } : new[] { CheckErrorKey };

    private static string RuleOf(string key) => key == CheckErrorKey ? "KAFKA006" : "KAFKA004";

    private static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, string? key, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var fields = new Dictionary<TypeDeclarationSyntax, (string Name, bool IsStatic, int Position)>();
        var needsLoggingUsing = false;
        var edited = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics.OrderByDescending(d => d.Location.SourceSpan.Start))
        {
            // dotnet format runs Fix All of this provider with one rule's key for all its rules, and with no key at
            // all when the first diagnostic it looked at belongs to another provider (it takes the first of every
            // rule it was asked to fix): such a diagnostic gets its own first action (the one the editor lists first).
            var plan = key is not null && diagnostic.Id == RuleOf(key)
                ? Plan(root, model, diagnostic, key, cancellationToken)
                : KeysFor(diagnostic).Select(k => Plan(root, model, diagnostic, k, cancellationToken)).FirstOrDefault(p => p is not null);
            if (plan is null || !edited.Add(plan.Edited))
            {
                continue;
            }

            plan.Apply(editor);
            needsLoggingUsing |= plan.NeedsLoggingUsing;
            if (plan.FieldOwner is { } owner && !fields.ContainsKey(owner))
            {
                fields[owner] = (plan.FieldName!, plan.FieldIsStatic, plan.Edited.SpanStart);
            }
        }

        foreach (var pair in fields)
        {
            var (name, isStatic, position) = pair.Value;
            var field = DeliveryFailureSurfacing.FailureField(model, position, name, isStatic).WithAdditionalAnnotations(Formatter.Annotation);
            var lastField = pair.Key.Members.LastOrDefault(m => m is FieldDeclarationSyntax);
            if (lastField is not null)
            {
                editor.InsertAfter(lastField, field);
            }
            else
            {
                // First member: keep a blank line between it and what follows.
                var newLine = DeliveryFailureSurfacing.NewLine(root);
                editor.InsertMembers(pair.Key, 0, new[] { field.WithTrailingTrivia(field.GetTrailingTrivia().Add(SyntaxFactory.EndOfLine(newLine))) });
            }
        }

        if (needsLoggingUsing && root is CompilationUnitSyntax unit
            && !unit.Usings.Any(u => u.Name?.ToString() == DeliveryFailureSurfacing.LoggingNamespace))
        {
            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(DeliveryFailureSurfacing.LoggingNamespace)).WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(unit, (current, _) => ((CompilationUnitSyntax)current).AddUsings(directive));
        }

        var changed = editor.GetChangedDocument();
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private sealed class FixPlan
    {
        public FixPlan(string title, SyntaxNode edited, System.Action<DocumentEditor> apply)
        {
            Title = title;
            Edited = edited;
            Apply = apply;
        }

        public string Title { get; }

        /// <summary>The node the fix rewrites (one fix per node in Fix All).</summary>
        public SyntaxNode Edited { get; }

        public System.Action<DocumentEditor> Apply { get; }

        public bool NeedsLoggingUsing { get; set; }

        public TypeDeclarationSyntax? FieldOwner { get; set; }

        public string? FieldName { get; set; }

        public bool FieldIsStatic { get; set; }
    }

    private static FixPlan? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, string key, CancellationToken cancellationToken)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return key switch
        {
            AddHandlerKey => PlanAddHandler(model, node, cancellationToken),
            AwaitProduceAsyncKey => PlanAwait(model, node, cancellationToken),
            CheckErrorKey => PlanCheckError(model, node, cancellationToken),
            _ => null,
        };
    }

    // ---- KAFKA004: add a handler ----------------------------------------------------------------

    private static FixPlan? PlanAddHandler(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (ProduceInvocation(node) is not { } invocation
            || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation { TargetMethod.ContainingType.TypeArguments.Length: 2 } operation)
        {
            return null;
        }

        var position = invocation.SpanStart;
        var types = operation.TargetMethod.ContainingType.TypeArguments;
        var report = DeliveryFailureSurfacing.UniqueName(model, position, "report");
        var logger = DeliveryFailureSurfacing.FindLogger(model, position);
        string? field = null;
        StatementSite? site = null;
        TypeDeclarationSyntax? owner = null;
        var isStatic = false;
        if (logger is null)
        {
            // Capture: a field of the type, and the check before the call so that the next call throws.
            owner = invocation.FirstAncestorOrSelf<TypeDeclarationSyntax>(t => t is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax);
            site = StatementSite.Of(OutermostCall(invocation));
            if (owner is null || site is null || model.GetDeclaredSymbol(owner, cancellationToken) is not { } type)
            {
                return null;
            }

            field = DeliveryFailureSurfacing.FailureFieldName(type);
            isStatic = DeliveryFailureSurfacing.IsStaticContext(model, position);
            if (DeliveryFailureSurfacing.HasFailureField(type, field))
            {
                owner = null; // already there: reuse it
            }
        }

        var surface = DeliveryFailureSurfacing.SurfaceReport(model, position, report, logger, field, types[0], types[1]);
        var handler = DeliveryFailureSurfacing.Elastic(SyntaxFactory.ParseExpression($$"""
            {{report}} =>
            {
                if ({{report}}.Error.IsError)
                {
                    {{surface}}
                }
            }
            """));
        var newLine = DeliveryFailureSurfacing.NewLine(invocation.SyntaxTree.GetRoot(cancellationToken));
        var check = field is null ? null : DeliveryFailureSurfacing.StatementThenBlankLine(DeliveryFailureSurfacing.ThrowIfCaptured(model, position, field), newLine);
        var title = logger is null
            ? "Add a delivery handler that captures failures and throws them on the next call"
            : $"Add a delivery handler that logs failures to '{logger}'";
        return new FixPlan(title, invocation, editor =>
        {
            editor.ReplaceNode(invocation, (current, _) => WithHandler((InvocationExpressionSyntax)current, handler));
            if (check is not null)
            {
                site!.Surround(editor, new[] { check }, System.Array.Empty<StatementSyntax>());
            }
        })
        {
            NeedsLoggingUsing = logger is not null && !DeliveryFailureSurfacing.LogErrorInScope(model, position),
            FieldOwner = owner,
            FieldName = field,
            FieldIsStatic = isStatic,
        };
    }

    /// <summary>Replaces a <c>null</c>/<c>default</c> handler argument, or appends the handler.</summary>
    private static InvocationExpressionSyntax WithHandler(InvocationExpressionSyntax invocation, ExpressionSyntax handler)
    {
        var arguments = invocation.ArgumentList.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if ((argument.NameColon?.Name.Identifier.Text == "deliveryHandler" || (argument.NameColon is null && i == 2))
                && argument.Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression or (int)SyntaxKind.DefaultLiteralExpression } or DefaultExpressionSyntax)
            {
                return invocation.WithArgumentList(invocation.ArgumentList.WithArguments(arguments.Replace(argument, argument.WithExpression(handler.WithTriviaFrom(argument.Expression)))));
            }
        }

        var named = arguments.Any(a => a.NameColon is not null);
        var added = named
            ? SyntaxFactory.Argument(SyntaxFactory.NameColon("deliveryHandler"), default, handler)
            : SyntaxFactory.Argument(handler);
        return invocation.WithArgumentList(invocation.ArgumentList.AddArguments(added));
    }

    // ---- KAFKA004: await ProduceAsync ----------------------------------------------------------

    private static FixPlan? PlanAwait(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (ProduceInvocation(node) is not { Expression: MemberAccessExpressionSyntax access } invocation
            || invocation.Parent is not ExpressionStatementSyntax
            || !IsInAsyncFunctionOutsideLoops(invocation))
        {
            return null;
        }

        return new FixPlan("Await ProduceAsync instead", invocation, editor =>
            editor.ReplaceNode(invocation, (current, _) =>
            {
                var call = (InvocationExpressionSyntax)current;
                var member = (MemberAccessExpressionSyntax)call.Expression;
                var arguments = SyntaxFactory.SeparatedList(call.ArgumentList.Arguments.Where((a, i) => !(a.NameColon?.Name.Identifier.Text == "deliveryHandler" || (a.NameColon is null && i == 2))));
                var asyncCall = call.WithExpression(member.WithName(SyntaxFactory.IdentifierName("ProduceAsync").WithTriviaFrom(member.Name)))
                    .WithArgumentList(call.ArgumentList.WithArguments(arguments))
                    .WithoutTrivia();
                return SyntaxFactory.AwaitExpression(asyncCall).WithTriviaFrom(call);
            }));
    }

    private static bool IsInAsyncFunctionOutsideLoops(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or LockStatementSyntax or UnsafeStatementSyntax:
                    return false;
                case AnonymousFunctionExpressionSyntax function:
                    return function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    // ---- KAFKA006: error branch -----------------------------------------------------------------

    private static FixPlan? PlanCheckError(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        var expression = node as ExpressionSyntax ?? (node as ArgumentSyntax)?.Expression;
        if (expression is null)
        {
            return null;
        }

        SyntaxNode? function = expression switch
        {
            AnonymousFunctionExpressionSyntax anonymous => anonymous,
            _ => model.GetSymbolInfo(expression, cancellationToken).Symbol is IMethodSymbol { Parameters.Length: 1 } method
                 && method.DeclaringSyntaxReferences.Length == 1
                 && method.DeclaringSyntaxReferences[0].SyntaxTree == expression.SyntaxTree
                    ? method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken)
                    : null,
        };
        if (function is null)
        {
            return null;
        }

        var symbol = function is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(function, cancellationToken).Symbol
            : model.GetDeclaredSymbol(function, cancellationToken);
        if (symbol is not IMethodSymbol { Parameters.Length: 1 } handler
            || handler.Parameters[0].Type is not INamedTypeSymbol { TypeArguments.Length: 2 } reportType)
        {
            return null;
        }

        var bodyPosition = BodyPosition(function);
        if (bodyPosition < 0)
        {
            return null;
        }

        var parameter = handler.Parameters[0];
        var rename = parameter.Name == "_";
        var report = rename ? DeliveryFailureSurfacing.UniqueName(model, bodyPosition, "report") : parameter.Name;
        var logger = DeliveryFailureSurfacing.FindLogger(model, bodyPosition);
        string? field = null;
        StatementSite? site = null;
        TypeDeclarationSyntax? owner = null;
        var isStatic = false;
        if (logger is null)
        {
            // Capture only for a handler written at the call: the check goes before that call.
            if (function is not AnonymousFunctionExpressionSyntax
                || function.Parent is not ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax produce }
                || (site = StatementSite.Of(OutermostCall(produce))) is null
                || (owner = function.FirstAncestorOrSelf<TypeDeclarationSyntax>(t => t is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax)) is null
                || model.GetDeclaredSymbol(owner, cancellationToken) is not { } type)
            {
                return null;
            }

            field = DeliveryFailureSurfacing.FailureFieldName(type);
            isStatic = DeliveryFailureSurfacing.IsStaticContext(model, produce.SpanStart);
            if (DeliveryFailureSurfacing.HasFailureField(type, field))
            {
                owner = null;
            }
        }

        var surface = DeliveryFailureSurfacing.SurfaceReport(model, bodyPosition, report, logger, field, reportType.TypeArguments[0], reportType.TypeArguments[1]);
        var branch = DeliveryFailureSurfacing.StatementThenBlankLine($$"""
            if ({{report}}.Error.IsError)
            {
                {{surface}}
                return;
            }
            """, DeliveryFailureSurfacing.NewLine(function.SyntaxTree.GetRoot(cancellationToken)));
        var check = field is null ? null : DeliveryFailureSurfacing.StatementThenBlankLine(DeliveryFailureSurfacing.ThrowIfCaptured(model, site!.Anchor.SpanStart, field), DeliveryFailureSurfacing.NewLine(function.SyntaxTree.GetRoot(cancellationToken)));
        var title = logger is null
            ? "Check report.Error: capture failures and throw them on the next call"
            : $"Check report.Error and log failures to '{logger}'";
        return new FixPlan(title, function, editor =>
        {
            editor.ReplaceNode(function, (current, _) => InsertBranch(current, branch, rename ? report : null));
            if (check is not null)
            {
                site!.Surround(editor, new[] { check }, System.Array.Empty<StatementSyntax>());
            }
        })
        {
            NeedsLoggingUsing = logger is not null && !DeliveryFailureSurfacing.LogErrorInScope(model, bodyPosition),
            FieldOwner = owner,
            FieldName = field,
            FieldIsStatic = isStatic,
        };
    }

    private static int BodyPosition(SyntaxNode function) => function switch
    {
        AnonymousFunctionExpressionSyntax { Block: { } block } => block.OpenBraceToken.Span.End,
        AnonymousFunctionExpressionSyntax { ExpressionBody: { } expression } => expression.SpanStart,
        BaseMethodDeclarationSyntax { Body: { } body } => body.OpenBraceToken.Span.End,
        BaseMethodDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression.SpanStart,
        LocalFunctionStatementSyntax { Body: { } body } => body.OpenBraceToken.Span.End,
        LocalFunctionStatementSyntax { ExpressionBody: { } arrow } => arrow.Expression.SpanStart,
        _ => -1,
    };

    private static SyntaxNode InsertBranch(SyntaxNode current, StatementSyntax branch, string? renameTo)
    {
        switch (current)
        {
            case SimpleLambdaExpressionSyntax simple:
                if (renameTo is not null)
                {
                    simple = simple.WithParameter(simple.Parameter.WithIdentifier(SyntaxFactory.Identifier(renameTo).WithTriviaFrom(simple.Parameter.Identifier)));
                }

                return WithBranch(simple, branch);
            case ParenthesizedLambdaExpressionSyntax parenthesized:
                if (renameTo is not null)
                {
                    var only = parenthesized.ParameterList.Parameters[0];
                    parenthesized = parenthesized.WithParameterList(parenthesized.ParameterList.WithParameters(
                        parenthesized.ParameterList.Parameters.Replace(only, only.WithIdentifier(SyntaxFactory.Identifier(renameTo).WithTriviaFrom(only.Identifier)))));
                }

                return WithBranch(parenthesized, branch);
            case AnonymousMethodExpressionSyntax anonymous when anonymous.Block is { } block:
                if (renameTo is not null && anonymous.ParameterList is { } list)
                {
                    var only = list.Parameters[0];
                    anonymous = anonymous.WithParameterList(list.WithParameters(list.Parameters.Replace(only, only.WithIdentifier(SyntaxFactory.Identifier(renameTo).WithTriviaFrom(only.Identifier)))));
                    block = anonymous.Block;
                }

                return anonymous.WithBlock(block.WithStatements(block.Statements.Insert(0, branch)));
            case MethodDeclarationSyntax { Body: { } body } method:
                return method.WithBody(body.WithStatements(body.Statements.Insert(0, branch)));
            case MethodDeclarationSyntax { ExpressionBody: { } arrow } method:
                return method.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(SyntaxFactory.Block(branch, SyntaxFactory.ExpressionStatement(arrow.Expression.WithoutTrivia())))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            case LocalFunctionStatementSyntax { Body: { } body } local:
                return local.WithBody(body.WithStatements(body.Statements.Insert(0, branch)));
            case LocalFunctionStatementSyntax { ExpressionBody: { } arrow } local:
                return local.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(SyntaxFactory.Block(branch, SyntaxFactory.ExpressionStatement(arrow.Expression.WithoutTrivia())))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            default:
                return current;
        }
    }

    private static LambdaExpressionSyntax WithBranch(LambdaExpressionSyntax lambda, StatementSyntax branch)
    {
        if (lambda.Block is { } block)
        {
            return lambda.WithBlock(block.WithStatements(block.Statements.Insert(0, branch)));
        }

        var expression = lambda.ExpressionBody!;
        return lambda.WithExpressionBody(null)
            .WithBlock(SyntaxFactory.Block(branch, SyntaxFactory.ExpressionStatement(expression.WithoutTrivia())).WithTriviaFrom(expression))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    // ---- shared -------------------------------------------------------------------------------

    /// <summary>The <c>Produce(...)</c> invocation at the diagnostic (inside <c>p?.Produce(...)</c> too).</summary>
    private static InvocationExpressionSyntax? ProduceInvocation(SyntaxNode node)
    {
        if (node is ConditionalAccessExpressionSyntax access)
        {
            node = access.WhenNotNull;
        }

        return node as InvocationExpressionSyntax ?? node.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
    }

    /// <summary>The expression a statement holds: the call itself or the <c>?.</c> access around it.</summary>
    private static ExpressionSyntax OutermostCall(InvocationExpressionSyntax invocation)
        => invocation.Parent is ConditionalAccessExpressionSyntax access && access.WhenNotNull == invocation ? access : invocation;
}

using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Catch-body classification, the one place rules learn what a catch clause catches and what its body
/// does (rethrow, produce elsewhere, dead-letter, seek, stop, or only log/count/ignore), following
/// calls into the project through <see cref="ProjectCalls"/>. Whether the surrounding loop goes on
/// after the catch is a question for the loop (<see cref="ConsumeLoop.ContinuesAfter"/>).
/// </summary>
internal sealed class CatchClause
{
    private CatchClause(ICatchClauseOperation clause, ITryOperation @try)
    {
        Clause = clause;
        Try = @try;
    }

    public ICatchClauseOperation Clause { get; }

    public ITryOperation Try { get; }

    /// <summary>What the handler block does, project calls followed.</summary>
    public BodyEffects Body { get; private set; }

    /// <summary>What the <c>when</c> filter does (None without a filter).</summary>
    public BodyEffects Filter { get; private set; }

    /// <summary>What the protected block does, project calls followed.</summary>
    public BodyEffects Protected { get; private set; }

    /// <summary>Catches failures of message processing: not only <c>ConsumeException</c>/<c>KafkaException</c>/<c>OperationCanceledException</c> (and types derived from them).</summary>
    public bool CatchesProcessingFailures { get; private set; }

    /// <summary>Catches <c>ConsumeException</c> or <c>KafkaException</c> by name (the KAFKA107 shape).</summary>
    public bool CatchesKafkaErrors { get; private set; }

    /// <summary>Would catch an <c>OperationCanceledException</c>: the cancellation path runs through it.</summary>
    public bool CatchesCancellation { get; private set; }

    /// <summary>The filter or body reads <c>Error.IsFatal</c> (also through a project call the exception is passed to).</summary>
    public bool ChecksFatal => (Body | Filter).Has(BodyEffects.ChecksFatal);

    /// <summary>The filter calls something other than logging or type tests: which failures it catches is unknown.</summary>
    public bool HasOpaqueFilter => Filter.Has(BodyEffects.Unknown);

    /// <summary>The protected block does work beyond consuming, logging and offset bookkeeping.</summary>
    public bool ProtectsProcessing { get; private set; }

    /// <summary>The <c>break</c>, <c>continue</c>, <c>goto</c> and <c>return</c> statements of the handler (not inside lambdas).</summary>
    public ImmutableArray<IOperation> Jumps { get; private set; } = ImmutableArray<IOperation>.Empty;

    /// <summary>Locals, fields and properties the handler assigns (a stop flag the loop condition reads, for one).</summary>
    public ImmutableArray<ISymbol> Assigned { get; private set; } = ImmutableArray<ISymbol>.Empty;

    /// <summary>The handler only logs/prints/counts/waits/ignores: no rethrow, produce, dead letter, seek, stop or unknown call.</summary>
    public bool OnlyLogs => Body.OnlyLogs() && !HasOpaqueFilter;

    /// <summary>Where a diagnostic about the clause goes: <c>catch (T e)</c>, or the <c>catch</c> keyword of a bare catch.</summary>
    public Location Location
        => Clause.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.CatchClauseSyntax syntax
            ? (syntax.Declaration is { } declaration
                ? Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, declaration.Span.End))
                : syntax.CatchKeyword.GetLocation())
            : Clause.Syntax.GetLocation();

    /// <summary>
    /// What runs after the try statement, up to <paramref name="boundary"/> (the loop or the handler body):
    /// the statements following it in each enclosing block. <paramref name="inRetryLoop"/> is true when a
    /// loop lies between the try and the boundary (the catch is inside a retry loop of the iteration).
    /// </summary>
    public BodyEffects EffectsAfter(IOperation boundary, ProjectCalls calls, out bool inRetryLoop)
    {
        inRetryLoop = false;
        var effects = BodyEffects.None;
        IOperation child = Try;
        for (var parent = Try.Parent; parent is not null && parent != boundary; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (parent is ILoopOperation)
            {
                inRetryLoop = true;
            }

            if (parent is IBlockOperation block)
            {
                var after = false;
                foreach (var statement in block.Operations)
                {
                    if (after)
                    {
                        effects |= calls.Summarize(statement);
                    }
                    else if (statement == child)
                    {
                        after = true;
                    }
                }
            }
        }

        return effects;
    }

    /// <summary>
    /// The failed message is skipped for good: the handler only logs, nothing after the try (in the loop
    /// iteration or the handler, up to <paramref name="boundary"/>) dead-letters, rethrows, seeks or stops
    /// (nor, after a retry loop, produces or calls what the model cannot see).
    /// </summary>
    public bool SkipsFailedMessage(IOperation boundary, ProjectCalls calls)
    {
        if (!OnlyLogs)
        {
            return false;
        }

        var after = EffectsAfter(boundary, calls, out var inRetryLoop);
        var rescues = BodyEffects.DeadLetters | BodyEffects.Throws | BodyEffects.Seeks | BodyEffects.Stops;
        if (inRetryLoop)
        {
            rescues |= BodyEffects.Produces | BodyEffects.Unknown;
        }

        return (after & rescues) == 0;
    }

    public static CatchClause Analyze(ICatchClauseOperation clause, KafkaSymbols symbols, ProjectCalls calls)
    {
        var @try = (ITryOperation)clause.Parent!;
        var flow = symbols.Flow;
        var result = new CatchClause(clause, @try)
        {
            Body = calls.Summarize(clause.Handler),
            Filter = clause.Filter is null ? BodyEffects.None : calls.Summarize(clause.Filter),
            Protected = calls.Summarize(@try.Body),
        };

        var caught = clause.ExceptionType;
        var isKafka = IsKafkaError(caught, flow);
        var isCancellation = FlowSymbols.InheritsFrom(caught, flow.OperationCanceledException);
        result.CatchesKafkaErrors = isKafka && !SymbolEqualityComparer.Default.Equals(caught, flow.Exception);
        result.CatchesProcessingFailures = !isKafka && !isCancellation && !FiltersOutProcessingFailures(clause, flow);
        result.CatchesCancellation = FlowSymbols.InheritsFrom(flow.OperationCanceledException, caught as INamedTypeSymbol) || isCancellation;
        result.ProtectsProcessing = ProtectsWork(@try.Body, symbols);

        var jumps = ImmutableArray.CreateBuilder<IOperation>();
        var assigned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        Collect(clause.Handler, jumps, assigned);
        result.Jumps = jumps.ToImmutable();
        result.Assigned = assigned.ToImmutableArray();
        return result;
    }

    /// <summary>ConsumeException, KafkaException or a type derived from them (Confluent's error types).</summary>
    private static bool IsKafkaError(ITypeSymbol? caught, FlowSymbols flow)
        => FlowSymbols.InheritsFrom(caught, flow.KafkaException);

    /// <summary><c>when (e is ConsumeException)</c>-style filters that narrow a general catch to Kafka or cancellation errors.</summary>
    private static bool FiltersOutProcessingFailures(ICatchClauseOperation clause, FlowSymbols flow)
    {
        if (clause.Filter?.WalkDownConversions() is not { } filter)
        {
            return false;
        }

        foreach (var operation in filter.DescendantsAndSelf())
        {
            if (operation is IIsTypeOperation { IsNegated: false } isType
                && (FlowSymbols.InheritsFrom(isType.TypeOperand, flow.KafkaException) || FlowSymbols.InheritsFrom(isType.TypeOperand, flow.OperationCanceledException))
                && filter == isType)
            {
                return true;
            }

            if (operation is IIsPatternOperation { Pattern: ITypePatternOperation or IDeclarationPatternOperation } pattern && filter == pattern
                && pattern.Pattern.NarrowedType is { } narrowed
                && (FlowSymbols.InheritsFrom(narrowed, flow.KafkaException) || FlowSymbols.InheritsFrom(narrowed, flow.OperationCanceledException)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The protected block calls something that is neither a consumer/producer call nor logging: message processing.</summary>
    private static bool ProtectsWork(IOperation body, KafkaSymbols symbols)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation invocation)
            {
                var receiver = invocation.Instance?.Type;
                if (receiver is not null && (ConsumerModel.IsConsumer(symbols, receiver) || KafkaSymbols.ImplementsGeneric(receiver, symbols.IProducer)))
                {
                    continue;
                }

                if (!IsLoggingOrFormatting(invocation.TargetMethod))
                {
                    return true;
                }
            }
            else if (operation is IObjectCreationOperation or IAwaitOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLoggingOrFormatting(IMethodSymbol method)
    {
        var ns = method.ContainingType?.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns.StartsWith("Microsoft.Extensions.Logging", System.StringComparison.Ordinal)
               || ns.StartsWith("System.Diagnostics", System.StringComparison.Ordinal)
               || method.ContainingType?.SpecialType == SpecialType.System_String
               || method.ContainingType?.Name == "Console"
               || method.Name is "ToString" or "GetType";
    }

    private static void Collect(IOperation operation, ImmutableArray<IOperation>.Builder jumps, HashSet<ISymbol> assigned)
    {
        foreach (var child in operation.ChildOperations)
        {
            switch (child)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case IBranchOperation or IReturnOperation { Kind: OperationKind.Return }:
                    jumps.Add(child);
                    break;
                case IAssignmentOperation assignment when ConsumerModel.HolderOf(assignment.Target) is { } target:
                    assigned.Add(target);
                    break;
            }

            Collect(child, jumps, assigned);
        }
    }
}

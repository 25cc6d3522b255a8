using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The consume loops and message handlers of one type: which loops call <c>Consume</c> (directly or
/// through a poll method of the type), the results they consume and where those go (processed inline,
/// handed off, committed, stored, sought), and the catch clauses around processing with what each does.
/// Rules ask this model; they never walk loop bodies themselves.
/// </summary>
internal sealed class ConsumeLoopModel
{
    /// <summary>How many levels of same-type calls separate a loop from the method that consumes.</summary>
    private const int MaxPollDepth = 2;

    private static readonly ConsumeLoopModel Empty = new(ImmutableArray<ConsumeLoop>.Empty, ImmutableArray<MessageHandler>.Empty);

    private ConsumeLoopModel(ImmutableArray<ConsumeLoop> loops, ImmutableArray<MessageHandler> handlers)
    {
        Loops = loops;
        Handlers = handlers;
    }

    public ImmutableArray<ConsumeLoop> Loops { get; }

    public ImmutableArray<MessageHandler> Handlers { get; }

    /// <summary>The innermost consume loop whose iteration contains <paramref name="operation"/>.</summary>
    public ConsumeLoop? LoopContaining(IOperation operation)
    {
        ConsumeLoop? best = null;
        foreach (var loop in Loops)
        {
            if (loop.Contains(operation) && (best is null || IsInside(loop.Loop, best.Loop)))
            {
                best = loop;
            }
        }

        return best;
    }

    public static ConsumeLoopModel Create(KafkaSymbols symbols, OperationIndex index, ConsumerModel consumers, ProjectCalls calls, CancellationToken cancellationToken)
    {
        var consumes = consumers.Calls.Where(c => c.Method == ConsumerMethod.Consume).ToList();
        var handlers = FindHandlers(symbols, index, calls, cancellationToken);
        if (consumes.Count == 0)
        {
            return handlers.IsEmpty ? Empty : new ConsumeLoopModel(ImmutableArray<ConsumeLoop>.Empty, handlers);
        }

        var builders = new Dictionary<ILoopOperation, LoopBuilder>();
        foreach (var consume in consumes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var loops = EnclosingLoops(consume.Invocation);
            if (loops.Count > 0)
            {
                foreach (var loop in loops)
                {
                    Builder(builders, index, loop).Consumes.Add(consume);
                }

                continue;
            }

            // Consume outside any loop of its function: the loops of the type calling that function are consume loops.
            foreach (var (loop, pollMethod) in CallingLoops(index, consume.Invocation, depth: 1, cancellationToken))
            {
                var builder = Builder(builders, index, loop);
                builder.Consumes.Add(consume);
                if (!builder.PollMethods.Contains(pollMethod, SymbolEqualityComparer.Default))
                {
                    builder.PollMethods.Add(pollMethod);
                }
            }
        }

        var result = ImmutableArray.CreateBuilder<ConsumeLoop>();
        foreach (var builder in builders.Values.OrderBy(b => b.Loop.Syntax.SpanStart))
        {
            result.Add(Build(symbols, index, calls, builder, builders.Keys, cancellationToken));
        }

        var loopsBuilt = result.ToImmutable();
        foreach (var loop in loopsBuilt)
        {
            loop.Outer = loopsBuilt.Where(o => o != loop && IsInside(loop.Loop, o.Loop)).OrderByDescending(o => o.Loop.Syntax.SpanStart).FirstOrDefault();
        }

        return new ConsumeLoopModel(loopsBuilt, MarkCalledFromLoops(handlers, loopsBuilt, index, cancellationToken));
    }

    // ---- loops ------------------------------------------------------------------------------------

    private sealed class LoopBuilder
    {
        public LoopBuilder(ILoopOperation loop) => Loop = loop;

        public ILoopOperation Loop { get; }

        public List<ConsumerCall> Consumes { get; } = new();

        public List<IMethodSymbol> PollMethods { get; } = new();
    }

    private static LoopBuilder Builder(Dictionary<ILoopOperation, LoopBuilder> builders, OperationIndex index, ILoopOperation loop)
    {
        if (!builders.TryGetValue(loop, out var builder))
        {
            builders[loop] = builder = new LoopBuilder(loop);
        }

        return builder;
    }

    /// <summary>The loops around an operation within its own function, innermost first.</summary>
    private static List<ILoopOperation> EnclosingLoops(IOperation operation)
    {
        var loops = new List<ILoopOperation>();
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (parent is ILoopOperation loop)
            {
                loops.Add(loop);
            }
        }

        return loops;
    }

    /// <summary>Loops of the type that call the method containing <paramref name="operation"/> (up to <see cref="MaxPollDepth"/> levels).</summary>
    private static IEnumerable<(ILoopOperation Loop, IMethodSymbol PollMethod)> CallingLoops(OperationIndex index, IOperation operation, int depth, CancellationToken cancellationToken)
    {
        if (operation.EnclosingFunction() is not null || index.OwnerOf(operation) is not IMethodSymbol method)
        {
            yield break;
        }

        foreach (var invocation in index.Invocations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition))
            {
                continue;
            }

            var loops = EnclosingLoops(invocation);
            if (loops.Count > 0)
            {
                yield return (loops[0], method);
            }
            else if (depth < MaxPollDepth)
            {
                foreach (var (loop, _) in CallingLoops(index, invocation, depth + 1, cancellationToken))
                {
                    yield return (loop, method);
                }
            }
        }
    }

    private static ConsumeLoop Build(KafkaSymbols symbols, OperationIndex index, ProjectCalls calls, LoopBuilder builder, IEnumerable<ILoopOperation> allLoops, CancellationToken cancellationToken)
    {
        var loop = builder.Loop;
        var model = new ConsumeLoop(loop, index.OwnerOf(loop), loop.EnclosingFunction());
        var roots = ImmutableArray.CreateBuilder<IOperation>();
        roots.Add(loop);
        foreach (var poll in builder.PollMethods)
        {
            foreach (var invocation in index.Invocations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (index.OwnerOf(invocation) is IMethodSymbol owner
                    && SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, poll.OriginalDefinition)
                    && invocation.EnclosingFunction() is null)
                {
                    var root = OperationIndex.Root(invocation);
                    if (!roots.Contains(root))
                    {
                        roots.Add(root);
                    }
                }
            }

            foreach (var consume in builder.Consumes)
            {
                var root = OperationIndex.Root(consume.Invocation);
                if (!roots.Contains(root))
                {
                    roots.Add(root);
                }
            }
        }

        model.IterationRoots = roots.ToImmutable();
        model.ConsumeCalls = builder.Consumes.ToImmutableArray();
        model.PollMethods = builder.PollMethods.ToImmutableArray();
        var instances = builder.Consumes.Select(c => c.Instance).Distinct().ToList();
        model.Instance = instances.Count == 1 ? instances[0] : null;
        model.ConditionSymbols = ConditionSymbols(loop);
        model.RunsUntilStopped = IsUnbounded(loop);

        // Nested consume loops own their catches and results.
        var nested = allLoops.Where(other => other != loop && IsInside(other, loop)).ToList();
        bool Own(IOperation operation) => !nested.Any(n => IsInside(operation, n));

        var catches = ImmutableArray.CreateBuilder<CatchClause>();
        var handOffs = ImmutableArray.CreateBuilder<HandOff>();
        foreach (var root in model.IterationRoots)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!Own(operation))
                {
                    continue;
                }

                if (operation is ICatchClauseOperation clause)
                {
                    catches.Add(CatchClause.Analyze(clause, symbols, calls));
                }
                else if (operation is IInvocationOperation or IObjectCreationOperation && HandOff.Recognize(operation, symbols.Flow, index) is { } handOff)
                {
                    handOffs.Add(handOff);
                }
            }
        }

        model.Catches = catches.ToImmutable();
        model.HandOffs = handOffs.ToImmutable();
        model.Results = builder.Consumes
            .Where(c => Own(c.Invocation))
            .Select(c => Result(symbols, index, model, c, cancellationToken))
            .ToImmutableArray();
        return model;
    }

    private static ImmutableArray<ISymbol> ConditionSymbols(ILoopOperation loop)
    {
        var condition = loop switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };
        if (condition is null)
        {
            return ImmutableArray<ISymbol>.Empty;
        }

        var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (ConsumerModel.HolderOf(operation) is { } symbol && operation is not IParameterReferenceOperation)
            {
                symbols.Add(symbol);
            }
        }

        return symbols.ToImmutableArray();
    }

    /// <summary>No condition, a constant true one, or one that only checks a cancellation token: the loop ends by a jump or an exception.</summary>
    public static bool IsUnbounded(ILoopOperation loop)
    {
        var condition = loop switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => loop is IForEachLoopOperation ? (IOperation?)loop : null,
        };
        if (condition is null)
        {
            return true;
        }

        if (condition is IForEachLoopOperation)
        {
            return false;
        }

        condition = condition.WalkDownConversions();
        if (condition.ConstantValue is { HasValue: true, Value: true })
        {
            return true;
        }

        if (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            condition = not.Operand.WalkDownConversions();
        }

        return condition is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" };
    }

    // ---- results ----------------------------------------------------------------------------------

    private static ConsumedResult Result(KafkaSymbols symbols, OperationIndex index, ConsumeLoop loop, ConsumerCall consume, CancellationToken cancellationToken)
    {
        var variable = ResultVariable(consume.Invocation);
        if (variable is null)
        {
            return new ConsumedResult(consume, null, ImmutableArray<ILocalSymbol>.Empty, ImmutableArray<ResultUse>.Empty);
        }

        var tracked = new List<ILocalSymbol> { variable };
        var derived = new List<ILocalSymbol>();
        for (var i = 0; i < tracked.Count; i++)
        {
            foreach (var reference in index.ReferencesTo(tracked[i]))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!loop.Contains(reference) || DerivedLocal(reference) is not { } next)
                {
                    continue;
                }

                if (!tracked.Contains(next, SymbolEqualityComparer.Default))
                {
                    tracked.Add(next);
                    derived.Add(next);
                }
            }
        }

        var uses = ImmutableArray.CreateBuilder<ResultUse>();
        foreach (var local in tracked)
        {
            foreach (var reference in index.ReferencesTo(local))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (loop.Contains(reference) && !IsWrite(reference) && Use(symbols, index, loop, reference) is { } use)
                {
                    uses.Add(use);
                }
            }
        }

        return new ConsumedResult(
            consume,
            variable,
            derived.ToImmutableArray(),
            uses.OrderBy(u => u.Reference.Syntax.SpanStart).ToImmutableArray());
    }

    /// <summary><c>var r = consumer.Consume(..)</c>, <c>r = consumer.Consume(..)</c>, <c>consumer.Consume(..) is { } r</c>.</summary>
    private static ILocalSymbol? ResultVariable(IInvocationOperation consume)
    {
        var parent = consume.ParentIgnoringConversions(out var child);
        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == child => local.Local,
            IIsPatternOperation { Pattern: IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } } => declared,
            IIsPatternOperation { Pattern: IRecursivePatternOperation { DeclaredSymbol: ILocalSymbol declared } } => declared,
            _ => null,
        };
    }

    /// <summary>The local a reference's value flows into: <c>var x = f(r.Message.Value)</c>, <c>x = r.Message</c>.</summary>
    private static ILocalSymbol? DerivedLocal(IOperation reference)
    {
        for (var parent = reference.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return declarator.Symbol;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local }:
                    return local.Local;
                case IForEachLoopOperation forEach when forEach.LoopControlVariable is IVariableDeclaratorOperation control:
                    return control.Symbol;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IExpressionStatementOperation or IBlockOperation:
                    return null;
                case IAwaitOperation or IConversionOperation or IPropertyReferenceOperation or IFieldReferenceOperation or IInvocationOperation or IObjectCreationOperation or IArgumentOperation
                    or IConditionalAccessOperation or IConditionalAccessInstanceOperation or ICoalesceOperation or IParenthesizedOperation or IInterpolatedStringOperation or IInterpolationOperation
                    or IBinaryOperation or IArrayElementReferenceOperation or IObjectOrCollectionInitializerOperation or IMemberInitializerOperation or ISimpleAssignmentOperation
                    or IAnonymousObjectCreationOperation or ITupleOperation:
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    private static bool IsWrite(IOperation reference)
        => reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    private static ResultUse? Use(KafkaSymbols symbols, OperationIndex index, ConsumeLoop loop, IOperation reference)
    {
        // Work handed to another thread: the outermost lambda inside the iteration that a hand-off runs.
        IOperation? outermostWork = null;
        for (var parent = reference.Parent; parent is not null; parent = parent.Parent)
        {
            if (loop.IterationRoots.Contains(parent))
            {
                break;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                outermostWork = parent;
            }
        }

        if (outermostWork is not null && HandOffRunning(symbols, index, outermostWork) is { } lambdaHandOff)
        {
            return new ResultUse(reference, ResultUseKind.HandedOff, lambdaHandOff.Operation, lambdaHandOff);
        }

        // The call the value reaches: as an argument, or as the receiver of a member chain.
        var current = reference;
        for (var parent = reference.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation or IPropertyReferenceOperation or IFieldReferenceOperation
                    or IConditionalAccessInstanceOperation or IArrayElementReferenceOperation or IArrayInitializerOperation or IArrayCreationOperation:
                    continue;
                case IConditionalAccessOperation access when access.Operation == current:
                    continue;
                case IArgumentOperation:
                    continue;
                case IInvocationOperation invocation:
                    return CallUse(symbols, index, loop, reference, invocation);
                case IObjectCreationOperation creation:
                    return HandOff.Recognize(creation, symbols.Flow, index) is { } created
                        ? new ResultUse(reference, ResultUseKind.HandedOff, creation, created)
                        : new ResultUse(reference, ResultUseKind.Processed, creation);
                case IReturnOperation:
                    return new ResultUse(reference, ResultUseKind.Returned, parent);
                case IBinaryOperation or IIsPatternOperation or IIsTypeOperation or IInterpolationOperation
                    or IInterpolatedStringOperation or IVariableInitializerOperation or ISimpleAssignmentOperation or IConditionalOperation:
                    return new ResultUse(reference, ResultUseKind.Inspected, parent);
                default:
                    return new ResultUse(reference, ResultUseKind.Processed, parent);
            }
        }

        return null;
    }

    private static ResultUse CallUse(KafkaSymbols symbols, OperationIndex index, ConsumeLoop loop, IOperation reference, IInvocationOperation invocation)
    {
        var flow = symbols.Flow;
        if (invocation.Instance is { } receiver && ConsumerModel.IsConsumer(symbols, receiver.Type))
        {
            var method = ConsumerCall.Classify(invocation.TargetMethod.Name);
            var call = new ConsumerCall(invocation, method, ConsumerModel.HolderOf(receiver));
            return method switch
            {
                ConsumerMethod.Commit or ConsumerMethod.StoreOffset => new ResultUse(reference, ResultUseKind.MarkedDone, invocation, call: call),
                ConsumerMethod.Seek => new ResultUse(reference, ResultUseKind.Sought, invocation, call: call),
                _ => new ResultUse(reference, ResultUseKind.Inspected, invocation, call: call),
            };
        }

        if (HandOff.Recognize(invocation, flow, index) is { } handOff)
        {
            // A value passed to a hand-off (a queued item, a thread-pool state object) goes with the work.
            return handOff.RunsConcurrently
                ? new ResultUse(reference, ResultUseKind.HandedOff, invocation, handOff)
                : new ResultUse(reference, ResultUseKind.Processed, invocation);
        }

        if (IsLogging(invocation.TargetMethod))
        {
            return new ResultUse(reference, ResultUseKind.Inspected, invocation);
        }

        if (IsCollectionAdd(invocation, reference))
        {
            return new ResultUse(reference, ResultUseKind.Collected, invocation);
        }

        if (HandOff.AsyncCall(invocation, flow, index) is { } asyncCall)
        {
            return new ResultUse(reference, ResultUseKind.HandedOff, invocation, asyncCall);
        }

        return new ResultUse(reference, ResultUseKind.Processed, invocation);
    }

    /// <summary>The hand-off running <paramref name="work"/> (a lambda or local function of the iteration), when it runs concurrently.</summary>
    private static HandOff? HandOffRunning(KafkaSymbols symbols, OperationIndex index, IOperation work)
    {
        var parent = work.ParentIgnoringConversions(out _);
        if (parent is IDelegateCreationOperation delegateCreation)
        {
            parent = delegateCreation.ParentIgnoringConversions(out _);
        }

        if (parent is IArgumentOperation { Parent: { } call }
            && HandOff.Recognize(call, symbols.Flow, index) is { RunsConcurrently: true } handOff)
        {
            return handOff;
        }

        return null;
    }

    /// <summary><c>batch.Add(result)</c> on a collection of System.Collections.Generic: the result itself is kept for later.</summary>
    private static bool IsCollectionAdd(IInvocationOperation invocation, IOperation reference)
        => invocation.TargetMethod.Name is "Add" or "Enqueue" or "Push" or "Insert" or "TryAdd"
           && invocation.TargetMethod.ContainingType?.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
           && invocation.Arguments.Any(a => a.Value.WalkDownConversions() == reference);

    public static bool IsLogging(IMethodSymbol method)
    {
        var ns = method.ContainingType?.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns.StartsWith("Microsoft.Extensions.Logging", System.StringComparison.Ordinal)
               || ns.StartsWith("Serilog", System.StringComparison.Ordinal)
               || ns.StartsWith("NLog", System.StringComparison.Ordinal)
               || ns.StartsWith("System.Diagnostics", System.StringComparison.Ordinal)
               || (ns == "System" && method.ContainingType?.Name == "Console")
               || method.ContainingType?.SpecialType == SpecialType.System_String;
    }

    // ---- handlers ---------------------------------------------------------------------------------

    private static ImmutableArray<MessageHandler> FindHandlers(KafkaSymbols symbols, OperationIndex index, ProjectCalls calls, CancellationToken cancellationToken)
    {
        var flow = symbols.Flow;
        var handlers = ImmutableArray.CreateBuilder<MessageHandler>();
        var seenRoots = new HashSet<IOperation>();
        foreach (var declarator in index.Functions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (body, function) = declarator;
            if (function is not IMethodSymbol method)
            {
                continue;
            }

            var parameter = method.Parameters.FirstOrDefault(p => flow.IsConsumeResult(p.Type) || flow.IsMessage(p.Type));
            if (parameter is null || !seenRoots.Add(body))
            {
                continue;
            }

            var catches = body.Descendants()
                .OfType<ICatchClauseOperation>()
                .Where(c => c.EnclosingFunction() == (body is IAnonymousFunctionOperation or ILocalFunctionOperation ? body : null))
                .Select(c => CatchClause.Analyze(c, symbols, calls))
                .ToImmutableArray();
            handlers.Add(new MessageHandler(body, method, parameter, calledFromLoop: false, catches));
        }

        return handlers.ToImmutable();
    }

    private static ImmutableArray<MessageHandler> MarkCalledFromLoops(ImmutableArray<MessageHandler> handlers, ImmutableArray<ConsumeLoop> loops, OperationIndex index, CancellationToken cancellationToken)
    {
        if (handlers.IsEmpty)
        {
            return handlers;
        }

        var result = ImmutableArray.CreateBuilder<MessageHandler>();
        foreach (var handler in handlers)
        {
            var called = false;
            foreach (var invocation in index.Invocations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, handler.Function.OriginalDefinition)
                    && loops.Any(l => l.Contains(invocation)))
                {
                    called = true;
                    break;
                }
            }

            // A Message<K,V> parameter makes a handler only when a consume loop calls it.
            if (handler.Parameter.Type is INamedTypeSymbol { Name: "Message" } && !called)
            {
                continue;
            }

            result.Add(called ? new MessageHandler(handler.Body, handler.Function, handler.Parameter, calledFromLoop: true, handler.Catches) : handler);
        }

        return result.ToImmutable();
    }

    private static bool IsInside(IOperation operation, IOperation container)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current == container)
            {
                return true;
            }
        }

        return false;
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>How long a <c>Consume</c> overload can wait for a message.</summary>
internal enum ConsumeWait
{
    /// <summary>The timeout is not a constant the analyzer can read.</summary>
    Unknown,

    /// <summary>A finite timeout (zero included): returns null when no message arrives in time.</summary>
    Finite,

    /// <summary>The cancellation-token overload or an infinite timeout: returns only with a message (or an exception).</summary>
    UntilMessage,
}

/// <summary>One <c>Consume</c> call that a piece of code runs on its own thread, directly or through project methods.</summary>
internal sealed class ReachedConsume
{
    public ReachedConsume(IInvocationOperation consume, IInvocationOperation? via, ILoopOperation? loop, bool beforeFirstAwait, bool caughtAroundLoop, ConsumeWait wait, bool onCallerPath)
    {
        OnCallerPath = onCallerPath;
        Consume = consume;
        Via = via;
        Loop = loop;
        BeforeFirstAwait = beforeFirstAwait;
        CaughtAroundLoop = caughtAroundLoop;
        Wait = wait;
    }

    public IInvocationOperation Consume { get; }

    /// <summary>The call in the starting body that leads to the consume (null when the body calls <c>Consume</c> itself).</summary>
    public IInvocationOperation? Via { get; }

    /// <summary>The innermost loop around the consume in its own function; null outside loops.</summary>
    public ILoopOperation? Loop { get; }

    /// <summary>No <c>await</c> can complete before the consume runs (every await on the way ends after it in the source).</summary>
    public bool BeforeFirstAwait { get; }

    /// <summary>A catch of every exception (<c>catch</c>, <c>catch (Exception)</c>, no filter) encloses the loop, or a call on the way to it.</summary>
    public bool CaughtAroundLoop { get; }

    public ConsumeWait Wait { get; }

    /// <summary>Every call on the way is synchronous or awaited where it is made: the starting method does not finish before the consume's function does.</summary>
    public bool OnCallerPath { get; }

    /// <summary>The function (method, lambda or local function) that contains the consume.</summary>
    public IOperation Function => Consume.EnclosingFunction() ?? OperationIndex.Root(Consume);
}

/// <summary>
/// "Which consume calls does this code run, on its thread?" — for the hosting rules (KAFKA114: before the
/// first await of <c>ExecuteAsync</c>/<c>StartAsync</c>; KAFKA117: inside a started task). Follows calls to
/// project methods (any type, <see cref="ProjectCalls.MaxDepth"/> levels, through <see cref="ProjectCalls.BodyOf"/>),
/// never into lambdas or local functions that are only declared (work handed to another thread is not this
/// thread's), and answers whether a loop around a consume catches every exception.
/// </summary>
internal static class ConsumeReach
{
    /// <summary>
    /// The consume calls <paramref name="body"/> runs. Methods of the analysed type are read from
    /// <paramref name="index"/> (the same operations the consume-loop model holds, so its loops can be asked
    /// about them); methods of other types from <see cref="ProjectCalls.BodyOf"/>.
    /// </summary>
    public static ImmutableArray<ReachedConsume> From(IOperation body, KafkaSymbols symbols, OperationIndex index, ProjectCalls calls, CancellationToken cancellationToken)
    {
        var found = ImmutableArray.CreateBuilder<ReachedConsume>();
        var visited = new HashSet<IOperation>();
        Walk(body, via: null, beforeAwait: true, caught: false, onPath: true, depth: 0);
        return found.ToImmutable();

        void Walk(IOperation root, IInvocationOperation? via, bool beforeAwait, bool caught, bool onPath, int depth)
        {
            if (!visited.Add(root))
            {
                return;
            }

            var awaits = new List<IOperation>();
            var invocations = new List<IInvocationOperation>();
            var stack = new Stack<IOperation>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var operation = stack.Pop();
                switch (operation)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation when operation != root:
                        continue;
                    case IAwaitOperation:
                        awaits.Add(operation);
                        break;
                    case IInvocationOperation invocation:
                        invocations.Add(invocation);
                        break;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            foreach (var invocation in invocations)
            {
                var before = beforeAwait && !awaits.Any(a => a.Syntax.Span.End <= invocation.Syntax.SpanStart);
                var around = caught || CaughtOutsideLoop(invocation, root);
                if (invocation.TargetMethod.Name == "Consume" && invocation.Instance is { } receiver && ConsumerModel.IsConsumer(symbols, receiver.Type))
                {
                    found.Add(new ReachedConsume(invocation, via, InnermostLoop(invocation), before, around, WaitOf(invocation), onPath));
                    continue;
                }

                if (depth < ProjectCalls.MaxDepth && !IsConsumerOrClient(symbols, invocation) && BodyOf(invocation.TargetMethod, index, calls) is { } callee)
                {
                    Walk(callee, via ?? invocation, before, around, onPath && (!symbols.Flow.IsTaskLike(invocation.Type) || IsAwaited(invocation)), depth + 1);
                }
            }
        }
    }

    /// <summary>
    /// Every exception thrown in an iteration of <paramref name="loop"/> is caught before it leaves the loop:
    /// each statement of the body that can throw is a <c>try</c> with a catch of every exception.
    /// </summary>
    public static bool BodyCatchesEverything(ILoopOperation loop)
    {
        var statements = loop.Body is IBlockOperation block ? block.Operations : ImmutableArray.Create(loop.Body);
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case ITryOperation @try when CatchesEverything(@try):
                case IVariableDeclarationGroupOperation group when group.Declarations.All(d => d.Declarators.All(v => v.Initializer is null)):
                case IBranchOperation:
                case IEmptyOperation:
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    public static ConsumeWait WaitOf(IInvocationOperation consume)
    {
        if (consume.Arguments.Length == 0)
        {
            return ConsumeWait.UntilMessage;
        }

        var argument = consume.Arguments[0];
        var type = argument.Parameter?.Type;
        if (type is null)
        {
            return ConsumeWait.Unknown;
        }

        if (type.Name == "CancellationToken")
        {
            return ConsumeWait.UntilMessage;
        }

        var value = argument.Value.WalkDownConversions();
        if (type.SpecialType == SpecialType.System_Int32)
        {
            return value.ConstantValue is { HasValue: true, Value: int milliseconds }
                ? (milliseconds < 0 ? ConsumeWait.UntilMessage : ConsumeWait.Finite)
                : ConsumeWait.Unknown;
        }

        switch (value)
        {
            case IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" }:
                return ConsumeWait.UntilMessage;
            case IFieldReferenceOperation { Field.Name: "Zero" or "MaxValue" } field when field.Field.ContainingType.Name == "TimeSpan":
                return field.Field.Name == "Zero" ? ConsumeWait.Finite : ConsumeWait.UntilMessage;
            case IInvocationOperation { TargetMethod.ContainingType.Name: "TimeSpan", Arguments.Length: 1 } from
                when from.TargetMethod.Name.StartsWith("From", System.StringComparison.Ordinal)
                     && from.Arguments[0].Value.WalkDownConversions().TryGetConstantNumber(out var constant):
                return constant < 0 ? ConsumeWait.UntilMessage : ConsumeWait.Finite;
            default:
                return ConsumeWait.Unknown;
        }
    }

    private static bool CaughtOutsideLoop(IOperation operation, IOperation root)
    {
        var child = operation;
        var insideLoop = false;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is ILoopOperation)
            {
                insideLoop = true;
            }

            // Around the consume's loop, or around a call that leads to a consume.
            if (parent is ITryOperation @try && @try.Body == child && CatchesEverything(@try)
                && (insideLoop || operation is IInvocationOperation { TargetMethod.Name: not "Consume" }))
            {
                return true;
            }

            if (parent == root)
            {
                break;
            }
        }

        return false;
    }

    private static bool CatchesEverything(ITryOperation @try)
        => @try.Catches.Any(c => c.Filter is null
                                 && (c.ExceptionType.SpecialType == SpecialType.System_Object
                                     || c.ExceptionType is { Name: "Exception", ContainingNamespace.Name: "System", ContainingNamespace.ContainingNamespace.IsGlobalNamespace: true }));

    private static ILoopOperation? InnermostLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case ILoopOperation loop:
                    return loop;
            }
        }

        return null;
    }

    /// <summary>The body of a project method: from the type's own index when it is declared there, else from <see cref="ProjectCalls"/>.</summary>
    public static IOperation? BodyOf(IMethodSymbol method, OperationIndex index, ProjectCalls calls)
    {
        var definition = method.PartialImplementationPart ?? method.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(definition.ContainingType?.OriginalDefinition, index.Type.OriginalDefinition))
        {
            foreach (var (owner, root) in index.Roots)
            {
                if (SymbolEqualityComparer.Default.Equals(owner, definition) && root is IMethodBodyOperation or IBlockOperation or IConstructorBodyOperation)
                {
                    return root;
                }
            }
        }

        return calls.BodyOf(method);
    }

    private static bool IsAwaited(IInvocationOperation invocation)
    {
        var parent = invocation.ParentIgnoringConversions(out _);
        if (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance?.WalkDownConversions() == invocation)
        {
            parent = configure.ParentIgnoringConversions(out _);
        }

        return parent is IAwaitOperation;
    }

    private static bool IsConsumerOrClient(KafkaSymbols symbols, IInvocationOperation invocation)
        => symbols.IsFromKafka(invocation);
}

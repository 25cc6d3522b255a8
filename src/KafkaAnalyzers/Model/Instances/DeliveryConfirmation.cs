using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

internal enum ConfirmationKind
{
    /// <summary>
    /// The call itself waits for the delivery: <c>await producer.ProduceAsync(..)</c> (also through
    /// <c>ConfigureAwait</c>, <c>Task.WhenAll</c>, <c>.Wait()</c>, <c>.GetAwaiter().GetResult()</c>).
    /// </summary>
    AtCall,

    /// <summary>
    /// The delivery is confirmed only at <see cref="DeliveryConfirmation.Sites"/> (possibly none): the await
    /// or read of the stored task, a <c>Flush</c>, a transaction call, or (for a handler that signals) a wait.
    /// </summary>
    AtSites,

    /// <summary>The producer runs transactions: <c>CommitTransaction</c> confirms every message of the transaction.</summary>
    Transactional,

    /// <summary>
    /// The model cannot tell: the task is returned, passed on, stored, continued with a continuation that
    /// reads its failure, or used in a way not understood; or the call never runs (expression tree) or is
    /// meant to throw. Rules stay silent.
    /// </summary>
    Unknown,
}

/// <summary>
/// Where the delivery of one produced message is known to have succeeded or failed, as far as the code in
/// view shows (KAFKA115 asks whether one such place lies between the produce and the input's commit).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>ProduceAsync</c>: awaited at the call → <see cref="ConfirmationKind.AtCall"/>; kept in a local and
/// awaited, waited on or its <c>Result</c>/<c>Exception</c> read later → that operation; discarded or continued
/// without looking at the failure → only flushes and transaction calls; anything else → <see cref="ConfirmationKind.Unknown"/>.</item>
/// <item><c>Produce</c>: flushes and transaction calls; when its delivery handler may signal someone (it calls
/// or writes something outside itself, e.g. <c>tcs.SetResult(..)</c>, or its body is not in view), also every
/// wait of the calling function (<c>await</c>, <c>Wait()</c>, <c>WaitOne()</c>, <c>GetResult()</c>, <c>Join()</c>).</item>
/// <item>A <c>Flush</c> counts whatever its receiver and whether or not its count is read (precision first: a
/// flush of another producer, or one that timed out, is taken as confirming); so does a call to a project method
/// that flushes or commits a transaction ("Calls into the project", <see cref="BodyEffects.Flushes"/>).</item>
/// </list>
/// Sites may lie in any function of the type; callers keep those of the function they ask about.
/// </remarks>
internal readonly struct DeliveryConfirmation
{
    private DeliveryConfirmation(ConfirmationKind kind, ImmutableArray<IOperation> sites)
    {
        Kind = kind;
        Sites = sites;
    }

    public ConfirmationKind Kind { get; }

    /// <summary>For <see cref="ConfirmationKind.AtSites"/>: the operations after which the delivery is confirmed.</summary>
    public ImmutableArray<IOperation> Sites { get; }

    internal static DeliveryConfirmation Of(ProduceCall call, ProducerModel model, OperationIndex index, FlowSymbols symbols, ProjectCalls calls)
    {
        if (!call.IsDelivering)
        {
            return new DeliveryConfirmation(ConfirmationKind.Unknown, ImmutableArray<IOperation>.Empty);
        }

        if (call.Instance is { } instance ? instance.IsTransactional : !model.AllTransactionCalls.IsEmpty)
        {
            return new DeliveryConfirmation(ConfirmationKind.Transactional, ImmutableArray<IOperation>.Empty);
        }

        var sites = ImmutableArray.CreateBuilder<IOperation>();
        sites.AddRange(model.AllFlushes.Select(f => (IOperation)f.Invocation));
        sites.AddRange(model.AllTransactionCalls);
        sites.AddRange(FlushingCallsIn(FlowGraphs.FunctionOf(call.Invocation), calls));
        if (call.IsAsync)
        {
            switch (call.Task.Kind)
            {
                case TaskUseKind.Awaited or TaskUseKind.Inspected when call.Task.Site is { } site:
                    if (site.Syntax.Span.Contains(call.Invocation.Syntax.Span))
                    {
                        return new DeliveryConfirmation(ConfirmationKind.AtCall, ImmutableArray<IOperation>.Empty);
                    }

                    // Every await or read of the kept task; one in another function (a lambda) is a flow we do not follow.
                    var function = FlowGraphs.FunctionOf(call.Invocation);
                    var observations = TaskObservation.ObservationSites(call.Invocation, index, symbols);
                    if (observations.IsEmpty || observations.Any(o => FlowGraphs.FunctionOf(o) != function))
                    {
                        return new DeliveryConfirmation(ConfirmationKind.Unknown, ImmutableArray<IOperation>.Empty);
                    }

                    sites.AddRange(observations);
                    break;
                case TaskUseKind.Discarded or TaskUseKind.ContinuedWithoutObserving:
                    break;
                default:
                    return new DeliveryConfirmation(ConfirmationKind.Unknown, ImmutableArray<IOperation>.Empty);
            }
        }
        else if (call.Handler is { IsMissing: false } handler && MaySignal(handler))
        {
            sites.AddRange(WaitsIn(FlowGraphs.FunctionOf(call.Invocation)));
        }

        return new DeliveryConfirmation(ConfirmationKind.AtSites, sites.ToImmutable());
    }

    /// <summary>
    /// The operations of <paramref name="function"/> after which this one message is known to be delivered or
    /// failed, leaving out the producer-wide <c>Flush</c> and transaction calls (KAFKA007: a message confirmed
    /// before the producer is disposed cannot be dropped by the disposal). Narrower than <see cref="Sites"/>:
    /// <list type="bullet">
    /// <item><c>ProduceAsync</c> whose task is awaited or read: each await, <c>Wait()</c>, <c>.Result</c>... of it.</item>
    /// <item><c>Produce</c> whose delivery handler signals: each wait of the function on something the handler
    /// touches (<c>autoEvent.Set()</c> and <c>autoEvent.WaitOne()</c>, <c>Monitor.Pulse(o)</c> and
    /// <c>Monitor.Wait(o)</c>, <c>tcs.SetResult(..)</c> and <c>await tcs.Task</c>).</item>
    /// <item>A produce in a lambda of <paramref name="function"/> that the lambda confirms as above on every path
    /// before it returns: every wait of <paramref name="function"/> itself (<c>Task.WaitAll(tasks)</c>,
    /// <c>await Task.WhenAll(..)</c>, <c>Join()</c>), taken as waiting for the lambda's work (confluent's
    /// SyncOverAsync tests).</item>
    /// </list>
    /// Empty when nothing in view waits for the message.
    /// </summary>
    internal static ImmutableArray<IOperation> MessageSites(ProduceCall call, IOperation function, OperationIndex index, FlowSymbols symbols, CancellationToken cancellationToken)
    {
        if (!call.IsDelivering)
        {
            return ImmutableArray<IOperation>.Empty;
        }

        var own = FlowGraphs.FunctionOf(call.Invocation);
        var sites = OwnSites(call, own, index, symbols);
        if (own == function)
        {
            return sites;
        }

        if (sites.IsEmpty || own is not IAnonymousFunctionOperation)
        {
            return ImmutableArray<IOperation>.Empty;
        }

        var inLambda = ControlFlowPaths.Ask(new PathQuestion(call.Invocation, System.Array.Empty<IOperation>(), System.Array.Empty<IOperation>(), sites, startMarked: true), symbols, cancellationToken);
        return inLambda.Answered && !inLambda.ExitsMarked && !inLambda.ExitsMarkedByCancellation ? WaitsIn(function) : ImmutableArray<IOperation>.Empty;
    }

    /// <summary>The sites of <see cref="MessageSites"/> in the produce's own function.</summary>
    private static ImmutableArray<IOperation> OwnSites(ProduceCall call, IOperation own, OperationIndex index, FlowSymbols symbols)
    {
        if (call.IsAsync)
        {
            return call.Task.Kind is TaskUseKind.Awaited or TaskUseKind.Inspected
                ? TaskObservation.ObservationSites(call.Invocation, index, symbols).Where(o => FlowGraphs.FunctionOf(o) == own).ToImmutableArray()
                : ImmutableArray<IOperation>.Empty;
        }

        if (call.Handler is not { IsMissing: false, BodiesComplete: true } handler || handler.Bodies.IsEmpty || !MaySignal(handler))
        {
            return ImmutableArray<IOperation>.Empty;
        }

        var touched = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var body in handler.Bodies)
        {
            foreach (var node in body.Body.Descendants())
            {
                if (ReferencedSymbol(node) is { } symbol && !SymbolEqualityComparer.Default.Equals(symbol, body.Report)
                    && !(symbol is ILocalSymbol local && IsOwnLocal(node, body.Declaration)))
                {
                    touched.Add(symbol);
                }
            }
        }

        return WaitsIn(own).Where(wait => WaitedOn(wait).Any(operand => operand.DescendantsAndSelf().Any(n => ReferencedSymbol(n) is { } s && touched.Contains(s)))).ToImmutableArray();
    }

    private static ISymbol? ReferencedSymbol(IOperation operation)
        => operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field => field.Field,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };

    /// <summary>What a wait waits on: the awaited value, or the receiver and arguments of <c>WaitOne()</c>, <c>Monitor.Wait(o)</c>, ...</summary>
    private static IEnumerable<IOperation> WaitedOn(IOperation wait)
        => wait switch
        {
            IAwaitOperation await => new[] { await.Operation },
            IInvocationOperation invocation => invocation.Instance is { } instance
                ? invocation.Arguments.Select(a => a.Value).Prepend(instance)
                : invocation.Arguments.Select(a => a.Value),
            _ => Enumerable.Empty<IOperation>(),
        };

    /// <summary>The handler may tell the producing code about the delivery: it calls or writes something outside itself, or its body is not in view.</summary>
    private static bool MaySignal(DeliveryHandler handler)
    {
        if (!handler.BodiesComplete || handler.Bodies.IsEmpty)
        {
            return true;
        }

        foreach (var body in handler.Bodies)
        {
            foreach (var node in body.Body.Descendants())
            {
                switch (node)
                {
                    case IInvocationOperation invocation when !ConsumeLoopModel.IsLogging(invocation.TargetMethod) && !ReadsOnlyReport(invocation, body.Report):
                        return true;
                    case IAssignmentOperation assignment when !IsOwnLocal(assignment.Target, body.Declaration):
                        return true;
                    case IIncrementOrDecrementOperation increment when !IsOwnLocal(increment.Target, body.Declaration):
                        return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>report.Error.ToString()</c> and the like: a call on the report or its members.</summary>
    private static bool ReadsOnlyReport(IInvocationOperation invocation, IParameterSymbol report)
    {
        for (var receiver = invocation.Instance?.WalkDownConversions(); receiver is not null; receiver = (receiver as IMemberReferenceOperation)?.Instance?.WalkDownConversions())
        {
            if (receiver is IParameterReferenceOperation parameter)
            {
                return SymbolEqualityComparer.Default.Equals(parameter.Parameter, report);
            }
        }

        return false;
    }

    private static bool IsOwnLocal(IOperation target, IOperation declaration)
        => target.WalkDownConversions() is ILocalReferenceOperation local
           && !local.Local.DeclaringSyntaxReferences.IsEmpty
           && declaration.Syntax.Span.Contains(local.Local.DeclaringSyntaxReferences[0].Span);

    /// <summary>Calls of the function to project methods that flush a producer or commit its transaction (following calls, "Calls into the project").</summary>
    private static ImmutableArray<IOperation> FlushingCallsIn(IOperation function, ProjectCalls calls)
    {
        var sites = ImmutableArray.CreateBuilder<IOperation>();
        var own = function is IAnonymousFunctionOperation or ILocalFunctionOperation ? function : null;
        foreach (var node in function.Descendants())
        {
            if (node is IInvocationOperation invocation && node.EnclosingFunction() == own
                && invocation.TargetMethod.DeclaringSyntaxReferences.Length > 0
                && calls.EffectsOf(invocation.TargetMethod) is { } effects && effects.Has(BodyEffects.Flushes))
            {
                sites.Add(invocation);
            }
        }

        return sites.ToImmutable();
    }

    /// <summary>The waits of one function (not of lambdas or local functions declared in it).</summary>
    private static ImmutableArray<IOperation> WaitsIn(IOperation function)
    {
        var waits = ImmutableArray.CreateBuilder<IOperation>();
        var own = function is IAnonymousFunctionOperation or ILocalFunctionOperation ? function : null;
        foreach (var node in function.Descendants())
        {
            if (node.EnclosingFunction() != own)
            {
                continue;
            }

            if (node is IAwaitOperation
                || node is IInvocationOperation { TargetMethod.Name: "Wait" or "WaitOne" or "WaitAll" or "WaitAny" or "GetResult" or "Join" })
            {
                waits.Add(node);
            }
        }

        return waits.ToImmutable();
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>How work leaves the consume loop's thread (RULES.md KAFKA101/KAFKA102).</summary>
internal enum HandOffKind
{
    /// <summary><c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>new Task(..).Start()</c>.</summary>
    Task,

    /// <summary><c>ThreadPool.QueueUserWorkItem</c> / <c>UnsafeQueueUserWorkItem</c>.</summary>
    ThreadPool,

    /// <summary><c>new Thread(..)</c>.</summary>
    Thread,

    /// <summary><c>Parallel.For</c>/<c>ForEach</c>/<c>Invoke</c> (blocking) and <c>ForEachAsync</c>.</summary>
    Parallel,

    /// <summary><c>ContinueWith</c>: the continuation runs on the thread pool.</summary>
    Continuation,

    /// <summary>A <c>System.Threading.Timer</c> or <c>System.Timers.Timer</c> callback.</summary>
    Timer,

    /// <summary>An async call whose task the loop does not await.</summary>
    AsyncCall,

    /// <summary><c>ChannelWriter.WriteAsync</c>/<c>TryWrite</c>.</summary>
    Channel,

    /// <summary><c>BlockingCollection.Add</c>/<c>TryAdd</c>.</summary>
    BlockingCollection,

    /// <summary><c>Post</c>/<c>SendAsync</c> to a dataflow block.</summary>
    Dataflow,
}

/// <summary>One place where work (a lambda, a delegate, or a queued value) leaves the current thread.</summary>
internal sealed class HandOff
{
    public HandOff(IOperation operation, HandOffKind kind, IOperation? work, bool awaitedByCaller)
    {
        Operation = operation;
        Kind = kind;
        Work = work;
        AwaitedByCaller = awaitedByCaller;
    }

    /// <summary>The invocation or creation that hands the work off (<c>Task.Run(...)</c>, <c>writer.TryWrite(x)</c>...).</summary>
    public IOperation Operation { get; }

    public HandOffKind Kind { get; }

    /// <summary>The lambda, local function or method reference that runs elsewhere; null for queued values and async calls.</summary>
    public IOperation? Work { get; }

    /// <summary>
    /// The caller waits for the work to finish before going on (<c>await Task.Run(...)</c>, a task stored and
    /// awaited, <c>Parallel.ForEach</c>, <c>.Wait()</c>). Queued values are never awaited: a completed
    /// <c>WriteAsync</c> means queued, not processed.
    /// </summary>
    public bool AwaitedByCaller { get; }

    /// <summary>Runs on another thread while the caller goes on.</summary>
    public bool RunsConcurrently => !AwaitedByCaller;

    public Location Location => Operation.Syntax.GetLocation();

    /// <summary>
    /// The hand-off <paramref name="operation"/> makes, or null: an invocation of Task.Run, StartNew,
    /// QueueUserWorkItem, Parallel.*, ContinueWith, a channel/collection/dataflow write, a timer or
    /// thread creation, or <c>Task.Start()</c> on a <c>new Task(..)</c>.
    /// </summary>
    public static HandOff? Recognize(IOperation operation, FlowSymbols symbols, OperationIndex index)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return FromInvocation(invocation, symbols, index);
            case IObjectCreationOperation creation when FlowSymbols.InheritsFrom(creation.Type, symbols.Thread) && creation.Arguments.Length > 0:
                return new HandOff(creation, HandOffKind.Thread, WorkOf(creation.Arguments[0].Value), awaitedByCaller: ThreadIsJoined(creation, index));
            case IObjectCreationOperation creation when IsTimer(creation.Type, symbols) && creation.Arguments.Length > 0:
                return new HandOff(creation, HandOffKind.Timer, WorkOf(creation.Arguments[0].Value), awaitedByCaller: false);
            default:
                return null;
        }
    }

    private static HandOff? FromInvocation(IInvocationOperation invocation, FlowSymbols symbols, OperationIndex index)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return null;
        }

        if ((Is(type, symbols.Task) && method.Name == "Run")
            || ((Is(type, symbols.TaskFactory) || Is(type, symbols.TaskFactoryOfT)) && method.Name == "StartNew"))
        {
            return new HandOff(invocation, HandOffKind.Task, FirstWork(invocation), TaskIsAwaited(invocation, index));
        }

        if ((Is(type, symbols.Task) || Is(type, symbols.TaskOfT)) && method.Name == "ContinueWith")
        {
            return new HandOff(invocation, HandOffKind.Continuation, FirstWork(invocation), TaskIsAwaited(invocation, index));
        }

        if ((Is(type, symbols.Task) || Is(type, symbols.TaskOfT)) && method.Name == "Start" && invocation.Instance?.WalkDownConversions() is { } started)
        {
            var created = started is ILocalReferenceOperation local ? CreationOf(local.Local, index) : started as IObjectCreationOperation;
            return created is { Arguments.Length: > 0 }
                ? new HandOff(invocation, HandOffKind.Task, WorkOf(created.Arguments[0].Value), awaitedByCaller: started is ILocalReferenceOperation startedLocal && LocalIsAwaited(startedLocal.Local, index))
                : null;
        }

        if (Is(type, symbols.ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem")
        {
            return new HandOff(invocation, HandOffKind.ThreadPool, FirstWork(invocation), awaitedByCaller: false);
        }

        if (Is(type, symbols.Parallel))
        {
            // For/ForEach/Invoke block until every body ran; ForEachAsync is a task like any other.
            var awaited = method.Name != "ForEachAsync" || TaskIsAwaited(invocation, index);
            return new HandOff(invocation, HandOffKind.Parallel, LastWork(invocation), awaited);
        }

        if (Is(type, symbols.ChannelWriter) && method.Name is "WriteAsync" or "TryWrite")
        {
            return new HandOff(invocation, HandOffKind.Channel, work: null, awaitedByCaller: false);
        }

        if (Is(type, symbols.BlockingCollection) && method.Name is "Add" or "TryAdd")
        {
            return new HandOff(invocation, HandOffKind.BlockingCollection, work: null, awaitedByCaller: false);
        }

        if ((Is(type, symbols.DataflowBlock) && method.Name is "Post" or "SendAsync")
            || (FlowSymbols.IsOrImplements(type, symbols.TargetBlock) && method.Name is "Post" or "SendAsync" or "OfferMessage"))
        {
            return new HandOff(invocation, HandOffKind.Dataflow, work: null, awaitedByCaller: false);
        }

        return null;
    }

    /// <summary>An async call (returns a task) the caller neither awaits nor keeps and awaits later.</summary>
    public static HandOff? AsyncCall(IInvocationOperation invocation, FlowSymbols symbols, OperationIndex index)
        => symbols.IsTaskLike(invocation.Type) && !TaskIsAwaited(invocation, index)
            ? new HandOff(invocation, HandOffKind.AsyncCall, work: null, awaitedByCaller: false)
            : null;

    /// <summary>
    /// The task is awaited, waited on, returned, or kept in a local/collection that is awaited or waited on
    /// later (also through <c>Task.WhenAll</c>/<c>WaitAll</c>).
    /// </summary>
    public static bool TaskIsAwaited(IOperation task, OperationIndex index)
    {
        var parent = task.ParentIgnoringConversions(out var child);
        switch (parent)
        {
            case IAwaitOperation:
            case IReturnOperation:
                return true;
            case IInvocationOperation call when call.Instance == child:
                return call.TargetMethod.Name is "Wait" or "GetAwaiter" || (call.TargetMethod.Name is "ConfigureAwait" or "AsTask" && TaskIsAwaited(call, index));
            case IPropertyReferenceOperation { Property.Name: "Result" }:
                return true;
            case IArgumentOperation { Parent: IInvocationOperation collector } when collector.TargetMethod.Name is "WhenAll" or "WhenAny" or "WaitAll" or "WaitAny":
                return collector.TargetMethod.Name.StartsWith("Wait", System.StringComparison.Ordinal) || TaskIsAwaited(collector, index);
            case IArgumentOperation { Parent: IInvocationOperation add } when add.TargetMethod.Name is "Add" or "Enqueue" or "Push" && add.Instance?.WalkDownConversions() is ILocalReferenceOperation collection:
                return LocalIsAwaited(collection.Local, index);
            case IArgumentOperation { Parent: IInvocationOperation { Parent: IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation created } } }:
                // new List<Task> { task }: the list's fate.
                return TaskIsAwaited(created, index);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return LocalIsAwaited(declarator.Symbol, index);
            case ISimpleAssignmentOperation assignment when assignment.Value == child && assignment.Target is ILocalReferenceOperation local:
                return LocalIsAwaited(local.Local, index);
            default:
                return false;
        }
    }

    private static bool LocalIsAwaited(ILocalSymbol local, OperationIndex index)
    {
        foreach (var reference in index.ReferencesTo(local))
        {
            if (reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference)
            {
                continue;
            }

            if (reference.Parent is IVariableDeclaratorOperation)
            {
                continue;
            }

            if (TaskIsAwaited(reference, index))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ThreadIsJoined(IObjectCreationOperation creation, OperationIndex index)
    {
        if (creation.ParentIgnoringConversions(out _) is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            foreach (var reference in index.ReferencesTo(declarator.Symbol))
            {
                if (reference.Parent is IInvocationOperation { TargetMethod.Name: "Join" } join && join.Instance == reference)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IObjectCreationOperation? CreationOf(ILocalSymbol local, OperationIndex index)
    {
        foreach (var declarator in index.Declarators)
        {
            if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                return declarator.Initializer?.Value.WalkDownConversions() as IObjectCreationOperation;
            }
        }

        return null;
    }

    private static bool IsTimer(ITypeSymbol? type, FlowSymbols symbols)
        => FlowSymbols.InheritsFrom(type, symbols.ThreadingTimer);

    private static IOperation? FirstWork(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (WorkOf(argument.Value) is { } work)
            {
                return work;
            }
        }

        return null;
    }

    private static IOperation? LastWork(IInvocationOperation invocation)
    {
        for (var i = invocation.Arguments.Length - 1; i >= 0; i--)
        {
            if (WorkOf(invocation.Arguments[i].Value) is { } work)
            {
                return work;
            }
        }

        return null;
    }

    /// <summary>The lambda, local function reference or method reference a delegate argument runs.</summary>
    public static IOperation? WorkOf(IOperation value)
    {
        value = value.WalkDownConversions();
        if (value is IDelegateCreationOperation delegateCreation)
        {
            value = delegateCreation.Target.WalkDownConversions();
        }

        return value is IAnonymousFunctionOperation or IMethodReferenceOperation ? value : null;
    }

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? definition)
        => definition is not null && SymbolEqualityComparer.Default.Equals(type, definition);
}

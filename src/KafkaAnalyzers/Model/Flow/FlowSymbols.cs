using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The consumer-side Confluent.Kafka types and the BCL/hosting types the flow model matches against
/// (hand-offs to other threads, waits, process stops, logging; tasks, cancellation and expression trees
/// for the path and task-observation questions), resolved once per compilation through
/// <see cref="KafkaSymbols.Flow"/>. Every member may be null when its assembly is not referenced.
/// </summary>
internal sealed class FlowSymbols
{
    public FlowSymbols(Compilation compilation)
    {
        ConsumeResult = Get(compilation, "Confluent.Kafka.ConsumeResult`2");
        Message = Get(compilation, "Confluent.Kafka.Message`2");
        ConsumeException = Get(compilation, "Confluent.Kafka.ConsumeException");
        KafkaException = Get(compilation, "Confluent.Kafka.KafkaException");
        Error = Get(compilation, "Confluent.Kafka.Error");

        OperationCanceledException = Get(compilation, "System.OperationCanceledException");
        Exception = Get(compilation, "System.Exception");
        Task = Get(compilation, "System.Threading.Tasks.Task");
        TaskOfT = Get(compilation, "System.Threading.Tasks.Task`1");
        ValueTask = Get(compilation, "System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Get(compilation, "System.Threading.Tasks.ValueTask`1");
        TaskFactory = Get(compilation, "System.Threading.Tasks.TaskFactory");
        TaskFactoryOfT = Get(compilation, "System.Threading.Tasks.TaskFactory`1");
        Parallel = Get(compilation, "System.Threading.Tasks.Parallel");
        Thread = Get(compilation, "System.Threading.Thread");
        ThreadPool = Get(compilation, "System.Threading.ThreadPool");
        ThreadingTimer = Get(compilation, "System.Threading.Timer");
        TimersTimer = Get(compilation, "System.Timers.Timer");
        ChannelWriter = Get(compilation, "System.Threading.Channels.ChannelWriter`1");
        BlockingCollection = Get(compilation, "System.Collections.Concurrent.BlockingCollection`1");
        DataflowBlock = Get(compilation, "System.Threading.Tasks.Dataflow.DataflowBlock");
        TargetBlock = Get(compilation, "System.Threading.Tasks.Dataflow.ITargetBlock`1");
        CancellationTokenSource = Get(compilation, "System.Threading.CancellationTokenSource");
        Environment = Get(compilation, "System.Environment");
        ExceptionDispatchInfo = Get(compilation, "System.Runtime.ExceptionServices.ExceptionDispatchInfo");
        BackgroundService = Get(compilation, "Microsoft.Extensions.Hosting.BackgroundService");
        HostedService = Get(compilation, "Microsoft.Extensions.Hosting.IHostedService");
        HostApplicationLifetime = Get(compilation, "Microsoft.Extensions.Hosting.IHostApplicationLifetime");
        ControllerBase = Get(compilation, "Microsoft.AspNetCore.Mvc.ControllerBase");

        // Task observation and the CFG path question (ControlFlowPaths, TaskObservation).
        TaskContinuationOptions = Get(compilation, "System.Threading.Tasks.TaskContinuationOptions");
        CancellationToken = Get(compilation, "System.Threading.CancellationToken");
        LambdaExpression = Get(compilation, "System.Linq.Expressions.LambdaExpression");
        Console = Get(compilation, "System.Console");

        // The runtime library the KAFKA103 fix publishes to; never referenced by the analyzer itself.
        DeadLetterSink = Get(compilation, "KafkaAnalyzers.Reliability.DeadLetters.IDeadLetterSink");
    }

    public INamedTypeSymbol? ConsumeResult { get; }

    public INamedTypeSymbol? Message { get; }

    public INamedTypeSymbol? ConsumeException { get; }

    public INamedTypeSymbol? KafkaException { get; }

    public INamedTypeSymbol? Error { get; }

    public INamedTypeSymbol? OperationCanceledException { get; }

    public INamedTypeSymbol? Exception { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? TaskFactory { get; }

    public INamedTypeSymbol? TaskFactoryOfT { get; }

    public INamedTypeSymbol? Parallel { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? ThreadPool { get; }

    public INamedTypeSymbol? ThreadingTimer { get; }

    public INamedTypeSymbol? TimersTimer { get; }

    public INamedTypeSymbol? ChannelWriter { get; }

    public INamedTypeSymbol? BlockingCollection { get; }

    public INamedTypeSymbol? DataflowBlock { get; }

    public INamedTypeSymbol? TargetBlock { get; }

    public INamedTypeSymbol? CancellationTokenSource { get; }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? ExceptionDispatchInfo { get; }

    public INamedTypeSymbol? BackgroundService { get; }

    public INamedTypeSymbol? HostedService { get; }

    public INamedTypeSymbol? HostApplicationLifetime { get; }

    public INamedTypeSymbol? ControllerBase { get; }

    public INamedTypeSymbol? DeadLetterSink { get; }

    public INamedTypeSymbol? TaskContinuationOptions { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? LambdaExpression { get; }

    public INamedTypeSymbol? Console { get; }

    /// <summary>
    /// Calls that pace a loop to a clock or a person (<c>Task.Delay</c>, <c>Thread.Sleep</c>, <c>Console.ReadLine</c>/<c>ReadKey</c>/<c>Read</c>):
    /// in such a loop, waiting for each send costs nothing that matters (KAFKA010).
    /// </summary>
    public ImmutableArray<IMethodSymbol> PacingMethods => _pacing ??= Members(Task, "Delay").AddRange(Members(Thread, "Sleep")).AddRange(Members(Console, "ReadLine")).AddRange(Members(Console, "ReadKey")).AddRange(Members(Console, "Read"));

    private ImmutableArray<IMethodSymbol>? _pacing;

    private static ImmutableArray<IMethodSymbol> Members(INamedTypeSymbol? type, string name)
    {
        if (type is null)
        {
            return ImmutableArray<IMethodSymbol>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol method)
            {
                builder.Add(method);
            }
        }

        return builder.ToImmutable();
    }

    public bool IsCancellationToken(ITypeSymbol? type) => type is not null && Same(type, CancellationToken);

    /// <summary>True when a catch of <paramref name="caught"/> certainly catches an <c>OperationCanceledException</c>.</summary>
    public bool CatchesCancellation(ITypeSymbol? caught)
        => caught is null
           || caught.SpecialType == SpecialType.System_Object
           || (caught is INamedTypeSymbol named && InheritsFrom(OperationCanceledException, named));

    /// <summary>True when a catch of <paramref name="caught"/> may catch some cancellations (e.g. <c>TaskCanceledException</c>).</summary>
    public bool MayCatchCancellation(ITypeSymbol? caught)
        => CatchesCancellation(caught) || InheritsFrom(caught, OperationCanceledException);

    /// <summary>A lambda converted to this type is an expression tree: it is never run as written.</summary>
    public bool IsExpressionTree(ITypeSymbol? type) => InheritsFrom(type, LambdaExpression);

    /// <summary>Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;: what an async call returns.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
        => type is INamedTypeSymbol named
           && (Same(named.OriginalDefinition, Task) || Same(named.OriginalDefinition, TaskOfT)
               || Same(named.OriginalDefinition, ValueTask) || Same(named.OriginalDefinition, ValueTaskOfT)
               || (Task is not null && InheritsFrom(named, Task)));

    public bool IsConsumeResult(ITypeSymbol? type) => KafkaSymbols.IsConstructedFrom(type, ConsumeResult);

    public bool IsMessage(ITypeSymbol? type) => KafkaSymbols.IsConstructedFrom(type, Message);

    /// <summary>True when <paramref name="type"/> is <paramref name="baseType"/> or derives from it.</summary>
    public static bool InheritsFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Same(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/> is, derives from or implements <paramref name="definition"/>.</summary>
    public static bool IsOrImplements(ITypeSymbol? type, INamedTypeSymbol? definition)
    {
        if (definition is null || type is null)
        {
            return false;
        }

        if (InheritsFrom(type, definition))
        {
            return true;
        }

        foreach (var iface in type.AllInterfaces)
        {
            if (Same(iface.OriginalDefinition, definition))
            {
                return true;
            }
        }

        return type is ITypeParameterSymbol parameter && HasConstraint(parameter.ConstraintTypes, definition);
    }

    private static bool HasConstraint(ImmutableArray<ITypeSymbol> constraints, INamedTypeSymbol definition)
    {
        foreach (var constraint in constraints)
        {
            if (IsOrImplements(constraint, definition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Same(ISymbol? a, ISymbol? b) => b is not null && SymbolEqualityComparer.Default.Equals(a, b);

    private static INamedTypeSymbol? Get(Compilation compilation, string metadataName)
#pragma warning disable RS0030 // once per compilation, through KafkaSymbols.Flow
        => compilation.GetTypeByMetadataName(metadataName);
#pragma warning restore RS0030
}

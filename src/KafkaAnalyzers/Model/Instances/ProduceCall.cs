using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// One call of Confluent's <c>IProducer&lt;K,V&gt;.Produce</c> or <c>ProduceAsync</c>: where it sends, the
/// delivery handler (<c>Produce</c>) or what happens to the returned task (<c>ProduceAsync</c>), and the
/// producer instance it goes through when the receiver is a local, field or parameter of this type.
/// </summary>
internal sealed class ProduceCall
{
    public ProduceCall(IInvocationOperation invocation, ProducerInstance? instance, DeliveryHandler? handler, TaskUse task, bool inExpressionTree)
    {
        Invocation = invocation;
        IsInExpressionTree = inExpressionTree;
        IsExpectedToThrow = TestCode.IsExpectedToThrow(invocation);
        Instance = instance;
        Handler = handler;
        Task = task;
        Destination = invocation.Arguments.Length > 0 ? ArgumentFor(invocation, 0) : null;
        Topic = TopicOf(Destination);
    }

    public IInvocationOperation Invocation { get; }

    /// <summary>The producer the call goes through; null when the receiver is not a symbol of this type (e.g. a method's result).</summary>
    public ProducerInstance? Instance { get; set; }

    public bool IsAsync => Invocation.TargetMethod.Name == "ProduceAsync";

    /// <summary>The topic or <c>TopicPartition</c> argument.</summary>
    public IOperation? Destination { get; }

    /// <summary>The constant topic name, when there is one.</summary>
    public string? Topic { get; }

    /// <summary>For <c>Produce</c>: the delivery handler; <see cref="DeliveryHandlerKind.None"/> when absent or null. Null for <c>ProduceAsync</c>.</summary>
    public DeliveryHandler? Handler { get; }

    /// <summary>For <c>ProduceAsync</c>: what happens to the returned task (default for <c>Produce</c>).</summary>
    public TaskUse Task { get; }

    /// <summary>A <c>ProduceAsync</c> whose task is awaited where it is called (or through <c>WhenAll</c>/<c>ConfigureAwait</c>).</summary>
    public bool IsAwaited => IsAsync && Task.Kind == TaskUseKind.Awaited;

    /// <summary>A message that is only in librdkafka's queue when the call returns and whose failure nobody sees: <c>Produce</c>, or a <c>ProduceAsync</c> whose task is unobserved.</summary>
    public bool LeavesMessageQueued => !IsAsync || Task.IsUnobserved;

    /// <summary>Inside a lambda converted to an expression tree (a mock setup): it never runs.</summary>
    public bool IsInExpressionTree { get; }

    /// <summary>Inside a lambda handed to a test assertion that expects it to throw (<see cref="TestCode.IsExpectedToThrow"/>): the call is meant to fail, not to deliver.</summary>
    public bool IsExpectedToThrow { get; }

    /// <summary>A call the delivery rules look at: it runs, and is not meant to throw.</summary>
    public bool IsDelivering => !IsInExpressionTree && !IsExpectedToThrow;

    private static IOperation? ArgumentFor(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static string? TopicOf(IOperation? destination)
    {
        if (destination is null)
        {
            return null;
        }

        var value = destination.WalkDownConversions();
        if (value.TryGetConstantString(out var topic))
        {
            return topic;
        }

        if (value is IObjectCreationOperation { Arguments.Length: >= 1 } partition
            && partition.Arguments[0].Value.TryGetConstantString(out var partitionTopic))
        {
            return partitionTopic;
        }

        return null;
    }
}

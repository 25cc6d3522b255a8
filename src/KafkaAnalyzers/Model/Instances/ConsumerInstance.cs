using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>What a call on an <c>IConsumer&lt;K,V&gt;</c> does.</summary>
internal enum ConsumerMethod
{
    Other,
    Consume,
    Commit,
    StoreOffset,
    Seek,
    Close,
    Dispose,
    Subscribe,
    Unsubscribe,
    Assign,
    IncrementalAssign,
    Unassign,
    IncrementalUnassign,
    Pause,
    Resume,
}

/// <summary>One call on a consumer, and the instance it goes to when the receiver is a variable we can follow.</summary>
internal sealed class ConsumerCall
{
    public ConsumerCall(IInvocationOperation invocation, ConsumerMethod method, ISymbol? holder)
    {
        Invocation = invocation;
        Method = method;
        Holder = holder;
    }

    public IInvocationOperation Invocation { get; }

    public ConsumerMethod Method { get; }

    /// <summary>The local, field, property or parameter the receiver reads; null for other receivers.</summary>
    public ISymbol? Holder { get; }

    public ConsumerInstance? Instance { get; internal set; }

    /// <summary><c>Commit(...)</c> or <c>StoreOffset(...)</c>: marks consumed messages as done.</summary>
    public bool MarksDone => Method is ConsumerMethod.Commit or ConsumerMethod.StoreOffset;

    /// <summary>The first argument (the result or offsets committed, stored or sought), or null.</summary>
    public IOperation? FirstArgument
        => Invocation.Arguments.Length > 0 && !Invocation.Arguments[0].IsImplicit ? Invocation.Arguments[0].Value.WalkDownConversions() : null;

    public static ConsumerMethod Classify(string name)
        => name switch
        {
            "Consume" => ConsumerMethod.Consume,
            "Commit" => ConsumerMethod.Commit,
            "StoreOffset" => ConsumerMethod.StoreOffset,
            "Seek" => ConsumerMethod.Seek,
            "Close" => ConsumerMethod.Close,
            "Dispose" => ConsumerMethod.Dispose,
            "Subscribe" => ConsumerMethod.Subscribe,
            "Unsubscribe" => ConsumerMethod.Unsubscribe,
            "Assign" => ConsumerMethod.Assign,
            "IncrementalAssign" => ConsumerMethod.IncrementalAssign,
            "Unassign" => ConsumerMethod.Unassign,
            "IncrementalUnassign" => ConsumerMethod.IncrementalUnassign,
            "Pause" => ConsumerMethod.Pause,
            "Resume" => ConsumerMethod.Resume,
            _ => ConsumerMethod.Other,
        };
}

/// <summary>
/// One consumer of a type: the variable holding it (local, field, property or parameter), where it is
/// built and with which configuration, whether this type owns it, and every call made on it.
/// </summary>
internal sealed class ConsumerInstance
{
    internal ConsumerInstance(ISymbol? holder)
    {
        Holder = holder;
    }

    /// <summary>The local, field, property or parameter holding the consumer.</summary>
    public ISymbol? Holder { get; }

    /// <summary>The <c>ConsumerBuilder.Build()</c> calls whose result this holder receives.</summary>
    public ImmutableArray<IInvocationOperation> Builds { get; internal set; } = ImmutableArray<IInvocationOperation>.Empty;

    /// <summary>The <c>new ConsumerBuilder&lt;K,V&gt;(config)</c> of the only build; null when there are several or none in view.</summary>
    public IObjectCreationOperation? Builder { get; internal set; }

    /// <summary>The configuration the only build receives, as the configuration model sees it; null when none is in view.</summary>
    public ConfigContext? Config { get; internal set; }

    /// <summary>
    /// Built here and kept here (RULES.md "Owned"): built in this method and held in a local that never
    /// leaves it, or built in this type and stored in one of its private fields or properties.
    /// Injected or passed-in consumers are not owned.
    /// </summary>
    public bool IsOwned { get; internal set; }

    /// <summary>The consumer is handed to other code (passed as an argument, returned, stored elsewhere, captured by a lambda that leaves).</summary>
    public bool Escapes { get; internal set; }

    /// <summary>The partition assigned/revoked/lost handler lambdas registered on its builder.</summary>
    public ImmutableArray<IOperation> PartitionHandlers { get; internal set; } = ImmutableArray<IOperation>.Empty;

    /// <summary>Every call made on the consumer in this type, in source order.</summary>
    public ImmutableArray<ConsumerCall> Calls { get; internal set; } = ImmutableArray<ConsumerCall>.Empty;

    /// <summary>
    /// Where the consumer is disposed: <c>using</c> statements and declarations (the <see cref="IUsingOperation"/>
    /// or <see cref="IUsingDeclarationOperation"/>) and <c>Dispose()</c> calls.
    /// </summary>
    public ImmutableArray<IOperation> Disposals { get; internal set; } = ImmutableArray<IOperation>.Empty;

    public bool IsLocal => Holder is ILocalSymbol;

    public bool IsMember => Holder is IFieldSymbol or IPropertySymbol;

    public bool Subscribes => Calls.Any(c => c.Method == ConsumerMethod.Subscribe);

    /// <summary>Partitions are assigned by the code (<c>Assign</c>/<c>IncrementalAssign</c>) outside partition handlers.</summary>
    public bool AssignsManually => Calls.Any(c => c.Method is ConsumerMethod.Assign or ConsumerMethod.IncrementalAssign && !IsInPartitionHandler(c.Invocation));

    public IEnumerable<ConsumerCall> CallsTo(ConsumerMethod method) => Calls.Where(c => c.Method == method);

    public bool IsInPartitionHandler(IOperation operation)
    {
        foreach (var handler in PartitionHandlers)
        {
            for (var current = operation; current is not null; current = current.Parent)
            {
                if (current == handler)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public Location Location => (Builds.FirstOrDefault() as IOperation ?? Calls.FirstOrDefault()?.Invocation)?.Syntax.GetLocation() ?? Location.None;
}

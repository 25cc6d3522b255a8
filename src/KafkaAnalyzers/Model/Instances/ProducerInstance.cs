using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

internal enum HolderKind
{
    /// <summary>The producer is not held by a symbol of this type (e.g. returned from a factory method).</summary>
    None,
    Local,
    Field,
    Parameter,
}

/// <summary>A <c>Flush</c> call and whether the count of messages still queued (the <c>Flush(TimeSpan)</c> result) is looked at.</summary>
internal readonly struct FlushCall
{
    public FlushCall(IInvocationOperation invocation, bool waitsForAll, bool resultObserved)
    {
        Invocation = invocation;
        WaitsForAll = waitsForAll;
        ResultObserved = resultObserved;
    }

    public IInvocationOperation Invocation { get; }

    /// <summary><c>Flush(CancellationToken)</c>: returns only when the queue is empty (or throws on cancellation).</summary>
    public bool WaitsForAll { get; }

    /// <summary>The <c>int</c> that <c>Flush(TimeSpan)</c> returns is compared, stored and read, passed on, ...</summary>
    public bool ResultObserved { get; }

    /// <summary>After this flush, nothing is left queued without someone knowing.</summary>
    public bool Accounts => WaitsForAll || ResultObserved;
}

/// <summary>
/// A producer as this type sees it: the local, field or parameter holding it, whether this code owns it
/// (built here: RULES.md "Owned") or got it from outside, and everything done with it — produce calls,
/// flushes, polls, disposals, transactions.
/// </summary>
internal sealed class ProducerInstance
{
    internal ProducerInstance(ISymbol? holder, HolderKind kind)
    {
        Holder = holder;
        Kind = kind;
    }

    /// <summary>The local, field or parameter holding the producer; null when the build is not stored in one.</summary>
    public ISymbol? Holder { get; }

    public HolderKind Kind { get; }

    /// <summary>The <c>Build()</c> calls (or calls of a factory method of this type) whose producer this holder receives.</summary>
    public ImmutableArray<IInvocationOperation> Builds { get; internal set; } = ImmutableArray<IInvocationOperation>.Empty;

    /// <summary>The <c>new ProducerBuilder&lt;K,V&gt;(config)</c> behind the first build, when it is in view (for the configuration).</summary>
    public IObjectCreationOperation? Builder { get; internal set; }

    /// <summary>Built in this method (a local) or in this type and stored in its field, and only ever assigned such producers.</summary>
    public bool IsOwned { get; internal set; }

    /// <summary>Built with <c>DependentProducerBuilder</c>: disposing it does nothing to the shared handle.</summary>
    public bool IsDependent { get; internal set; }

    /// <summary>Handed to code we cannot see (returned, passed on, stored elsewhere, exposed): others may flush or dispose it.</summary>
    public bool Escapes { get; internal set; }

    public ImmutableArray<ProduceCall> Produces { get; internal set; } = ImmutableArray<ProduceCall>.Empty;

    public ImmutableArray<FlushCall> Flushes { get; internal set; } = ImmutableArray<FlushCall>.Empty;

    public ImmutableArray<IInvocationOperation> Polls { get; internal set; } = ImmutableArray<IInvocationOperation>.Empty;

    /// <summary><c>Dispose()</c>/<c>DisposeAsync()</c> calls, and <c>using</c> statements or declarations whose resource it is.</summary>
    public ImmutableArray<IOperation> Disposals { get; internal set; } = ImmutableArray<IOperation>.Empty;

    public ImmutableArray<IInvocationOperation> TransactionCalls { get; internal set; } = ImmutableArray<IInvocationOperation>.Empty;

    /// <summary><c>InitTransactions</c>/<c>BeginTransaction</c>/<c>CommitTransaction</c>/... in view: <c>CommitTransaction</c> flushes and reports failures.</summary>
    public bool IsTransactional => !TransactionCalls.IsEmpty;

    /// <summary>Constant topic names passed to Produce/ProduceAsync.</summary>
    public ImmutableArray<string> Topics { get; internal set; } = ImmutableArray<string>.Empty;

    /// <summary>Every use of the producer is visible and every topic it produces to is a constant.</summary>
    public bool TopicsKnown { get; internal set; }

    /// <summary>Produce calls that leave a message queued (<c>Produce</c>, unobserved <c>ProduceAsync</c>) and run (not in an expression tree).</summary>
    public IEnumerable<ProduceCall> QueuingProduces => Produces.Where(p => p.LeavesMessageQueued && p.IsDelivering);
}

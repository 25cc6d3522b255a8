using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Processing;

/// <summary>
/// One assignment of a partition to this consumer: its offset tracker and a token that is cancelled
/// when the partition is revoked or lost, so work started under this assignment is abandoned and its
/// completions can never move the offsets of a later assignment of the same partition.
/// </summary>
internal sealed class OwnedPartition
{
    private readonly CancellationTokenSource revoked;
    private readonly Action<Exception> callbackFailed;
    private int abandoned;

    /// <param name="partition">The partition.</param>
    /// <param name="consumerStopping">Cancelled when the consumer abandons all its work.</param>
    /// <param name="callbackFailed">Told when a cancellation callback (a handler's registration) throws as this assignment ends.</param>
    public OwnedPartition(TopicPartition partition, CancellationToken consumerStopping, Action<Exception> callbackFailed)
    {
        Tracker = new PartitionOffsetTracker(partition);
        revoked = CancellationTokenSource.CreateLinkedTokenSource(consumerStopping);
        Revoked = revoked.Token;
        this.callbackFailed = callbackFailed;
    }

    public TopicPartition Partition => Tracker.Partition;

    public PartitionOffsetTracker Tracker { get; }

    /// <summary>The last offset stored for this assignment (poll thread only), committed explicitly on revocation and shutdown.</summary>
    public TopicPartitionOffset? LastStored { get; set; }

    /// <summary>The offset of the first message consumed under this assignment (poll thread only); the lag counts from it until an offset is stored.</summary>
    public long? FirstConsumed { get; set; }

    /// <summary>The last offset committed explicitly for this assignment (poll thread only).</summary>
    public TopicPartitionOffset? LastCommitted { get; set; }

    /// <summary>Cancelled when this assignment ends (revoked, lost, or the consumer abandons its work).</summary>
    public CancellationToken Revoked { get; }

    /// <summary>
    /// Ends this assignment. Tokens handed out before stay cancelled. The cancellation callbacks run on
    /// the thread pool: this is called on the poll thread, which must not run handler code. A callback that
    /// throws is reported (the consumer logs it, as it does when it abandons all its work).
    /// </summary>
    public void Abandon()
    {
        if (Interlocked.Exchange(ref abandoned, 1) == 1)
        {
            return;
        }

        _ = revoked.CancelAsync().ContinueWith(
            static (cancelled, state) =>
            {
                var owner = (OwnedPartition)state!;
                owner.revoked.Dispose();
                if (cancelled.Exception is { } failure)
                {
                    owner.callbackFailed(failure);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }
}

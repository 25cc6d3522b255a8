using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>
/// Keeps each retry-tier partition's first message until it is due, without blocking the poll thread: the
/// message is held and its partition paused; when it is due it is handed back for processing and the
/// partition resumed. The consumer keeps polling all the while, so it stays in its group and
/// <c>max.poll.interval.ms</c> is never at risk.
/// </summary>
/// <remarks>
/// <para>Confined to the poll thread. A held message is not tracked for offsets yet, so nothing past it is
/// stored; on revocation the hold is dropped and the message is consumed again by the next owner.</para>
/// <para>Pausing makes librdkafka drop what it prefetched for the partition. Should a later message of a held
/// partition still be returned, it is not processed: the partition is rewound to it (it is paused, so the
/// rewind only sets where fetching resumes).</para>
/// </remarks>
internal sealed class DueTimeGate
{
    private readonly Dictionary<TopicPartition, Held> held = new();
    private readonly RetryTopicMetrics metrics;
    private readonly ILogger logger;

    public DueTimeGate(RetryTopicMetrics metrics, ILogger logger)
    {
        this.metrics = metrics;
        this.logger = logger;
    }

    public int HeldCount => held.Count;

    public bool IsHeld(TopicPartition partition) => held.ContainsKey(partition);

    /// <summary>
    /// Takes <paramref name="message"/> when it must not be processed now: it is not due yet (held, partition
    /// paused), or its partition already holds an earlier message (rewound to it). False: process it now.
    /// </summary>
    public bool TryHold(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> message, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var partition = message.TopicPartition;
        if (held.ContainsKey(partition))
        {
            Rewind(consumer, message.TopicPartitionOffset);
            return true;
        }

        if (dueAt <= now)
        {
            return false;
        }

        // Should the pause fail, the hold still stands: every later message of the partition is rewound to.
        Pause(consumer, partition);
        held[partition] = new Held(message, dueAt);
        metrics.WaitingChanged(1);
        RetryTopicLog.Waiting(logger, partition, dueAt);
        return true;
    }

    /// <summary>
    /// The held messages that are due, oldest due first, released from the gate. Their partitions are
    /// resumed unless <paramref name="resume"/> is false (the consumer is pausing every partition for
    /// another reason and resumes them itself later).
    /// </summary>
    public List<(ConsumeResult<byte[], byte[]> Message, DateTimeOffset DueAt)> TakeDue(IConsumer<byte[], byte[]> consumer, DateTimeOffset now, bool resume)
    {
        List<(ConsumeResult<byte[], byte[]>, DateTimeOffset)>? due = null;
        foreach (var (partition, hold) in held)
        {
            if (hold.DueAt > now)
            {
                continue;
            }

            if (resume && !Resume(consumer, partition))
            {
                continue;
            }

            (due ??= new()).Add((hold.Message, hold.DueAt));
        }

        if (due is null)
        {
            return [];
        }

        foreach (var (message, _) in due)
        {
            held.Remove(message.TopicPartition);
        }

        metrics.WaitingChanged(-due.Count);
        due.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return due;
    }

    /// <summary>Drops the holds of partitions this consumer no longer owns; their messages are consumed again by the next owner.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        var removed = 0;
        foreach (var partition in partitions)
        {
            if (held.Remove(partition))
            {
                removed++;
            }
        }

        metrics.WaitingChanged(-removed);
    }

    public void ForgetAll()
    {
        metrics.WaitingChanged(-held.Count);
        held.Clear();
    }

    private void Rewind(IConsumer<byte[], byte[]> consumer, TopicPartitionOffset to)
    {
        try
        {
            consumer.Seek(to);
        }
        catch (KafkaException ex)
        {
            // Without the rewind this message would be skipped: give up the hold so that the held message is
            // consumed again (the partition was never stored past it).
            RetryTopicLog.PauseFailed(logger, ex, to.TopicPartition);
            throw;
        }
    }

    private bool Pause(IConsumer<byte[], byte[]> consumer, TopicPartition partition)
    {
        try
        {
            consumer.Pause([partition]);
            return true;
        }
        catch (KafkaException ex)
        {
            RetryTopicLog.PauseFailed(logger, ex, partition);
            return false;
        }
    }

    private bool Resume(IConsumer<byte[], byte[]> consumer, TopicPartition partition)
    {
        try
        {
            consumer.Resume([partition]);
            return true;
        }
        catch (KafkaException ex)
        {
            RetryTopicLog.PauseFailed(logger, ex, partition);
            return false;
        }
    }

    private sealed record Held(ConsumeResult<byte[], byte[]> Message, DateTimeOffset DueAt);
}

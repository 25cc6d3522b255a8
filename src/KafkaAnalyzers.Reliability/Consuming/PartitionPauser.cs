using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// Pauses every assigned partition while there is a reason to (circuit breaker open, too much in
/// flight, stopping) and resumes them when there is none. Paused partitions stop fetching, but the
/// loop keeps polling, so the consumer stays in its group (no max.poll.interval.ms eviction).
/// librdkafka drops what it prefetched for a paused partition and fetches again from the next
/// unconsumed offset on resume, so nothing is skipped.
/// </summary>
/// <remarks>Confined to the poll thread.</remarks>
internal sealed class PartitionPauser
{
    private readonly HashSet<TopicPartition> paused = new();
    private readonly HashSet<TopicPartition> unsettled = new();
    private readonly ConsumerMetrics metrics;
    private readonly ILogger logger;
    private bool pausing;

    public PartitionPauser(ConsumerMetrics metrics, ILogger logger)
    {
        this.metrics = metrics;
        this.logger = logger;
    }

    /// <summary>Partitions that stay paused when the others resume (retry-tier partitions waiting for a due time).</summary>
    public Func<TopicPartition, bool>? KeepPaused { get; set; }

    /// <summary>Whether every assigned partition is paused for a reason (breaker, backpressure, stopping).</summary>
    public bool IsPausing => pausing;

    /// <summary>Newly assigned partitions take the current state on the next <see cref="Apply"/>.</summary>
    public void OnAssigned(IEnumerable<TopicPartition> partitions) => unsettled.UnionWith(partitions);

    public void OnRevoked(IEnumerable<TopicPartition> partitions)
    {
        var removed = 0;
        foreach (var partition in partitions)
        {
            unsettled.Remove(partition);
            if (paused.Remove(partition))
            {
                removed++;
            }
        }

        metrics.PausedChanged(-removed);
    }

    /// <summary>Forgets every partition (the consumer is gone without a revocation), so the paused-partitions gauge returns to zero.</summary>
    public void Forget()
    {
        metrics.PausedChanged(-paused.Count);
        paused.Clear();
        unsettled.Clear();
    }

    /// <param name="consumer">The consumer.</param>
    /// <param name="reason">Why to pause, or <see langword="null"/> to run.</param>
    public void Apply(IConsumer<byte[], byte[]> consumer, string? reason)
    {
        var shouldPause = reason is not null;
        if (shouldPause == pausing && unsettled.Count == 0)
        {
            return;
        }

        if (shouldPause)
        {
            var targets = (pausing ? unsettled.ToList() : consumer.Assignment).Where(p => !paused.Contains(p)).ToList();
            if (!Change(consumer, targets, pause: true))
            {
                return;
            }

            paused.UnionWith(targets);
            metrics.PausedChanged(targets.Count);
            if (targets.Count > 0)
            {
                ConsumerLog.Paused(logger, targets.Count, reason!);
            }
        }
        else
        {
            // Resume newly assigned partitions too: librdkafka may keep a partition paused across a reassignment.
            var targets = paused.Union(unsettled).Where(p => KeepPaused?.Invoke(p) != true).ToList();
            if (!Change(consumer, targets, pause: false))
            {
                return;
            }

            metrics.PausedChanged(-paused.Count);
            if (paused.Count > 0)
            {
                ConsumerLog.Resumed(logger, paused.Count);
            }

            paused.Clear();
        }

        unsettled.Clear();
        pausing = shouldPause;
    }

    private bool Change(IConsumer<byte[], byte[]> consumer, List<TopicPartition> targets, bool pause)
    {
        if (targets.Count == 0)
        {
            return true;
        }

        try
        {
            if (pause)
            {
                consumer.Pause(targets);
            }
            else
            {
                consumer.Resume(targets);
            }

            return true;
        }
        catch (KafkaException ex)
        {
            // Nothing changes in the bookkeeping, so the next poll tries again.
            ConsumerLog.PauseFailed(logger, ex, pause ? "pause" : "resume", string.Join(", ", targets));
            return false;
        }
    }
}

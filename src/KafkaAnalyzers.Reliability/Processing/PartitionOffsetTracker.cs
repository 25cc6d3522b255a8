using System.Diagnostics;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Processing;

/// <summary>
/// Tracks the messages of one partition that were handed to processing, in the order they were
/// consumed, and releases only the contiguous completed prefix: the offset it returns to store is
/// never past a message that is still being processed, however the completions are ordered.
/// </summary>
/// <remarks>
/// <see cref="Track"/> and <see cref="TakeCommittableOffset"/> belong to the thread that polls the
/// consumer; <see cref="Complete"/> may be called from any thread.
/// </remarks>
public sealed class PartitionOffsetTracker
{
    private readonly object gate = new();
    private readonly Queue<TrackedOffset> inOrder = new();
    private int pending;

    /// <summary>Creates a tracker for <paramref name="partition"/>.</summary>
    /// <param name="partition">The partition whose offsets this tracker follows.</param>
    public PartitionOffsetTracker(TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        Partition = partition;
    }

    /// <summary>The partition whose offsets this tracker follows.</summary>
    public TopicPartition Partition { get; }

    /// <summary>How many tracked messages are not completed yet.</summary>
    public int PendingCount
    {
        get
        {
            lock (gate)
            {
                return pending;
            }
        }
    }

    /// <summary>Starts tracking a consumed message. Call in consumption order.</summary>
    /// <param name="offset">The message's offset.</param>
    /// <param name="leaderEpoch">The message's leader epoch, stored with the offset when known.</param>
    /// <returns>The handle to pass to <see cref="Complete"/> once the message is done.</returns>
    public TrackedOffset Track(Offset offset, int? leaderEpoch = null)
    {
        if (offset.Value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "Only the offset of a consumed message can be tracked.");
        }

        var tracked = new TrackedOffset(this, offset, leaderEpoch);
        lock (gate)
        {
            inOrder.Enqueue(tracked);
            pending++;
        }

        return tracked;
    }

    /// <summary>Marks a message as done (processed or dead-lettered). Completing twice has no further effect.</summary>
    /// <param name="tracked">The handle <see cref="Track"/> returned.</param>
    public void Complete(TrackedOffset tracked)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        if (!ReferenceEquals(tracked.Owner, this))
        {
            throw new ArgumentException($"The offset belongs to another tracker ({tracked.Owner.Partition}), not to {Partition}.", nameof(tracked));
        }

        lock (gate)
        {
            if (tracked.IsCompleted)
            {
                return;
            }

            tracked.IsCompleted = true;
            pending--;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>
    /// Removes the completed prefix and returns the offset to store for it (the last completed
    /// message's offset + 1), or <see langword="null"/> when the prefix did not grow since the last call.
    /// </summary>
    public TopicPartitionOffset? TakeCommittableOffset()
    {
        TrackedOffset? last = null;
        lock (gate)
        {
            while (inOrder.TryPeek(out var head) && head.IsCompleted)
            {
                last = inOrder.Dequeue();
            }
        }

        return last is null ? null : new TopicPartitionOffset(Partition, last.Offset + 1, last.LeaderEpoch);
    }

    /// <summary>Waits until every tracked message is completed, or until <paramref name="timeout"/> passes.</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns><see langword="true"/> when nothing is pending any more.</returns>
    public bool WaitUntilDrained(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        lock (gate)
        {
            while (pending > 0)
            {
                var remaining = timeout - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero || !Monitor.Wait(gate, remaining))
                {
                    return pending == 0;
                }
            }

            return true;
        }
    }
}

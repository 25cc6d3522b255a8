using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Processing;

/// <summary>A consumed message whose completion a <see cref="PartitionOffsetTracker"/> waits for.</summary>
public sealed class TrackedOffset
{
    internal TrackedOffset(PartitionOffsetTracker owner, Offset offset, int? leaderEpoch)
    {
        Owner = owner;
        Offset = offset;
        LeaderEpoch = leaderEpoch;
    }

    /// <summary>The message's offset.</summary>
    public Offset Offset { get; }

    /// <summary>The message's leader epoch, when the broker reported one.</summary>
    public int? LeaderEpoch { get; }

    /// <summary>Whether the message was completed. Read under the owner's lock.</summary>
    internal bool IsCompleted { get; set; }

    internal PartitionOffsetTracker Owner { get; }
}

using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Health;

/// <summary>Where a consume loop is in its life.</summary>
public enum KafkaConsumerState
{
    /// <summary>Created, not started yet.</summary>
    NotStarted,

    /// <summary>Polling.</summary>
    Running,

    /// <summary>Asked to stop; finishing in-flight work and closing.</summary>
    Stopping,

    /// <summary>Stopped normally (closed).</summary>
    Stopped,

    /// <summary>Stopped, or stopping, on its own because of a failure (see <see cref="KafkaConsumerStatus.Fault"/>): reported from the moment the failure is recorded, while the loop may still be closing.</summary>
    Faulted,
}

/// <summary>A snapshot of a consume loop's health signals (<see cref="IKafkaConsumerStatusSource.GetStatus"/>).</summary>
/// <param name="State">Where the loop is in its life.</param>
/// <param name="Fault">Why the loop stopped (or is stopping), when it stopped on its own.</param>
/// <param name="GroupId">The consumer group.</param>
/// <param name="AssignedPartitions">How many partitions the consumer owns now.</param>
/// <param name="UnassignedSince">Since when the consumer has owned no partition (since its start, or its last revocation); null while it owns some.</param>
/// <param name="CircuitBreakerOpen">Whether the handler's circuit breaker is open (partitions paused).</param>
/// <param name="Lag">Messages not yet done per owned partition: the partition's high watermark minus the offset that would be committed now. Refreshed on the poll thread every <c>LagRefreshInterval</c>; a partition appears once its high watermark is known (after its first fetch).</param>
/// <param name="LagMeasuredAt">When <paramref name="Lag"/> was refreshed; null before the first refresh.</param>
public sealed record KafkaConsumerStatus(
    KafkaConsumerState State,
    Exception? Fault,
    string GroupId,
    int AssignedPartitions,
    DateTimeOffset? UnassignedSince,
    bool CircuitBreakerOpen,
    IReadOnlyDictionary<TopicPartition, long> Lag,
    DateTimeOffset? LagMeasuredAt)
{
    /// <summary>The sum of <see cref="Lag"/>.</summary>
    public long TotalLag => Lag.Values.Sum();
}

/// <summary>A consume loop that reports its health signals: <see cref="Consuming.ReliableConsumer{TKey,TValue}"/> and <see cref="ExactlyOnce.ExactlyOnceProcessor{TKey,TValue,TOutKey,TOutValue}"/>.</summary>
public interface IKafkaConsumerStatusSource
{
    /// <summary>A snapshot of the current signals; cheap and safe to call from any thread.</summary>
    /// <returns>The snapshot.</returns>
    KafkaConsumerStatus GetStatus();
}

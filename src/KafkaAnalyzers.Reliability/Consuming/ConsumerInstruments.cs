using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// Names of the <see cref="ReliableConsumer{TKey, TValue}"/> instruments on the
/// <see cref="ReliabilityTelemetry.Name"/> meter. Every measurement carries the
/// <see cref="ConsumerGroupTag"/>; message measurements also <see cref="ReliabilityInstruments.TopicTag"/>.
/// </summary>
public static class ConsumerInstruments
{
    /// <summary>Tag: the consumer group.</summary>
    public const string ConsumerGroupTag = "messaging.consumer.group.name";

    /// <summary>Tag of <see cref="BreakerTransitions"/>: <c>open</c>, <c>half_open</c> or <c>closed</c>.</summary>
    public const string BreakerStateTag = "kafka.circuit_breaker.state";

    /// <summary>Counter: messages the handler completed successfully.</summary>
    public const string MessagesProcessed = "kafka.reliability.consumer.messages.processed";

    /// <summary>Counter: handler attempts retried after a transient failure (tag <see cref="ReliabilityInstruments.ErrorTypeTag"/>: the exception type).</summary>
    public const string MessagesRetried = "kafka.reliability.consumer.messages.retried";

    /// <summary>Counter: messages stored in the dead-letter sink (tag <see cref="ReliabilityInstruments.FailureCategoryTag"/>: <c>Permanent</c> or <c>Transient</c>).</summary>
    public const string MessagesDeadLettered = "kafka.reliability.consumer.messages.dead_lettered";

    /// <summary>Counter: messages abandoned because their partition was revoked or the consumer stopped; their offsets were not stored, so they are delivered again.</summary>
    public const string MessagesAbandoned = "kafka.reliability.consumer.messages.abandoned";

    /// <summary>Up-down counter: consumed messages waiting for or in processing.</summary>
    public const string MessagesInFlight = "kafka.reliability.consumer.messages.in_flight";

    /// <summary>Histogram (seconds): from the start of a message's processing to its success or dead letter, retries included.</summary>
    public const string ProcessingDuration = "kafka.reliability.consumer.processing.duration";

    /// <summary>Up-down counter: partitions paused by the circuit breaker, by backpressure or for shutdown.</summary>
    public const string PartitionsPaused = "kafka.reliability.consumer.partitions.paused";

    /// <summary>Counter: circuit breaker state changes (tag <see cref="BreakerStateTag"/>).</summary>
    public const string BreakerTransitions = "kafka.reliability.consumer.circuit_breaker.transitions";

    /// <summary>Tag of <see cref="Lag"/>: the partition number.</summary>
    public const string PartitionTag = "messaging.destination.partition.id";

    /// <summary>
    /// Gauge ({message}): per owned partition (tags: group, <see cref="ReliabilityInstruments.TopicTag"/>, <see cref="PartitionTag"/>),
    /// the high watermark minus the offset that would be committed now, refreshed every <c>LagRefreshInterval</c>
    /// from librdkafka's cached watermarks (no request to the cluster).
    /// </summary>
    public const string Lag = "kafka.reliability.consumer.lag";

    /// <summary>Counter: failed attempts to hand a message to the dead-letter sink.</summary>
    public const string DeadLetterFailures = "kafka.reliability.consumer.dead_letter.failures";
}

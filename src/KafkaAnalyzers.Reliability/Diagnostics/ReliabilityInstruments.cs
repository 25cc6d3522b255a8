namespace KafkaAnalyzers.Reliability.Diagnostics;

/// <summary>
/// Names of every instrument on the <see cref="ReliabilityTelemetry.Name"/> meter, and of the tags they
/// carry. Subscribe with OpenTelemetry (<c>AddMeter(ReliabilityTelemetry.Name)</c>) or a
/// <c>MeterListener</c>.
/// </summary>
public static class ReliabilityInstruments
{
    /// <summary>Tag: the topic a message was produced to, or the original topic of a dead letter.</summary>
    public const string TopicTag = "messaging.destination.name";

    /// <summary>Tag: the Kafka error code name of a failure (e.g. <c>NotEnoughReplicas</c>).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Tag: <c>Permanent</c> or <c>Transient</c> (see <see cref="DeadLetters.FailureCategory"/>).</summary>
    public const string FailureCategoryTag = "kafka.failure.category";

    /// <summary>Tag: the topic a dead letter was written to.</summary>
    public const string DeadLetterTopicTag = "kafka.dead_letter.topic";

    /// <summary>Counter: messages accepted into the producer's queue (each is later delivered, failed or undelivered).</summary>
    public const string ProducerMessagesProduced = "kafka.reliability.producer.messages.produced";

    /// <summary>Counter: messages the cluster acknowledged.</summary>
    public const string ProducerMessagesDelivered = "kafka.reliability.producer.messages.delivered";

    /// <summary>Counter: messages whose delivery failed (tags: topic, error type, category).</summary>
    public const string ProducerMessagesFailed = "kafka.reliability.producer.messages.failed";

    /// <summary>Counter: messages still unconfirmed when a producer was disposed.</summary>
    public const string ProducerMessagesUndelivered = "kafka.reliability.producer.messages.undelivered";

    /// <summary>Histogram (seconds): time from produce to delivery report, successful or not.</summary>
    public const string ProducerDeliveryDuration = "kafka.reliability.producer.delivery.duration";

    /// <summary>Counter: dead letters acknowledged by the cluster (tags: original topic, dead-letter topic, category).</summary>
    public const string DeadLettersPublished = "kafka.reliability.dead_letters.published";

    /// <summary>Counter: dead letters that could not be stored (the publish task faulted).</summary>
    public const string DeadLettersFailed = "kafka.reliability.dead_letters.failed";
}

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>
/// Names of the retry-topic instruments on the <see cref="Diagnostics.ReliabilityTelemetry.Name"/> meter. Every
/// measurement carries <see cref="Consuming.ConsumerInstruments.ConsumerGroupTag"/>,
/// <see cref="Diagnostics.ReliabilityInstruments.TopicTag"/> (the source topic) and <see cref="TierTag"/>.
/// </summary>
public static class RetryTopicInstruments
{
    /// <summary>Tag: the retry tier, 1 for the first.</summary>
    public const string TierTag = "kafka.retry.tier";

    /// <summary>Tag of <see cref="MessagesSent"/>: <c>failed</c> (after a transient failure) or <c>follows</c> (behind an earlier message of its key, not handled).</summary>
    public const string ReasonTag = "kafka.retry.reason";

    /// <summary>Counter: messages produced to a retry tier (and acknowledged), by tier.</summary>
    public const string MessagesSent = "kafka.reliability.consumer.retry_topic.messages.sent";

    /// <summary>Counter: messages taken out of a tier that the handler then completed.</summary>
    public const string MessagesRecovered = "kafka.reliability.consumer.retry_topic.messages.recovered";

    /// <summary>Counter: messages dead-lettered from a tier (after the last tier, or a permanent failure in a tier); tag <see cref="Diagnostics.ReliabilityInstruments.FailureCategoryTag"/>.</summary>
    public const string MessagesDeadLettered = "kafka.reliability.consumer.retry_topic.messages.dead_lettered";

    /// <summary>Histogram (seconds): how long after its due time a message was taken out of its tier.</summary>
    public const string DueLag = "kafka.reliability.consumer.retry_topic.due_lag";

    /// <summary>Up-down counter: tier partitions paused until their first message is due.</summary>
    public const string PartitionsWaiting = "kafka.reliability.consumer.retry_topic.partitions.waiting";
}

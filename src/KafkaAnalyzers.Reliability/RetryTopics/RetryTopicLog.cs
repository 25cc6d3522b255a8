using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>Retry-topic log events (EventIds 1300-1349).</summary>
internal static partial class RetryTopicLog
{
    [LoggerMessage(1300, LogLevel.Information, "Created retry topics: {Topics}")]
    public static partial void TopicsCreated(ILogger logger, string topics);

    [LoggerMessage(1301, LogLevel.Information, "Retry topics in use: {Topics}")]
    public static partial void TopicsReady(ILogger logger, string topics);

    [LoggerMessage(1302, LogLevel.Warning, "Transient failure on {Topic} [{Partition}] @{Offset} after {Attempts} attempt(s); sent to retry tier {Tier} ({RetryTopic}), due at {DueAt:O}")]
    public static partial void SentToTier(ILogger logger, Exception exception, string topic, int partition, long offset, int attempts, int tier, string retryTopic, DateTimeOffset dueAt);

    [LoggerMessage(1303, LogLevel.Information, "{Topic} [{Partition}] @{Offset} follows an earlier message of its key into retry tier {Tier} ({RetryTopic}) without being handled")]
    public static partial void Followed(ILogger logger, string topic, int partition, long offset, int tier, string retryTopic);

    [LoggerMessage(1304, LogLevel.Error, "Could not send {Topic} [{Partition}] @{Offset} to retry topic {RetryTopic} (attempt {Attempt})")]
    public static partial void SendFailed(ILogger logger, Exception exception, string topic, int partition, long offset, string retryTopic, int attempt);

    [LoggerMessage(1305, LogLevel.Debug, "Retry partition {Partition} waits until {DueAt:O} for its next message")]
    public static partial void Waiting(ILogger logger, TopicPartition partition, DateTimeOffset dueAt);

    [LoggerMessage(1306, LogLevel.Warning, "Message at {Location} in a retry topic has unreadable retry headers ({Problem}); it is dead-lettered as permanent")]
    public static partial void Unreadable(ILogger logger, TopicPartitionOffset location, string problem);

    [LoggerMessage(1307, LogLevel.Warning, "A retry-tier delivery was abandoned by its waiter and then failed: {Topic} {Code} ({Reason}); its source offset was never stored, so the message is consumed and retried again")]
    public static partial void AbandonedDeliveryFailed(ILogger logger, string topic, ErrorCode code, string reason);

    [LoggerMessage(1308, LogLevel.Warning, "Could not pause or resume retry partition {Partition}; trying again on the next poll")]
    public static partial void PauseFailed(ILogger logger, Exception exception, TopicPartition partition);

    [LoggerMessage(1309, LogLevel.Warning, "Disposing the retry-tier producer reported unconfirmed messages (their source offsets were never stored, so they are retried again)")]
    public static partial void ProducerDisposeFailed(ILogger logger, Exception exception);
}

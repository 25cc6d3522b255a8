using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>The consume loop's log events (EventIds 1100-1199).</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(1100, LogLevel.Information, "Reliable consumer started for group {GroupId}, topics {Topics}")]
    public static partial void Started(ILogger logger, string groupId, string topics);

    [LoggerMessage(1101, LogLevel.Information, "Partitions assigned: {Partitions}")]
    public static partial void Assigned(ILogger logger, string partitions);

    [LoggerMessage(1102, LogLevel.Information, "Partitions revoked: {Partitions}; {Pending} in-flight message(s) abandoned (delivered again to the next owner)")]
    public static partial void Revoked(ILogger logger, string partitions, int pending);

    [LoggerMessage(1103, LogLevel.Warning, "Partitions lost: {Partitions}; their in-flight messages are abandoned and no offsets are committed for them")]
    public static partial void Lost(ILogger logger, string partitions);

    [LoggerMessage(1104, LogLevel.Warning, "Transient failure on {Topic} [{Partition}] @{Offset}, attempt {Attempt}; retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, Exception exception, string topic, int partition, long offset, int attempt, TimeSpan delay);

    [LoggerMessage(1105, LogLevel.Error, "{Category} failure on {Topic} [{Partition}] @{Offset} after {Attempts} attempt(s); dead-lettered")]
    public static partial void DeadLettered(ILogger logger, Exception exception, string category, string topic, int partition, long offset, int attempts);

    [LoggerMessage(1106, LogLevel.Error, "Could not dead-letter {Topic} [{Partition}] @{Offset} (attempt {Attempt})")]
    public static partial void DeadLetterFailed(ILogger logger, Exception exception, string topic, int partition, long offset, int attempt);

    [LoggerMessage(1107, LogLevel.Warning, "Circuit breaker opened for {Duration}: consumption pauses")]
    public static partial void BreakerOpened(ILogger logger, Exception? exception, TimeSpan duration);

    [LoggerMessage(1108, LogLevel.Information, "Circuit breaker {State}")]
    public static partial void BreakerChanged(ILogger logger, string state);

    [LoggerMessage(1109, LogLevel.Information, "Paused {Count} partition(s) ({Reason})")]
    public static partial void Paused(ILogger logger, int count, string reason);

    [LoggerMessage(1110, LogLevel.Information, "Resumed {Count} partition(s)")]
    public static partial void Resumed(ILogger logger, int count);

    [LoggerMessage(1111, LogLevel.Warning, "Could not store offset {Offset}")]
    public static partial void StoreFailed(ILogger logger, Exception exception, TopicPartitionOffset offset);

    [LoggerMessage(1112, LogLevel.Warning, "Could not commit offsets ({Reason}); the messages after the last committed offset will be delivered again")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(1113, LogLevel.Warning, "Consume error {Code}: {Reason}")]
    public static partial void ConsumeError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(1114, LogLevel.Critical, "Fatal Kafka error {Code}: {Reason}; the consumer stops")]
    public static partial void Fatal(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(1115, LogLevel.Critical, "The consumer stops: {Reason}")]
    public static partial void Faulted(ILogger logger, Exception exception, string reason);

    [LoggerMessage(1116, LogLevel.Information, "Stopping: {InFlight} message(s) in flight")]
    public static partial void Stopping(ILogger logger, int inFlight);

    [LoggerMessage(1117, LogLevel.Warning, "Shutdown deadline reached with {InFlight} message(s) in flight; they are abandoned and delivered again after a restart")]
    public static partial void ShutdownAbandoned(ILogger logger, int inFlight);

    [LoggerMessage(1118, LogLevel.Information, "Committed offsets: {Offsets}")]
    public static partial void Committed(ILogger logger, string offsets);

    [LoggerMessage(1119, LogLevel.Information, "Consumer closed (left group {GroupId})")]
    public static partial void Closed(ILogger logger, string groupId);

    [LoggerMessage(1120, LogLevel.Error, "Close failed; the group rebalances after session.timeout.ms")]
    public static partial void CloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(1121, LogLevel.Warning, "Consumer aborted without Close (simulated crash)")]
    public static partial void Aborted(ILogger logger);

    [LoggerMessage(1122, LogLevel.Warning, "Kafka error {Code}: {Reason}")]
    public static partial void KafkaError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(1123, LogLevel.Error, "Unexpected failure in message processing")]
    public static partial void ProcessingBug(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1124, Message = "librdkafka {Facility}: {Message}")]
    public static partial void Librdkafka(ILogger logger, LogLevel level, string facility, string message);

    [LoggerMessage(1125, LogLevel.Warning, "Could not {Action} partitions {Partitions}")]
    public static partial void PauseFailed(ILogger logger, Exception exception, string action, string partitions);
}

using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.ExactlyOnce;

/// <summary>The exactly-once processor's log events (EventIds 1300-1399).</summary>
internal static partial class ExactlyOnceLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Exactly-once processor of group {GroupId} started on {Topics} with transactional.id {TransactionalId}")]
    public static partial void Started(ILogger logger, string groupId, string topics, string transactionalId);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Committed a transaction of {Inputs} input(s), {Outputs} output(s) and {DeadLetters} dead letter(s): {Offsets}")]
    public static partial void Committed(ILogger logger, int inputs, int outputs, int deadLetters, string offsets);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Aborted a transaction of {Inputs} input(s) ({Reason}); rewinding to {Offsets}")]
    public static partial void Aborted(ILogger logger, Exception? exception, int inputs, string reason, string offsets);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Transaction call {Call} failed with a retriable (or, for an abort, non-fatal) error; retrying")]
    public static partial void Retrying(ILogger logger, Exception exception, string call);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Critical, Message = "Exactly-once processor stopped: {Reason}")]
    public static partial void Faulted(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Exactly-once processor of group {GroupId} closed")]
    public static partial void Closed(ILogger logger, string groupId);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Exactly-once processor killed without Close() (simulated crash)")]
    public static partial void Killed(ILogger logger);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information, Message = "Partitions assigned: {Partitions}")]
    public static partial void Assigned(ILogger logger, string partitions);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Information, Message = "Partitions revoked: {Partitions}; {Dropped} consumed message(s) not yet in a transaction dropped (the next owner reads them)")]
    public static partial void Revoked(ILogger logger, string partitions, int dropped);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Warning, Message = "Kafka error {Code}: {Reason}")]
    public static partial void KafkaError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Error, Message = "Dead-lettered {Topic} [{Partition}] @{Offset} in the transaction ({Category}, {Attempts} attempt(s))")]
    public static partial void DeadLettered(ILogger logger, Exception exception, string topic, int partition, long offset, string category, int attempts);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Closing the exactly-once processor failed")]
    public static partial void CloseFailed(ILogger logger, Exception exception);
}

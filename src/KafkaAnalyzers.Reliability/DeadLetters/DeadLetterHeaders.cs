using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// Names and encoding of the headers <see cref="KafkaDeadLetterPublisher"/> adds to a dead letter.
/// Every value is UTF-8 text; integers and times are invariant-culture decimal text (times are Unix
/// epoch milliseconds, like Kafka timestamps). The original message's headers come first, unchanged;
/// these follow. A message dead-lettered twice carries two sets: read the last occurrence
/// (<see cref="Headers.TryGetLastBytes"/>), which <see cref="DeadLetterMetadata.Read"/> does.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Prefix of every dead-letter header.</summary>
    public const string Prefix = "dlq.";

    /// <summary>Topic the message was consumed from.</summary>
    public const string OriginalTopic = Prefix + "original.topic";

    /// <summary>Partition it was consumed from (decimal).</summary>
    public const string OriginalPartition = Prefix + "original.partition";

    /// <summary>Its offset in that partition (decimal).</summary>
    public const string OriginalOffset = Prefix + "original.offset";

    /// <summary>Its timestamp (decimal Unix milliseconds).</summary>
    public const string OriginalTimestamp = Prefix + "original.timestamp";

    /// <summary>Its timestamp type: <c>CreateTime</c>, <c>LogAppendTime</c> or <c>NotAvailable</c>.</summary>
    public const string OriginalTimestampType = Prefix + "original.timestamp.type";

    /// <summary>Full .NET type name of the exception that stopped processing.</summary>
    public const string ExceptionType = Prefix + "exception.type";

    /// <summary>The exception's message; truncated (after the stack trace) when the dead letter would be too large.</summary>
    public const string ExceptionMessage = Prefix + "exception.message";

    /// <summary><see cref="Exception.ToString"/> (type, message, stack trace, inner exceptions); truncated first when the dead letter would be too large.</summary>
    public const string ExceptionStackTrace = Prefix + "exception.stacktrace";

    /// <summary><c>Permanent</c> or <c>Transient</c> (<see cref="FailureCategory"/>).</summary>
    public const string FailureCategory = Prefix + "failure.category";

    /// <summary>How many times processing was attempted (decimal).</summary>
    public const string Attempts = Prefix + "attempts";

    /// <summary>Consumer group that failed to process the message; absent when the publisher was not told.</summary>
    public const string ConsumerGroup = Prefix + "consumer.group";

    /// <summary>When the message was dead-lettered (decimal Unix milliseconds, UTC).</summary>
    public const string FailedAt = Prefix + "failed.at";

    /// <summary>Text appended to a truncated <see cref="ExceptionMessage"/> or <see cref="ExceptionStackTrace"/>.</summary>
    public const string TruncationMarker = "…[truncated]";

    internal static byte[] Encode(string value) => Encoding.UTF8.GetBytes(value);

    internal static byte[] Encode(long value) => Encode(value.ToString(CultureInfo.InvariantCulture));
}

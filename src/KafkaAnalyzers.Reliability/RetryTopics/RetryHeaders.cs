using System.Globalization;
using System.Text;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>
/// Headers of a message in a retry tier (<c>&lt;topic&gt;.retry.&lt;n&gt;</c>). The original message's headers
/// come first, unchanged; these follow, one set (moving to the next tier replaces them). UTF-8 text;
/// integers and times are invariant decimal text, times in Unix epoch milliseconds.
/// <see cref="RetryMetadata.Read"/> decodes them. When the message finally goes to the dead-letter topic
/// it keeps them, so the dead letter shows its whole retry history.
/// </summary>
public static class RetryHeaders
{
    /// <summary>Prefix of every retry header.</summary>
    public const string Prefix = "retry.";

    /// <summary>Topic the message was first consumed from (the source topic, not a tier).</summary>
    public const string OriginalTopic = Prefix + "original.topic";

    /// <summary>Its partition there (decimal).</summary>
    public const string OriginalPartition = Prefix + "original.partition";

    /// <summary>Its offset there (decimal).</summary>
    public const string OriginalOffset = Prefix + "original.offset";

    /// <summary>Its original timestamp (decimal Unix ms).</summary>
    public const string OriginalTimestamp = Prefix + "original.timestamp";

    /// <summary>Its original timestamp type: <c>CreateTime</c>, <c>LogAppendTime</c> or <c>NotAvailable</c>.</summary>
    public const string OriginalTimestampType = Prefix + "original.timestamp.type";

    /// <summary>The tier this message is in, 1 for the first (decimal).</summary>
    public const string Tier = Prefix + "tier";

    /// <summary>Handler attempts so far, over the source topic and every tier (decimal).</summary>
    public const string Attempts = Prefix + "attempts";

    /// <summary>When the message is due for its next attempt (decimal Unix ms, UTC); it is not handled before.</summary>
    public const string DueAt = Prefix + "due.at";

    /// <summary>Full .NET type name of the first failure's exception.</summary>
    public const string FirstExceptionType = Prefix + "first.exception.type";

    /// <summary>The first failure's exception message (bounded).</summary>
    public const string FirstExceptionMessage = Prefix + "first.exception.message";

    /// <summary>When the first attempt failed (decimal Unix ms).</summary>
    public const string FirstFailedAt = Prefix + "first.failed.at";

    /// <summary>Full .NET type name of the last failure's exception.</summary>
    public const string LastExceptionType = Prefix + "last.exception.type";

    /// <summary>The last failure's exception message (cut second when the message would be too large).</summary>
    public const string LastExceptionMessage = Prefix + "last.exception.message";

    /// <summary>The last failure's <see cref="Exception.ToString"/> (cut first when the message would be too large).</summary>
    public const string LastExceptionStackTrace = Prefix + "last.exception.stacktrace";

    /// <summary>When the last attempt failed (decimal Unix ms).</summary>
    public const string LastFailedAt = Prefix + "last.failed.at";

    /// <summary>The consumer group that sent it to the tier.</summary>
    public const string ConsumerGroup = Prefix + "consumer.group";

    /// <summary>
    /// <c>true</c> when the message was sent to the retry path without being handled, behind an earlier
    /// message of its key that was in retry (<see cref="RetryTopicOptions.KeepKeyOrder"/>).
    /// </summary>
    public const string Follows = Prefix + "follows";

    internal static byte[] Encode(string value) => Encoding.UTF8.GetBytes(value);

    internal static byte[] Encode(long value) => Encode(value.ToString(CultureInfo.InvariantCulture));
}

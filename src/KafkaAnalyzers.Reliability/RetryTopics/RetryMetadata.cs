using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>One failed attempt as a retry tier records it.</summary>
/// <param name="ExceptionType">Full .NET type name of the exception.</param>
/// <param name="ExceptionMessage">Its message (possibly truncated).</param>
/// <param name="FailedAt">When the attempt failed.</param>
/// <param name="StackTrace">Its full text; only the last failure keeps it (possibly truncated or empty).</param>
public sealed record RetryFailure(string ExceptionType, string ExceptionMessage, DateTimeOffset FailedAt, string? StackTrace);

/// <summary>The <see cref="RetryHeaders"/> of a message in a retry tier, decoded.</summary>
/// <param name="OriginalTopic">Topic it was first consumed from.</param>
/// <param name="OriginalPartition">Partition there.</param>
/// <param name="OriginalOffset">Offset there.</param>
/// <param name="OriginalTimestamp">Its original timestamp.</param>
/// <param name="Tier">The tier it is in (1 for the first).</param>
/// <param name="Attempts">Handler attempts so far, over the source topic and every tier.</param>
/// <param name="DueAt">When it is due for its next attempt.</param>
/// <param name="FirstFailure">The first failed attempt; null for a message that follows another of its key without having been handled.</param>
/// <param name="LastFailure">The last failed attempt; null like <paramref name="FirstFailure"/>.</param>
/// <param name="ConsumerGroup">The consumer group that sent it.</param>
/// <param name="Follows">Whether it was sent behind an earlier message of its key without being handled (<see cref="RetryTopicOptions.KeepKeyOrder"/>).</param>
public sealed record RetryMetadata(
    string OriginalTopic,
    int OriginalPartition,
    long OriginalOffset,
    Timestamp OriginalTimestamp,
    int Tier,
    int Attempts,
    DateTimeOffset DueAt,
    RetryFailure? FirstFailure,
    RetryFailure? LastFailure,
    string? ConsumerGroup,
    bool Follows)
{
    /// <summary>Where the message was first consumed.</summary>
    public TopicPartitionOffset OriginalTopicPartitionOffset => new(OriginalTopic, OriginalPartition, OriginalOffset);

    /// <summary>Decodes the retry headers (last occurrence of each).</summary>
    /// <param name="headers">The headers of a message read from a retry tier.</param>
    /// <returns>The decoded metadata.</returns>
    /// <exception cref="FormatException">A required header is missing or malformed; the message names it.</exception>
    public static RetryMetadata Read(Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var timestampType = Text(headers, RetryHeaders.OriginalTimestampType);
        if (!Enum.TryParse<TimestampType>(timestampType, ignoreCase: false, out var type) || !Enum.IsDefined(type) || !char.IsAsciiLetter(timestampType[0]))
        {
            throw new FormatException($"Retry header '{RetryHeaders.OriginalTimestampType}' is '{timestampType}', not one of {string.Join(", ", Enum.GetNames<TimestampType>())}.");
        }

        return new RetryMetadata(
            Text(headers, RetryHeaders.OriginalTopic),
            (int)Number(headers, RetryHeaders.OriginalPartition),
            Number(headers, RetryHeaders.OriginalOffset),
            new Timestamp(Number(headers, RetryHeaders.OriginalTimestamp), type),
            (int)Number(headers, RetryHeaders.Tier),
            (int)Number(headers, RetryHeaders.Attempts),
            DateTimeOffset.FromUnixTimeMilliseconds(Number(headers, RetryHeaders.DueAt)),
            Failure(headers, RetryHeaders.FirstExceptionType, RetryHeaders.FirstExceptionMessage, RetryHeaders.FirstFailedAt, stackTraceHeader: null),
            Failure(headers, RetryHeaders.LastExceptionType, RetryHeaders.LastExceptionMessage, RetryHeaders.LastFailedAt, RetryHeaders.LastExceptionStackTrace),
            OptionalText(headers, RetryHeaders.ConsumerGroup),
            OptionalText(headers, RetryHeaders.Follows) == "true");
    }

    /// <summary>Like <see cref="Read"/>, but returns false (with the reason) instead of throwing.</summary>
    /// <param name="headers">The headers; null has none.</param>
    /// <param name="metadata">The decoded metadata when the headers are complete.</param>
    /// <param name="problem">Why they could not be read.</param>
    /// <returns>Whether the headers were complete and well-formed.</returns>
    public static bool TryRead(Headers? headers, out RetryMetadata? metadata, out string? problem)
    {
        metadata = null;
        problem = null;
        if (headers is null)
        {
            problem = $"The message has no headers, so no '{RetryHeaders.OriginalTopic}'.";
            return false;
        }

        try
        {
            metadata = Read(headers);
            return true;
        }
        catch (FormatException malformed)
        {
            problem = malformed.Message;
            return false;
        }
    }

    private static RetryFailure? Failure(Headers headers, string typeHeader, string messageHeader, string atHeader, string? stackTraceHeader)
    {
        var type = OptionalText(headers, typeHeader);
        if (type is null)
        {
            return null;
        }

        return new RetryFailure(
            type,
            OptionalText(headers, messageHeader) ?? string.Empty,
            DateTimeOffset.FromUnixTimeMilliseconds(Number(headers, atHeader)),
            stackTraceHeader is null ? null : OptionalText(headers, stackTraceHeader));
    }

    private static string? OptionalText(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;

    private static string Text(Headers headers, string name) =>
        OptionalText(headers, name) is { Length: > 0 } text ? text : throw new FormatException($"Retry header '{name}' is missing.");

    private static long Number(Headers headers, string name)
    {
        var text = Text(headers, name);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"Retry header '{name}' is '{text}', not a decimal integer.");
    }
}

using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>What <see cref="KafkaDeadLetterPublisher"/> recorded about a dead letter, decoded from its headers.</summary>
/// <param name="OriginalTopic">Topic the message was consumed from.</param>
/// <param name="OriginalPartition">Partition it was consumed from.</param>
/// <param name="OriginalOffset">Its offset.</param>
/// <param name="OriginalTimestamp">Its timestamp.</param>
/// <param name="ExceptionType">Full type name of the exception.</param>
/// <param name="ExceptionMessage">The exception message (possibly truncated).</param>
/// <param name="ExceptionStackTrace">The exception's full text (possibly truncated or empty).</param>
/// <param name="Category">Whether retrying could have helped.</param>
/// <param name="Attempts">How many times processing was attempted.</param>
/// <param name="ConsumerGroup">The consumer group, when the publisher knew it.</param>
/// <param name="FailedAt">When it was dead-lettered.</param>
public sealed record DeadLetterMetadata(
    string OriginalTopic,
    int OriginalPartition,
    long OriginalOffset,
    Timestamp OriginalTimestamp,
    string ExceptionType,
    string ExceptionMessage,
    string ExceptionStackTrace,
    FailureCategory Category,
    int Attempts,
    string? ConsumerGroup,
    DateTimeOffset FailedAt)
{
    /// <summary>Where the original message was.</summary>
    public TopicPartitionOffset OriginalTopicPartitionOffset => new(OriginalTopic, OriginalPartition, OriginalOffset);

    /// <summary>Decodes the dead-letter headers (last occurrence of each) of a message read from a dead-letter topic.</summary>
    /// <param name="headers">The dead letter's headers.</param>
    /// <returns>The decoded metadata.</returns>
    /// <exception cref="FormatException">A required header is missing or malformed; the message names it.</exception>
    public static DeadLetterMetadata Read(Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var timestampType = Named<TimestampType>(headers, DeadLetterHeaders.OriginalTimestampType);
        return new DeadLetterMetadata(
            Text(headers, DeadLetterHeaders.OriginalTopic),
            (int)Number(headers, DeadLetterHeaders.OriginalPartition),
            Number(headers, DeadLetterHeaders.OriginalOffset),
            new Timestamp(Number(headers, DeadLetterHeaders.OriginalTimestamp), timestampType),
            Text(headers, DeadLetterHeaders.ExceptionType),
            Text(headers, DeadLetterHeaders.ExceptionMessage),
            Text(headers, DeadLetterHeaders.ExceptionStackTrace),
            Named<FailureCategory>(headers, DeadLetterHeaders.FailureCategory),
            (int)Number(headers, DeadLetterHeaders.Attempts),
            headers.TryGetLastBytes(DeadLetterHeaders.ConsumerGroup, out var group) ? Encoding.UTF8.GetString(group) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(Number(headers, DeadLetterHeaders.FailedAt)));
    }

    private static string Text(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) && bytes is not null
            ? Encoding.UTF8.GetString(bytes)
            : throw new FormatException($"Dead-letter header '{name}' is missing.");

    private static T Named<T>(Headers headers, string name)
        where T : struct, Enum
    {
        var text = Text(headers, name);
        return text.Length > 0 && char.IsAsciiLetter(text[0]) && Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new FormatException($"Dead-letter header '{name}' is '{text}', not one of {string.Join(", ", Enum.GetNames<T>())}.");
    }

    private static long Number(Headers headers, string name)
    {
        var text = Text(headers, name);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"Dead-letter header '{name}' is '{text}', not a decimal integer.");
    }
}

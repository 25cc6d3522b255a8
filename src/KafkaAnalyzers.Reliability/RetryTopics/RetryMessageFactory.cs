using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>Everything a tier message records besides the original key, value and headers.</summary>
internal sealed record RetryStep(
    TopicPartitionOffset Original,
    Timestamp OriginalTimestamp,
    int Tier,
    int Attempts,
    DateTimeOffset DueAt,
    RetryFailure? FirstFailure,
    Exception? Failure,
    DateTimeOffset FailedAt,
    RetryFailure? PreviousLastFailure,
    string ConsumerGroup,
    bool Follows);

/// <summary>
/// Builds the message for a retry tier: the consumed message's key, value and headers (without an earlier
/// set of retry headers) plus one set of <see cref="RetryHeaders"/>, kept within <c>message.max.bytes</c>
/// like a dead letter: the last failure's full text is cut first, then its message, then the first failure's message.
/// </summary>
internal static class RetryMessageFactory
{
    public static Message<byte[], byte[]> Create(Message<byte[], byte[]> consumed, RetryStep step, int maxMessageBytes)
    {
        var headers = new Headers();
        foreach (var header in consumed.Headers ?? [])
        {
            if (!header.Key.StartsWith(RetryHeaders.Prefix, StringComparison.Ordinal))
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        headers.Add(RetryHeaders.OriginalTopic, RetryHeaders.Encode(step.Original.Topic));
        headers.Add(RetryHeaders.OriginalPartition, RetryHeaders.Encode(step.Original.Partition.Value));
        headers.Add(RetryHeaders.OriginalOffset, RetryHeaders.Encode(step.Original.Offset.Value));
        headers.Add(RetryHeaders.OriginalTimestamp, RetryHeaders.Encode(step.OriginalTimestamp.UnixTimestampMs));
        headers.Add(RetryHeaders.OriginalTimestampType, RetryHeaders.Encode(step.OriginalTimestamp.Type.ToString()));
        headers.Add(RetryHeaders.Tier, RetryHeaders.Encode(step.Tier));
        headers.Add(RetryHeaders.Attempts, RetryHeaders.Encode(step.Attempts));
        headers.Add(RetryHeaders.DueAt, RetryHeaders.Encode(step.DueAt.ToUnixTimeMilliseconds()));
        headers.Add(RetryHeaders.ConsumerGroup, RetryHeaders.Encode(step.ConsumerGroup));
        if (step.Follows)
        {
            headers.Add(RetryHeaders.Follows, RetryHeaders.Encode("true"));
        }

        // The failure that sent it here, or (for a message that only follows) what it carried before.
        var last = step.Failure is { } failure
            ? new RetryFailure(failure.GetType().FullName ?? failure.GetType().Name, failure.Message, step.FailedAt, failure.ToString())
            : step.PreviousLastFailure;
        var first = step.FirstFailure ?? last;

        var firstMessage = first is null ? [] : Encoding.UTF8.GetBytes(first.ExceptionMessage);
        var lastMessage = last is null ? [] : Encoding.UTF8.GetBytes(last.ExceptionMessage);
        var lastText = last?.StackTrace is { } text ? Encoding.UTF8.GetBytes(text) : [];
        if (first is not null)
        {
            headers.Add(RetryHeaders.FirstExceptionType, RetryHeaders.Encode(first.ExceptionType));
            headers.Add(RetryHeaders.FirstFailedAt, RetryHeaders.Encode(first.FailedAt.ToUnixTimeMilliseconds()));
        }

        if (last is not null)
        {
            headers.Add(RetryHeaders.LastExceptionType, RetryHeaders.Encode(last.ExceptionType));
            headers.Add(RetryHeaders.LastFailedAt, RetryHeaders.Encode(last.FailedAt.ToUnixTimeMilliseconds()));
        }

        var fixedSize = DeadLetterMessageFactory.EstimateSize(consumed.Key, consumed.Value, headers)
            + (first is null ? 0 : HeaderSize(RetryHeaders.FirstExceptionMessage))
            + (last is null ? 0 : HeaderSize(RetryHeaders.LastExceptionMessage) + HeaderSize(RetryHeaders.LastExceptionStackTrace));
        var budget = maxMessageBytes - DeadLetterMessageFactory.BatchMarginBytes - fixedSize;
        if (budget < 0)
        {
            throw new InvalidOperationException(
                $"The retry message of {step.Original} needs at least {fixedSize} bytes without any exception text, but at most " +
                $"{maxMessageBytes - DeadLetterMessageFactory.BatchMarginBytes} are allowed (message.max.bytes {maxMessageBytes} minus {DeadLetterMessageFactory.BatchMarginBytes} for batch framing).");
        }

        if (firstMessage.Length + lastMessage.Length + lastText.Length > budget)
        {
            lastText = DeadLetterMessageFactory.Truncate(lastText, Math.Max(0, budget - lastMessage.Length - firstMessage.Length));
            lastMessage = DeadLetterMessageFactory.Truncate(lastMessage, Math.Max(0, budget - lastText.Length - firstMessage.Length));
            firstMessage = DeadLetterMessageFactory.Truncate(firstMessage, budget - lastText.Length - lastMessage.Length);
        }

        if (first is not null)
        {
            headers.Add(RetryHeaders.FirstExceptionMessage, firstMessage);
        }

        if (last is not null)
        {
            headers.Add(RetryHeaders.LastExceptionMessage, lastMessage);
            headers.Add(RetryHeaders.LastExceptionStackTrace, lastText);
        }

        return new Message<byte[], byte[]> { Key = consumed.Key, Value = consumed.Value, Headers = headers };
    }

    private static int HeaderSize(string name) => DeadLetterMessageFactory.HeaderOverheadBytes + Encoding.UTF8.GetByteCount(name);
}

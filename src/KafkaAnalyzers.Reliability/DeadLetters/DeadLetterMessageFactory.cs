using System.Text;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>Everything a dead letter records besides the original key, value and headers.</summary>
internal sealed record DeadLetterFailure(
    TopicPartitionOffset Original,
    Timestamp OriginalTimestamp,
    Exception Exception,
    FailureCategory Category,
    int Attempts,
    string? ConsumerGroup,
    DateTimeOffset FailedAt);

/// <summary>
/// Builds the dead-letter message and keeps it within the producer's size limit: the exception's full
/// text is cut first, then its message; key, value and original headers are never altered.
/// </summary>
internal static class DeadLetterMessageFactory
{
    /// <summary>Upper bound of a v2 record's framing (length, attributes, deltas, key/value lengths, header count) with varints at full width.</summary>
    internal const int RecordOverheadBytes = 64;

    /// <summary>Upper bound of one header's framing (name and value length varints).</summary>
    internal const int HeaderOverheadBytes = 10;

    /// <summary>Kept free below message.max.bytes for the record batch header the broker counts too.</summary>
    internal const int BatchMarginBytes = 128;

    private static readonly byte[] Marker = Encoding.UTF8.GetBytes(DeadLetterHeaders.TruncationMarker);

    public static Message<byte[], byte[]> Create(byte[]? key, byte[]? value, Headers? originalHeaders, DeadLetterFailure failure, int maxMessageBytes)
    {
        var headers = new Headers();
        foreach (var header in originalHeaders ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(DeadLetterHeaders.OriginalTopic, DeadLetterHeaders.Encode(failure.Original.Topic));
        headers.Add(DeadLetterHeaders.OriginalPartition, DeadLetterHeaders.Encode(failure.Original.Partition.Value));
        headers.Add(DeadLetterHeaders.OriginalOffset, DeadLetterHeaders.Encode(failure.Original.Offset.Value));
        headers.Add(DeadLetterHeaders.OriginalTimestamp, DeadLetterHeaders.Encode(failure.OriginalTimestamp.UnixTimestampMs));
        headers.Add(DeadLetterHeaders.OriginalTimestampType, DeadLetterHeaders.Encode(failure.OriginalTimestamp.Type.ToString()));
        headers.Add(DeadLetterHeaders.ExceptionType, DeadLetterHeaders.Encode(failure.Exception.GetType().FullName ?? failure.Exception.GetType().Name));
        headers.Add(DeadLetterHeaders.FailureCategory, DeadLetterHeaders.Encode(failure.Category.ToString()));
        headers.Add(DeadLetterHeaders.Attempts, DeadLetterHeaders.Encode(failure.Attempts));
        if (failure.ConsumerGroup is not null)
        {
            headers.Add(DeadLetterHeaders.ConsumerGroup, DeadLetterHeaders.Encode(failure.ConsumerGroup));
        }

        headers.Add(DeadLetterHeaders.FailedAt, DeadLetterHeaders.Encode(failure.FailedAt.ToUnixTimeMilliseconds()));

        var fixedSize = EstimateSize(key, value, headers)
            + HeaderSize(DeadLetterHeaders.ExceptionMessage, 0)
            + HeaderSize(DeadLetterHeaders.ExceptionStackTrace, 0);
        var limit = maxMessageBytes - BatchMarginBytes;
        var budget = limit - fixedSize;
        if (budget < 0)
        {
            throw new InvalidOperationException(
                $"The dead letter of {failure.Original} needs at least {fixedSize} bytes (key {key?.Length ?? 0}, value {value?.Length ?? 0}, " +
                $"headers and framing {fixedSize - (key?.Length ?? 0) - (value?.Length ?? 0)}) without any exception text, " +
                $"but at most {limit} are allowed (message.max.bytes {maxMessageBytes} minus {BatchMarginBytes} for batch framing).");
        }

        var message = Encoding.UTF8.GetBytes(failure.Exception.Message);
        var stackTrace = Encoding.UTF8.GetBytes(failure.Exception.ToString());
        if (message.Length + stackTrace.Length > budget)
        {
            stackTrace = Truncate(stackTrace, Math.Max(0, budget - message.Length));
            message = Truncate(message, budget - stackTrace.Length);
        }

        headers.Add(DeadLetterHeaders.ExceptionMessage, message);
        headers.Add(DeadLetterHeaders.ExceptionStackTrace, stackTrace);
        return new Message<byte[], byte[]> { Key = key!, Value = value!, Headers = headers };
    }

    /// <summary>An upper bound of what librdkafka counts against message.max.bytes for one record.</summary>
    internal static int EstimateSize(byte[]? key, byte[]? value, Headers headers)
    {
        var size = RecordOverheadBytes + (key?.Length ?? 0) + (value?.Length ?? 0);
        foreach (var header in headers)
        {
            size += HeaderSize(header.Key, header.GetValueBytes()?.Length ?? 0);
        }

        return size;
    }

    private static int HeaderSize(string name, int valueLength) => HeaderOverheadBytes + Encoding.UTF8.GetByteCount(name) + valueLength;

    /// <summary>Cuts UTF-8 text to at most <paramref name="maxBytes"/> on a character boundary and marks the cut; empty when not even the marker fits.</summary>
    internal static byte[] Truncate(byte[] utf8, int maxBytes)
    {
        if (utf8.Length <= maxBytes)
        {
            return utf8;
        }

        if (maxBytes < Marker.Length)
        {
            return [];
        }

        var cut = maxBytes - Marker.Length;
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return [.. utf8.AsSpan(0, cut), .. Marker];
    }
}

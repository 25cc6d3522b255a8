using Confluent.Kafka;
using KafkaAnalyzers.Reliability.RetryTopics;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>A message read from a dead-letter topic, with its headers decoded.</summary>
public sealed class DeadLetterRecord
{
    internal DeadLetterRecord(ConsumeResult<byte[], byte[]> result)
    {
        Location = result.TopicPartitionOffset;
        Timestamp = result.Message.Timestamp;
        Key = result.Message.Key;
        Value = result.Message.Value;
        Headers = result.Message.Headers ?? new Headers();
        try
        {
            Metadata = DeadLetterMetadata.Read(Headers);
        }
        catch (FormatException unreadable)
        {
            MetadataProblem = unreadable.Message;
        }

        if (RetryMetadata.TryRead(Headers, out var retry, out _))
        {
            Retry = retry;
        }

        ReplayCount = ReplayHeaders.ReadCount(Headers);
    }

    /// <summary>Where the dead letter is: dead-letter topic, partition, offset.</summary>
    public TopicPartitionOffset Location { get; }

    /// <summary>The dead letter's own timestamp (when it was written).</summary>
    public Timestamp Timestamp { get; }

    /// <summary>The original key bytes.</summary>
    public byte[]? Key { get; }

    /// <summary>The original value bytes.</summary>
    public byte[]? Value { get; }

    /// <summary>All headers: the original ones, then any retry, replay and dead-letter headers.</summary>
    public Headers Headers { get; }

    /// <summary>The decoded <see cref="DeadLetterHeaders"/>, or null when they are missing or malformed (see <see cref="MetadataProblem"/>).</summary>
    public DeadLetterMetadata? Metadata { get; }

    /// <summary>Why <see cref="Metadata"/> is null: which header is missing or malformed.</summary>
    public string? MetadataProblem { get; }

    /// <summary>The retry-tier history, when the message went through retry topics before it was dead-lettered.</summary>
    public RetryMetadata? Retry { get; }

    /// <summary>How many times it has been replayed already (<see cref="ReplayHeaders.Count"/>; 0 when never).</summary>
    public int ReplayCount { get; }

    /// <summary>
    /// The headers the message had before it failed: every header except the dead-letter
    /// (<c>dlq.</c>), retry (<c>retry.</c>) and replay (<c>replay.</c>) ones, in their original order.
    /// </summary>
    /// <returns>A new header list.</returns>
    public Headers OriginalHeaders()
    {
        var original = new Headers();
        foreach (var header in Headers)
        {
            if (!header.Key.StartsWith(DeadLetterHeaders.Prefix, StringComparison.Ordinal)
                && !header.Key.StartsWith(RetryHeaders.Prefix, StringComparison.Ordinal)
                && !header.Key.StartsWith(ReplayHeaders.Prefix, StringComparison.Ordinal))
            {
                original.Add(header.Key, header.GetValueBytes());
            }
        }

        return original;
    }
}

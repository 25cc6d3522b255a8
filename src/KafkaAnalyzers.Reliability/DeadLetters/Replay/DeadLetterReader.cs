using System.Runtime.CompilerServices;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>One partition of a dead-letter topic: its first and next offsets.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Low">The first offset still stored.</param>
/// <param name="High">The offset the next dead letter will get (the high watermark).</param>
public sealed record DeadLetterPartition(int Partition, long Low, long High)
{
    /// <summary>Dead letters stored in the partition (an upper bound on a compacted topic).</summary>
    public long Count => High - Low;
}

/// <summary>
/// Reads a dead-letter topic for inspection, from the first stored offset to the end as it is when the
/// read starts. It assigns partitions itself: it joins no consumer group and commits nothing, so reading
/// never disturbs a replay's progress or any consumer.
/// </summary>
public sealed class DeadLetterReader : IDisposable
{
    private readonly DeadLetterTopicClient client;

    /// <summary>Creates a reader; nothing connects until a method is called.</summary>
    /// <param name="connection">How to reach the cluster: <c>bootstrap.servers</c> and any security settings.</param>
    /// <param name="deadLetterTopic">The dead-letter topic, for example <c>orders.dlq</c>.</param>
    /// <param name="timeout">How long to wait for the cluster before giving up. Default 30 s.</param>
    public DeadLetterReader(ClientConfig connection, string deadLetterTopic, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(deadLetterTopic);
        Topic = deadLetterTopic;
        client = new DeadLetterTopicClient(connection, "kafka-dlq-reader", timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>The dead-letter topic.</summary>
    public string Topic { get; }

    /// <summary>The topic's partitions with their offsets.</summary>
    /// <returns>One entry per partition.</returns>
    /// <exception cref="TopicNotFoundException">The topic does not exist.</exception>
    /// <exception cref="KafkaUnreachableException">The cluster did not answer in time.</exception>
    public IReadOnlyList<DeadLetterPartition> Describe()
    {
        var partitions = client.RequirePartitionCount(Topic, "dead-letter topic");
        return client.Watermarks(Topic, partitions).Select(w => new DeadLetterPartition(w.Partition.Partition.Value, w.Low, w.High)).ToList();
    }

    /// <summary>The dead letters <paramref name="filter"/> selects, partition by partition interleaved as they arrive, up to the end of each partition as it was when the read started.</summary>
    /// <param name="filter">Which dead letters; all when null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The selected dead letters.</returns>
    /// <exception cref="ArgumentException">The filter is invalid; the message names each criterion.</exception>
    /// <exception cref="TopicNotFoundException">The topic does not exist.</exception>
    /// <exception cref="KafkaUnreachableException">The cluster did not answer in time.</exception>
    public async IAsyncEnumerable<DeadLetterRecord> ReadAsync(DeadLetterFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        filter ??= new DeadLetterFilter();
        ThrowIfInvalid(filter);
        var ranges = Ranges(filter, committed: null);
        await foreach (var result in ReadRangesAsync(client, ranges, cancellationToken).ConfigureAwait(false))
        {
            var record = new DeadLetterRecord(result);
            if (filter.Matches(record))
            {
                yield return record;
            }
        }
    }

    /// <summary>The dead letter at <paramref name="partition"/> and <paramref name="offset"/>, or null when there is none there.</summary>
    /// <param name="partition">Partition of the dead-letter topic.</param>
    /// <param name="offset">Offset in it.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The dead letter, or null when the offset is outside what the partition stores (or compacted away).</returns>
    /// <exception cref="TopicNotFoundException">The topic does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The partition does not exist.</exception>
    /// <exception cref="KafkaUnreachableException">The cluster did not answer in time.</exception>
    public async Task<DeadLetterRecord?> ReadAtAsync(int partition, long offset, CancellationToken cancellationToken = default)
    {
        var partitions = Describe();
        if (partition < 0 || partition >= partitions.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"'{Topic}' has partitions 0 to {partitions.Count - 1}.");
        }

        var stored = partitions[partition];
        if (offset < stored.Low || offset >= stored.High)
        {
            return null;
        }

        var range = new ReadRange(new TopicPartition(Topic, partition), offset, offset + 1);
        await foreach (var result in ReadRangesAsync(client, [range], cancellationToken).ConfigureAwait(false))
        {
            return result.Offset.Value == offset ? new DeadLetterRecord(result) : null;
        }

        return null;
    }

    /// <inheritdoc/>
    public void Dispose() => client.Dispose();

    internal static void ThrowIfInvalid(DeadLetterFilter filter)
    {
        var problems = filter.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(filter));
        }
    }

    /// <summary>What to read of each partition the filter allows: from the committed offset (if any), the filter's start or the first stored offset, to the filter's end or the high watermark.</summary>
    internal List<ReadRange> Ranges(DeadLetterFilter filter, IReadOnlyDictionary<int, long>? committed) =>
        Ranges(client, Topic, filter, committed);

    internal static List<ReadRange> Ranges(DeadLetterTopicClient client, string topic, DeadLetterFilter filter, IReadOnlyDictionary<int, long>? committed)
    {
        var partitions = client.RequirePartitionCount(topic, "dead-letter topic");
        if (filter.Partition is { } only && only >= partitions)
        {
            throw new ArgumentException($"{nameof(DeadLetterFilter)}.{nameof(DeadLetterFilter.Partition)} is {only}, but '{topic}' has partitions 0 to {partitions - 1}.", nameof(filter));
        }

        var ranges = new List<ReadRange>();
        foreach (var (tp, low, high) in client.Watermarks(topic, partitions))
        {
            if (filter.Partition is { } wanted && wanted != tp.Partition.Value)
            {
                continue;
            }

            var start = Math.Max(low, filter.FromOffset ?? low);
            if (committed is not null && committed.TryGetValue(tp.Partition.Value, out var resume) && resume > start)
            {
                start = resume;
            }

            var end = Math.Min(high, filter.ToOffset is { } last ? last + 1 : high);
            if (start < end)
            {
                ranges.Add(new ReadRange(tp, start, end));
            }
        }

        return ranges;
    }

    /// <summary>Reads each range from its start to its end (exclusive); throws when the cluster stops answering for the client's timeout.</summary>
    internal static async IAsyncEnumerable<ConsumeResult<byte[], byte[]>> ReadRangesAsync(
        DeadLetterTopicClient client, IReadOnlyList<ReadRange> ranges, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (ranges.Count == 0)
        {
            yield break;
        }

        var consumer = client.Consumer;
        var remaining = ranges.ToDictionary(range => range.Partition, range => range.End);
        consumer.Assign(ranges.Select(range => new TopicPartitionOffset(range.Partition, range.Start)));
        try
        {
            var lastProgress = Environment.TickCount64;
            while (remaining.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ConsumeResult<byte[], byte[]>? result;
                try
                {
                    // Consume blocks; keep the caller's thread free between polls.
                    result = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(200)), CancellationToken.None).ConfigureAwait(false);
                }
                catch (ConsumeException failure) when (!failure.Error.IsFatal && failure.ConsumerRecord is null)
                {
                    result = null;
                }

                if (result?.Message is null)
                {
                    // Compaction or transaction markers can leave the last offsets without a message: the position tells.
                    foreach (var done in remaining.Where(pair => PositionOf(consumer, pair.Key) >= pair.Value).Select(pair => pair.Key).ToList())
                    {
                        remaining.Remove(done);
                        lastProgress = Environment.TickCount64;
                    }

                    if (remaining.Count > 0 && Environment.TickCount64 - lastProgress > client.Timeout.TotalMilliseconds)
                    {
                        throw client.Unreachable($"reading {string.Join(", ", remaining.Keys)} (no message for {client.Timeout.TotalSeconds:0.#} s before the end offsets {string.Join(", ", remaining.Values)})");
                    }

                    continue;
                }

                lastProgress = Environment.TickCount64;
                if (!remaining.TryGetValue(result.TopicPartition, out var end) || result.Offset.Value >= end)
                {
                    continue;
                }

                yield return result;
                if (result.Offset.Value + 1 >= end)
                {
                    remaining.Remove(result.TopicPartition);
                }
            }
        }
        finally
        {
            consumer.Unassign();
        }
    }

    private static long PositionOf(IConsumer<byte[], byte[]> consumer, TopicPartition partition)
    {
        try
        {
            return consumer.Position(partition).Value;
        }
        catch (KafkaException)
        {
            return Offset.Unset.Value;
        }
    }
}

/// <summary>A part of a partition to read: from <see cref="Start"/> to <see cref="End"/> (exclusive).</summary>
internal sealed record ReadRange(TopicPartition Partition, long Start, long End);

using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Tests.Support;

/// <summary>Reads a whole topic back, up to the high watermark of every partition at the time of the call.</summary>
internal static class TopicReader
{
    public static List<ConsumeResult<byte[], byte[]>> ReadToEnd(string bootstrapServers, string topic, int partitions, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchMaxBytes = 16 * 1024 * 1024,
        }).Build();

        var remaining = new Dictionary<int, long>();
        for (var partition = 0; partition < partitions; partition++)
        {
            var high = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(30)).High.Value;
            if (high > 0)
            {
                remaining[partition] = high;
            }
        }

        consumer.Assign(remaining.Keys.Select(partition => new TopicPartitionOffset(topic, partition, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[], byte[]>>();
        while (remaining.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Reading {topic} timed out after {results.Count} messages; partitions not read to the end: {string.Join(", ", remaining.Keys)}.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null)
            {
                continue;
            }

            results.Add(result);
            if (remaining.TryGetValue(result.Partition.Value, out var high) && result.Offset.Value + 1 >= high)
            {
                remaining.Remove(result.Partition.Value);
            }
        }

        consumer.Close();
        return results;
    }

    /// <summary>Consumes exactly one message from <paramref name="topic"/> partition 0, from the beginning, deserialized.</summary>
    public static ConsumeResult<TKey, TValue> ConsumeOne<TKey, TValue>(string bootstrapServers, string topic, IDeserializer<TKey>? keyDeserializer = null, IDeserializer<TValue>? valueDeserializer = null)
    {
        var builder = new ConsumerBuilder<TKey, TValue>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "one-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        });
        if (keyDeserializer is not null)
        {
            builder.SetKeyDeserializer(keyDeserializer);
        }

        if (valueDeserializer is not null)
        {
            builder.SetValueDeserializer(valueDeserializer);
        }

        using var consumer = builder.Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is not null)
            {
                consumer.Close();
                return result;
            }
        }

        throw new TimeoutException($"No message arrived on {topic} within 60 s.");
    }
}

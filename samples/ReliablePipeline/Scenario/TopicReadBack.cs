using Confluent.Kafka;

namespace ReliablePipeline.Scenario;

/// <summary>Reads what actually is in a topic, from the beginning to its current end.</summary>
internal static class TopicReadBack
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The number of records in <paramref name="topic"/> (the sum of its partitions' high watermarks).</summary>
    public static long Count(string bootstrapServers, string topic)
    {
        using var consumer = Reader(bootstrapServers);
        return EndOffsets(consumer, topic).Values.Sum();
    }

    public static List<ConsumeResult<byte[], byte[]>> ReadAll(string bootstrapServers, string topic)
    {
        using var consumer = Reader(bootstrapServers);
        var remaining = EndOffsets(consumer, topic).Where(pair => pair.Value > 0).ToDictionary();
        consumer.Assign(remaining.Keys.Select(partition => new TopicPartitionOffset(topic, partition, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + Patience;
        while (remaining.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Reading '{topic}' back timed out after {results.Count} records; partitions {string.Join(", ", remaining.Keys)} did not reach their end.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null)
            {
                continue;
            }

            results.Add(result);
            if (remaining.TryGetValue(result.Partition.Value, out var end) && result.Offset.Value + 1 >= end)
            {
                remaining.Remove(result.Partition.Value);
            }
        }

        return results;
    }

    private static Dictionary<int, long> EndOffsets(IConsumer<byte[], byte[]> consumer, string topic) =>
        Enumerable.Range(0, RunNames.Partitions).ToDictionary(
            partition => partition,
            partition => consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), Patience).High.Value);

    private static IConsumer<byte[], byte[]> Reader(string bootstrapServers) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "read-back-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
}

using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

/// <summary>Confluent.Kafka clients and read-back helpers for the in-process cluster tests.</summary>
internal static class ClusterClients
{
    /// <summary>Waits on clients are generous: the machine is shared; no test asserts an upper bound on speed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>An idempotent producer (acks=all, ordered retries) unless <paramref name="configure"/> says otherwise.</summary>
    public static IProducer<string, string> Producer(string bootstrapServers, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            // Brokers taken down come back within a second in these tests; do not back off for 10 s.
            ReconnectBackoffMaxMs = 500,
        };
        configure?.Invoke(config);
        return new ProducerBuilder<string, string>(config).Build();
    }

    /// <summary>A producer that sends each message once: a failed request is reported, never retried.</summary>
    public static IProducer<string, string> ProducerWithoutRetries(string bootstrapServers) =>
        Producer(bootstrapServers, config =>
        {
            config.EnableIdempotence = false;
            config.MessageSendMaxRetries = 0;
        });

    public static IAdminClient Admin(string bootstrapServers) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();

    /// <summary>The current leader of <paramref name="topic"/> [<paramref name="partition"/>] as the cluster's metadata reports it.</summary>
    public static int LeaderOf(IAdminClient admin, string topic, int partition)
    {
        var metadata = admin.GetMetadata(topic, Patience);
        return metadata.Topics.Single(t => t.Topic == topic).Partitions.Single(p => p.PartitionId == partition).Leader;
    }

    /// <summary>
    /// Reads every message of <paramref name="topic"/>'s partitions, from the beginning to the high
    /// watermark each had when the call started, so duplicates are counted too.
    /// </summary>
    public static List<ConsumeResult<string, string>> ReadAll(string bootstrapServers, string topic, int partitionCount)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "read-back-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();

        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < partitionCount; partition++)
        {
            var high = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), Patience).High.Value;
            if (high > 0)
            {
                ends[partition] = high;
            }
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + Patience;
        while (ends.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"Read {results.Count} message(s) of '{topic}'; partitions {string.Join(", ", ends.Keys)} did not reach their end offsets.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            results.Add(result);
            if (result.Offset.Value + 1 >= ends[result.Partition.Value])
            {
                ends.Remove(result.Partition.Value);
            }
        }

        return results;
    }

    /// <summary>A topic name no other test uses.</summary>
    public static string UniqueTopic(string purpose) => $"{purpose}-{Guid.NewGuid():N}";
}

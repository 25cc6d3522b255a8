using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

public sealed class ClusterRoundTripTests
{
    [Fact]
    public async Task Messages_produced_to_a_created_topic_are_consumed_back_from_every_partition_in_order()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 3);
        var topic = ClusterClients.UniqueTopic("round-trip");
        cluster.CreateTopic(topic, partitions: 4, replicationFactor: 3);

        using var producer = ClusterClients.Producer(cluster.BootstrapServers);
        var sent = Enumerable.Range(0, 200)
            .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"key-{i % 16}", Value = $"value-{i}" }))
            .ToList();
        var delivered = await Task.WhenAll(sent);

        Assert.All(delivered, result => Assert.Equal(PersistenceStatus.Persisted, result.Status));
        Assert.Equal([0, 1, 2, 3], delivered.Select(r => r.Partition.Value).Distinct().Order());

        var read = ClusterClients.ReadAll(cluster.BootstrapServers, topic, partitionCount: 4);
        Assert.Equal(delivered.Select(r => r.Message.Value).Order(), read.Select(r => r.Message.Value).Order());
        foreach (var key in read.GroupBy(r => r.Message.Key))
        {
            // Per-key order: one key lives in one partition, read in offset order.
            var values = key.Select(r => int.Parse(r.Message.Value["value-".Length..])).ToList();
            Assert.Equal(values.Order(), values);
        }
    }

    [Fact]
    public async Task A_consumer_group_commits_offsets_and_a_new_member_resumes_after_them()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 3);
        cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        var topic = ClusterClients.UniqueTopic("group");
        cluster.CreateTopic(topic, partitions: 2);
        using (var producer = ClusterClients.Producer(cluster.BootstrapServers))
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
                producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"first-{i}" })));
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "group-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            // librdkafka's mock keeps a group that its last member left rebalancing for
            // session.timeout.ms - 1 s before a new member is admitted (a real broker empties it).
            SessionTimeoutMs = 3000,
            HeartbeatIntervalMs = 500,
        };
        using (var first = new ConsumerBuilder<string, string>(config).Build())
        {
            first.Subscribe(topic);
            var consumed = ConsumeValues(first, 10);
            Assert.Equal(10, consumed.Count);
            first.Commit();
            first.Close();
        }

        using (var producer = ClusterClients.Producer(cluster.BootstrapServers))
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "second" });
        }

        using var next = new ConsumerBuilder<string, string>(config).Build();
        next.Subscribe(topic);
        Assert.Equal(["second"], ConsumeValues(next, 1));
        next.Close();
    }

    private static List<string> ConsumeValues(IConsumer<string, string> consumer, int count)
    {
        var values = new List<string>();
        var deadline = DateTime.UtcNow + ClusterClients.Patience;
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null)
            {
                values.Add(result.Message.Value);
            }
        }

        return values;
    }
}

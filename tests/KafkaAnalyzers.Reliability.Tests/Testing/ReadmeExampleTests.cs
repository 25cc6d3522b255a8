using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

/// <summary>The usage example of src/KafkaAnalyzers.Reliability.Testing/README.md, kept compiling and true.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task Usage_example_works_as_described()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 3);
        cluster.CreateTopic("payments", partitions: 4, replicationFactor: 3);

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
            { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true }).Build();

        cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
        var result = await producer.ProduceAsync("payments", new() { Key = "order-1", Value = "paid" });

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        using var withoutRetries = ClusterClients.ProducerWithoutRetries(cluster.BootstrapServers);
        Assert.Equal(PersistenceStatus.Persisted, (await withoutRetries.ProduceAsync("payments", new() { Key = "k", Value = "v" })).Status);
    }
}

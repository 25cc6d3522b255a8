using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace ReliablePipeline.Scenario;

/// <summary>The cluster one run uses: a fresh in-process cluster (with fault injection), or a real one (without).</summary>
internal sealed class DemoCluster : IDisposable
{
    private readonly IKafkaTestCluster cluster;

    private DemoCluster(IKafkaTestCluster cluster, int brokerCount)
    {
        this.cluster = cluster;
        BrokerCount = brokerCount;
    }

    public string BootstrapServers => cluster.BootstrapServers;

    /// <summary>Null on a real cluster.</summary>
    public IKafkaFaultInjector? Faults => cluster.Faults;

    public int BrokerCount { get; }

    public static DemoCluster Start(string? bootstrapServers)
    {
        if (bootstrapServers is null)
        {
            var inProcess = InProcessKafkaCluster.Start(3);
            inProcess.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
            return new DemoCluster(inProcess, inProcess.BrokerCount);
        }

        var external = KafkaTestCluster.Connect(bootstrapServers);
        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
            return new DemoCluster(external, admin.GetMetadata(TimeSpan.FromSeconds(30)).Brokers.Count);
        }
        catch
        {
            external.Dispose();
            throw;
        }
    }

    /// <summary>Creates the run's topics, replicated on up to 3 brokers; in process, spreads the orders partitions' leaders over the brokers.</summary>
    public void CreateTopics(RunNames topics)
    {
        var replicas = Math.Min(3, BrokerCount);
        foreach (var topic in new[] { topics.Orders, topics.DeadLetters, topics.Payments }.Concat(topics.RetryTiers))
        {
            cluster.CreateTopic(topic, RunNames.Partitions, replicas);
        }

        for (var partition = 0; partition < RunNames.Partitions; partition++)
        {
            Faults?.SetPartitionLeader(topics.Orders, partition, InitialLeader(partition));
        }
    }

    /// <summary>The broker leading an orders partition before any leader move.</summary>
    public int InitialLeader(int partition) => (partition % BrokerCount) + 1;

    public void Dispose() => cluster.Dispose();
}

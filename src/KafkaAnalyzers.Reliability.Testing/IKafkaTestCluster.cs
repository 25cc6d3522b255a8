namespace KafkaAnalyzers.Reliability.Testing;

/// <summary>
/// A Kafka cluster for tests: the in-process mock cluster (<see cref="InProcessKafkaCluster"/>) or a
/// real cluster reached through <c>KAFKA_BOOTSTRAP_SERVERS</c> (see <see cref="KafkaTestCluster"/>).
/// Disposing it stops an in-process cluster; for a real cluster it only releases the admin client.
/// </summary>
public interface IKafkaTestCluster : IDisposable
{
    /// <summary>The <c>bootstrap.servers</c> value clients under test connect with.</summary>
    string BootstrapServers { get; }

    /// <summary>
    /// Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions, each replicated on
    /// <paramref name="replicationFactor"/> brokers. Throws <see cref="InvalidOperationException"/>
    /// naming the topic if it already exists or the cluster refuses it.
    /// </summary>
    /// <param name="topic">A legal Kafka topic name: 1 to 249 characters from <c>[a-zA-Z0-9._-]</c>.</param>
    /// <param name="partitions">Number of partitions, at least 1.</param>
    /// <param name="replicationFactor">Replicas per partition, at least 1 and at most the number of brokers.</param>
    void CreateTopic(string topic, int partitions = 1, int replicationFactor = 1);

    /// <summary>Fault injection; <see langword="null"/> on a real cluster, where faults cannot be injected.</summary>
    IKafkaFaultInjector? Faults { get; }
}

namespace KafkaAnalyzers.Reliability.Testing;

/// <summary>Chooses the cluster tests run against: a real one when configured, else an in-process one.</summary>
public static class KafkaTestCluster
{
    /// <summary>The environment variable that points tests at a real cluster: its <c>bootstrap.servers</c> value.</summary>
    public const string BootstrapServersVariable = "KAFKA_BOOTSTRAP_SERVERS";

    /// <summary>
    /// Connects to the real cluster named by the <c>KAFKA_BOOTSTRAP_SERVERS</c> environment variable when it
    /// is set to a non-blank value (topics are then created with the admin client and
    /// <see cref="IKafkaTestCluster.Faults"/> is <see langword="null"/>); otherwise starts
    /// <see cref="InProcessKafkaCluster.Start(int)"/> with <paramref name="brokerCount"/> brokers.
    /// </summary>
    /// <param name="brokerCount">Brokers of the in-process cluster; ignored for a real cluster.</param>
    public static IKafkaTestCluster StartOrConnect(int brokerCount = 3) =>
        StartOrConnect(brokerCount, Environment.GetEnvironmentVariable(BootstrapServersVariable));

    /// <summary>
    /// Uses an existing Kafka cluster for tests. Disposing the result releases its admin client and leaves
    /// the cluster and its topics as they are.
    /// </summary>
    /// <param name="bootstrapServers">The cluster's <c>bootstrap.servers</c>, for example <c>localhost:9092</c>.</param>
    public static IKafkaTestCluster Connect(string bootstrapServers)
    {
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            throw new ArgumentException("bootstrapServers must name at least one broker, for example 'localhost:9092'.", nameof(bootstrapServers));
        }

        return new ExternalKafkaCluster(bootstrapServers.Trim());
    }

    /// <summary><see cref="StartOrConnect(int)"/> with the variable's value passed in (tests must not change the process environment).</summary>
    internal static IKafkaTestCluster StartOrConnect(int brokerCount, string? bootstrapServers) =>
        string.IsNullOrWhiteSpace(bootstrapServers)
            ? InProcessKafkaCluster.Start(brokerCount)
            : Connect(bootstrapServers);
}

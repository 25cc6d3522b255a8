using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaAnalyzers.Reliability.Testing;

/// <summary>A real Kafka cluster used by tests; topics are created with the admin client, faults are unavailable.</summary>
internal sealed class ExternalKafkaCluster : IKafkaTestCluster
{
    private static readonly TimeSpan s_defaultCreateTimeout = TimeSpan.FromSeconds(30);
    private readonly IAdminClient _admin;
    private readonly TimeSpan _createTimeout;
    private int _disposed;

    public ExternalKafkaCluster(string bootstrapServers)
        : this(bootstrapServers, s_defaultCreateTimeout)
    {
    }

    internal ExternalKafkaCluster(string bootstrapServers, TimeSpan createTimeout)
    {
        BootstrapServers = bootstrapServers;
        _createTimeout = createTimeout;
        _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
    }

    public string BootstrapServers { get; }

    public IKafkaFaultInjector? Faults => null;

    public void CreateTopic(string topic, int partitions = 1, int replicationFactor = 1)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        TopicNames.Validate(topic);
        if (partitions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(partitions), partitions, $"Topic '{topic}' needs at least one partition.");
        }

        if (replicationFactor is < 1 or > short.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(replicationFactor), replicationFactor, $"replicationFactor for topic '{topic}' must be between 1 and {short.MaxValue}.");
        }

        var specification = new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = (short)replicationFactor };
        try
        {
            _admin.CreateTopicsAsync([specification], new CreateTopicsOptions { RequestTimeout = _createTimeout, OperationTimeout = _createTimeout })
                .GetAwaiter().GetResult();
        }
        catch (CreateTopicsException ex)
        {
            var error = ex.Results.Count > 0 ? ex.Results[0].Error : ex.Error;
            var advice = error.Code == ErrorCode.TopicAlreadyExists
                ? " Topics on a real cluster outlive test runs: give each test a unique topic name."
                : string.Empty;
            throw new InvalidOperationException(
                $"Could not create topic '{topic}' on {BootstrapServers}: {error.Code} ({error.Reason}).{advice}", ex);
        }
        catch (KafkaException ex)
        {
            throw new InvalidOperationException(
                $"Could not create topic '{topic}' on {BootstrapServers}: {ex.Error.Code} ({ex.Error.Reason}).", ex);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _admin.Dispose();
        }
    }
}

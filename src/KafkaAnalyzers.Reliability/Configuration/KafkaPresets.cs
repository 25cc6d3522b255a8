using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Configuration;

/// <summary>
/// Client configurations for data that must not be lost. Each preset passes the matching
/// <see cref="KafkaConfigValidator"/> check; adjust the returned object before building if needed and
/// validate again.
/// </summary>
public static class KafkaPresets
{
    /// <summary>Delivery timeout of <see cref="CriticalProducer"/>: long enough to ride out a leader failover, short enough that a failure is reported.</summary>
    public const int CriticalProducerDeliveryTimeoutMs = 120_000;

    /// <summary>
    /// A producer for payments, orders, audit logs: acks=all, idempotence on (no duplicates or reordering
    /// from retries), at most 5 requests in flight, retries left at librdkafka's unlimited default and
    /// bounded by a <see cref="CriticalProducerDeliveryTimeoutMs"/> delivery timeout, delivery reports on.
    /// </summary>
    /// <param name="bootstrapServers">Comma-separated <c>host:port</c> list.</param>
    /// <returns>A new configuration object that the caller owns.</returns>
    public static ProducerConfig CriticalProducer(string bootstrapServers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        return new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            MaxInFlight = 5,
            MessageTimeoutMs = CriticalProducerDeliveryTimeoutMs,
            RequestTimeoutMs = 30_000,
            LingerMs = 5,
            EnableDeliveryReports = true,
        };
    }

    /// <summary>
    /// A consumer that processes every message at least once (KAFKA_FACTS §5, librdkafka's own advice):
    /// the application stores an offset only after processing (<c>EnableAutoOffsetStore = false</c>)
    /// and the background auto-commit commits what was stored (<c>EnableAutoCommit = true</c>). A new
    /// group starts from the earliest offset, partition EOF events are off, transactional data is read
    /// committed, and the group timeouts are spelled out.
    /// </summary>
    /// <param name="bootstrapServers">Comma-separated <c>host:port</c> list.</param>
    /// <param name="groupId">The consumer group.</param>
    /// <returns>A new configuration object that the caller owns.</returns>
    public static ConsumerConfig AtLeastOnceConsumer(string bootstrapServers, string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        return new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 5_000,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            SessionTimeoutMs = 45_000,
            HeartbeatIntervalMs = 3_000,
            MaxPollIntervalMs = 300_000,
        };
    }
}

namespace KafkaAnalyzers.Reliability.Configuration;

/// <summary>One librdkafka property, every key that sets it, and the .NET property that writes it.</summary>
/// <param name="Property">Where a .NET user sets it, e.g. <c>ProducerConfig.Acks</c>.</param>
/// <param name="Keys">The key the .NET property writes first, then its aliases; they all set the same librdkafka property.</param>
internal sealed record KafkaSetting(string Property, params string[] Keys)
{
    public string PrimaryKey => Keys[0];
}

/// <summary>The settings the validator reads. Aliases come from librdkafka 2.16 CONFIGURATION.md.</summary>
internal static class KafkaSettings
{
    public static readonly KafkaSetting BootstrapServers = new("ClientConfig.BootstrapServers", "bootstrap.servers", "metadata.broker.list");
    public static readonly KafkaSetting MockBrokers = new("(test only)", "test.mock.num.brokers");
    public static readonly KafkaSetting MessageMaxBytes = new("ClientConfig.MessageMaxBytes", "message.max.bytes");

    public static readonly KafkaSetting Acks = new("ProducerConfig.Acks", "acks", "request.required.acks");
    public static readonly KafkaSetting EnableIdempotence = new("ProducerConfig.EnableIdempotence", "enable.idempotence");
    public static readonly KafkaSetting MaxInFlight = new("ProducerConfig.MaxInFlight", "max.in.flight", "max.in.flight.requests.per.connection");
    public static readonly KafkaSetting Retries = new("ProducerConfig.MessageSendMaxRetries", "message.send.max.retries", "retries");
    public static readonly KafkaSetting DeliveryTimeout = new("ProducerConfig.MessageTimeoutMs", "message.timeout.ms", "delivery.timeout.ms");
    public static readonly KafkaSetting Linger = new("ProducerConfig.LingerMs", "linger.ms", "queue.buffering.max.ms");
    public static readonly KafkaSetting RequestTimeout = new("ProducerConfig.RequestTimeoutMs", "request.timeout.ms");
    public static readonly KafkaSetting TransactionalId = new("ProducerConfig.TransactionalId", "transactional.id");
    public static readonly KafkaSetting GaplessGuarantee = new("ProducerConfig.EnableGaplessGuarantee", "enable.gapless.guarantee");
    public static readonly KafkaSetting DeliveryReports = new("ProducerConfig.EnableDeliveryReports", "dotnet.producer.enable.delivery.reports");
    public static readonly KafkaSetting DeliveryReportFields = new("ProducerConfig.DeliveryReportFields", "dotnet.producer.delivery.report.fields");

    public static readonly KafkaSetting GroupId = new("ConsumerConfig.GroupId", "group.id");
    public static readonly KafkaSetting EnableAutoOffsetStore = new("ConsumerConfig.EnableAutoOffsetStore", "enable.auto.offset.store");
    public static readonly KafkaSetting EnableAutoCommit = new("ConsumerConfig.EnableAutoCommit", "enable.auto.commit");
    public static readonly KafkaSetting AutoCommitInterval = new("ConsumerConfig.AutoCommitIntervalMs", "auto.commit.interval.ms");
    public static readonly KafkaSetting AutoOffsetReset = new("ConsumerConfig.AutoOffsetReset", "auto.offset.reset");
    public static readonly KafkaSetting SessionTimeout = new("ConsumerConfig.SessionTimeoutMs", "session.timeout.ms");
    public static readonly KafkaSetting MaxPollInterval = new("ConsumerConfig.MaxPollIntervalMs", "max.poll.interval.ms");
}

using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers;

/// <summary>KAFKA0xx: producer durability.</summary>
internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor KAFKA001_WeakAcks = DescriptorFactory.Create(
        "KAFKA001",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Producer acknowledgement weaker than 'all'",
        "Producer acks is {0}: {1}; set acks to all",
        "With acks 0 the producer never hears back from the broker; with acks 1 only the partition leader has the message when the delivery report says success. "
        + "A leader crash before replication silently loses acknowledged messages. Topics listed in kafka_analyzers.lossy_topics are exempt.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA002_IdempotenceNotEnabled = DescriptorFactory.Create(
        "KAFKA002",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Idempotence not enabled",
        "{0}: a retried send can write a message twice or out of order; enable idempotence",
        "Without enable.idempotence the broker cannot recognise a retried batch, so a retry after a lost response duplicates messages and retries with several requests in flight reorder them. "
        + "librdkafka's default is false. Topics listed in kafka_analyzers.lossy_topics are exempt.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA003_ProducerConfigRejected = DescriptorFactory.Create(
        "KAFKA003",
        Categories.Reliability,
        DiagnosticSeverity.Error,
        "Producer configuration that Build() rejects",
        "ProducerBuilder.Build() throws for this configuration: {0}",
        "librdkafka refuses conflicting producer settings when the client is created, so ProducerBuilder.Build() throws InvalidOperationException and the service fails at start-up.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA009_RetriesOrTimeoutTooLow = DescriptorFactory.Create(
        "KAFKA009",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Retries disabled or delivery timeout too short",
        "{0}: a broker hiccup becomes a failed delivery; {1}",
        "librdkafka retries transient produce errors (leader elections, timeouts, NOT_ENOUGH_REPLICAS) until message.timeout.ms expires. "
        + "Disabling retries or shortening the delivery timeout turns routine broker events into lost messages.",
        dataLoss: true);
}

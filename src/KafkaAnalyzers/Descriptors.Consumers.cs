using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers;

/// <summary>KAFKA1xx: consumer offsets and processing.</summary>
internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor KAFKA108_HeartbeatNotAThirdOfSession = DescriptorFactory.Create(
        "KAFKA108",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Heartbeat not a third of the session timeout",
        "Session timeout {0} ms is less than three heartbeats of {1} ms: one late heartbeat makes the coordinator evict the consumer and rebalance the group",
        "The group coordinator evicts a member that sends no heartbeat within session.timeout.ms. With fewer than three heartbeats per session, "
        + "a single delayed heartbeat (GC pause, network blip) triggers a rebalance that stops the whole group.",
        dataLoss: false);
}

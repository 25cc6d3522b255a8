using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers;

/// <summary>KAFKA3xx: configuration correctness.</summary>
internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor KAFKA301_UnknownConfigurationKey = DescriptorFactory.Create(
        "KAFKA301",
        Categories.Reliability,
        DiagnosticSeverity.Error,
        "Unknown configuration key",
        "'{0}' is not a librdkafka or Confluent.Kafka configuration property{1}: Build() throws",
        "librdkafka rejects unknown property names (names are case-sensitive), so the client fails to build at run time.",
        dataLoss: false);
}

using System.Reflection;

namespace KafkaAnalyzers.Tests;

internal static class TestEnvironment
{
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string NuGetPackageRoot => Metadata("NuGetPackageRoot");

    /// <summary>The version of librdkafka.redist that Confluent.Kafka 2.16.0 depends on.</summary>
    public const string LibrdkafkaVersion = "2.16.0";

    public static string LibrdkafkaConfigurationMd
        => Path.Combine(NuGetPackageRoot, "librdkafka.redist", LibrdkafkaVersion, "CONFIGURATION.md");

    private static string Metadata(string key)
        => typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
               .Single(a => a.Key == key).Value
           ?? throw new InvalidOperationException($"AssemblyMetadata {key} is missing");
}

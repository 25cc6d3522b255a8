using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Configuration;

/// <summary>
/// The settings that say how to reach a cluster (servers, security, DNS), as opposed to how a client
/// behaves. A client this library builds next to one of yours (a retry-tier producer beside a consumer, a
/// replay producer) copies exactly these from your configuration.
/// </summary>
internal static class ConnectionSettings
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "bootstrap.servers",
        "metadata.broker.list",
        "security.protocol",
        "client.id",
        "client.dns.lookup",
        "broker.address.family",
        "enable.ssl.certificate.verification",
        "enable.sasl.oauthbearer.unsecure.jwt",
    };

    private static readonly string[] Prefixes = ["sasl.", "ssl.", "ssl_", "socket."];

    /// <summary>Whether <paramref name="key"/> is a connection setting.</summary>
    public static bool IsConnectionKey(string key) =>
        Keys.Contains(key) || Prefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Copies the connection settings of <paramref name="source"/> into <paramref name="target"/>, replacing what it had for them.</summary>
    public static T CopyTo<T>(IEnumerable<KeyValuePair<string, string>> source, T target)
        where T : ClientConfig
    {
        foreach (var (key, value) in source)
        {
            if (IsConnectionKey(key) && value is not null)
            {
                target.Set(key, value);
            }
        }

        return target;
    }

    /// <summary>The bootstrap servers of a configuration, or null when it names none.</summary>
    public static string? BootstrapServers(IEnumerable<KeyValuePair<string, string>> config)
    {
        string? servers = null;
        foreach (var (key, value) in config)
        {
            if (key is "bootstrap.servers" or "metadata.broker.list" && !string.IsNullOrWhiteSpace(value))
            {
                servers = value;
            }
        }

        return servers;
    }
}

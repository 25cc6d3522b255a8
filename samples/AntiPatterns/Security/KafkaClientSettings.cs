using Confluent.Kafka;

namespace AntiPatterns.Security;

/// <summary>Connection settings for the shared cluster, as found in a "quick start" snippet.</summary>
public sealed class KafkaClientSettings
{
    public ClientConfig Create() => new ClientConfig
    {
        BootstrapServers = "kafka.internal:9092",
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = "order-service",
        // KAFKA201: the password is now in git history and in every build artifact.
        SaslPassword = "Winter2026!",
        // KAFKA203: PLAIN over sasl_plaintext sends that password in clear text.
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
    };

    public ClientConfig CreateForStaging() => new ClientConfig
    {
        BootstrapServers = "kafka.staging:9093",
        SecurityProtocol = SecurityProtocol.Ssl,
        // KAFKA202: "the staging certificate is self-signed" — so is an attacker's.
        EnableSslCertificateVerification = false,
    };
}

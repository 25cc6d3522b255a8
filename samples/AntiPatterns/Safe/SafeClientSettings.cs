using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Safe;

/// <summary>Credentials from configuration (user secrets, a vault), TLS on and verified.</summary>
public sealed class SafeClientSettings
{
    private readonly IConfiguration _configuration;

    public SafeClientSettings(IConfiguration configuration) => _configuration = configuration;

    public ClientConfig Create() => new ClientConfig
    {
        BootstrapServers = _configuration["Kafka:BootstrapServers"],
        SecurityProtocol = SecurityProtocol.SaslSsl,
        SaslMechanism = SaslMechanism.ScramSha512,
        SaslUsername = _configuration["Kafka:Username"],
        SaslPassword = _configuration["Kafka:Password"],
    };
}

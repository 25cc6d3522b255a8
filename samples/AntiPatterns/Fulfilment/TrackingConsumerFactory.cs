using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Fulfilment;

/// <summary>Creates the consumer of carrier tracking events.</summary>
public sealed class TrackingConsumerFactory(IConfiguration configuration)
{
    public IConsumer<string, string> Create()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "shipment-tracking",
            EnableAutoOffsetStore = false,
            SessionTimeoutMs = 30000,
            // "Detect stuck handlers fast": Build() refuses a poll interval below the session timeout.
            MaxPollIntervalMs = 10000, // ⚠ KAFKA110
        };

        return new ConsumerBuilder<string, string>(config).Build();
    }
}

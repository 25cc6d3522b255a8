// Realistic producer-side service code for the meta-tests (not compiled into the test assembly).
// It mixes the mistakes the rules look for with the safe and unknown shapes real services use.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Messaging;

public sealed class KafkaSettings
{
    public string BootstrapServers { get; set; } = "localhost:9092";

    public string SaslUsername { get; set; } = string.Empty;

    public string SaslPassword { get; set; } = string.Empty;
}

/// <summary>Builds the producers of the payments service.</summary>
public static class PaymentProducers
{
    public static IProducer<string, string> CreatePaymentEvents(KafkaSettings settings)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            Acks = Acks.Leader,
            LingerMs = 10,
        };

        return new ProducerBuilder<string, string>(config).Build();
    }

    public static IProducer<string, string> CreateLedger(KafkaSettings settings)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            TransactionalId = "ledger-writer",
            EnableIdempotence = false,
        };

        return new ProducerBuilder<string, string>(config).Build();
    }

    public static IProducer<string, string> CreateRefunds(KafkaSettings settings)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        config.Set("retries", "0");
        config.Set("delivery.timeout.ms", "5000");

        return new ProducerBuilder<string, string>(config).Build();
    }

    public static IProducer<string, string> CreateNotifications(KafkaSettings settings)
    {
        var config = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = settings.BootstrapServers,
            ["enable.idempotance"] = "true",
            ["acks"] = "all",
        };

        return new ProducerBuilder<string, string>(config).Build();
    }

    public static IProducer<string, string> CreateSecured(KafkaSettings settings)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            EnableIdempotence = true,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = settings.SaslUsername,
            SaslPassword = "payments-prod-2024!",
            EnableSslCertificateVerification = false,
        };

        return new ProducerBuilder<string, string>(config).Build();
    }

    // Safe and unknown shapes: nothing to report below.

    public static IProducer<string, string> CreateFromConfiguration(IConfiguration configuration)
    {
        var config = new ProducerConfig();
        configuration.GetSection("Kafka:Producer").Bind(config);
        return new ProducerBuilder<string, string>(config).Build();
    }

    public static IProducer<string, string> CreateFromOptions(IOptions<ProducerConfig> options)
        => new ProducerBuilder<string, string>(options.Value).Build();

    public static IProducer<string, string> CreateDurable(KafkaSettings settings)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            SecurityProtocol = SecurityProtocol.SaslSsl,
            SaslMechanism = SaslMechanism.ScramSha512,
            SaslUsername = settings.SaslUsername,
            SaslPassword = settings.SaslPassword,
        };

        return new ProducerBuilder<string, string>(config).Build();
    }
}

/// <summary>Publishes payment events through a producer built once.</summary>
public sealed class PaymentEventsPublisher : IDisposable
{
    private readonly IProducer<string, string> _producer;
    private readonly ILogger<PaymentEventsPublisher> _logger;

    public PaymentEventsPublisher(IOptions<KafkaSettings> settings, ILogger<PaymentEventsPublisher> logger)
    {
        _logger = logger;
        var config = new ProducerConfig
        {
            BootstrapServers = settings.Value.BootstrapServers,
            EnableIdempotence = true,
            MaxInFlight = 5,
        };
        _producer = new ProducerBuilder<string, string>(config)
            .SetErrorHandler((_, error) => _logger.LogError("Kafka error {Reason}", error.Reason))
            .Build();
    }

    public async Task PublishAsync(string paymentId, string payload, CancellationToken cancellationToken)
    {
        var result = await _producer.ProduceAsync("payments", new Message<string, string> { Key = paymentId, Value = payload }, cancellationToken);
        _logger.LogDebug("Payment {PaymentId} stored at {Offset}", paymentId, result.TopicPartitionOffset);
    }

    public void Dispose()
    {
        _producer.Flush(CancellationToken.None);
        _producer.Dispose();
    }
}

/// <summary>CPU samples: acks=1 is an accepted trade-off here only when metrics.* is a lossy topic.</summary>
public sealed class MetricsPublisher
{
    private readonly IProducer<Null, string> _producer;

    public MetricsPublisher(KafkaSettings settings)
    {
        var config = new ProducerConfig { BootstrapServers = settings.BootstrapServers, Acks = Acks.Leader, EnableIdempotence = false };
        _producer = new ProducerBuilder<Null, string>(config).Build();
    }

    public Task PublishAsync(string sample) => _producer.ProduceAsync("metrics.cpu", new Message<Null, string> { Value = sample });
}

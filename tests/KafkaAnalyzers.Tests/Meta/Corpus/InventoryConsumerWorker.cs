// Realistic consumer-side service code for the meta-tests (not compiled into the test assembly).
using System;
using System.Threading;
using System.Threading.Tasks;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inventory.Workers;

public sealed class InventoryConsumerWorker : BackgroundService
{
    private readonly IConfiguration _configuration;
    private readonly ILogger<InventoryConsumerWorker> _logger;

    public InventoryConsumerWorker(IConfiguration configuration, ILogger<InventoryConsumerWorker> logger)
    {
        _configuration = configuration;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => Consume(stoppingToken), stoppingToken);

    private void Consume(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _configuration["Kafka:BootstrapServers"],
            GroupId = "inventory",
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 3000,
            SecurityProtocol = SecurityProtocol.SaslSsl,
            SaslMechanism = SaslMechanism.ScramSha256,
            SaslUsername = _configuration["Kafka:User"],
            SaslPassword = _configuration["Kafka:Password"],
            SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None,
        };

        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("inventory-changes");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var result = consumer.Consume(stoppingToken);
                Apply(result.Message.Value);
                consumer.StoreOffset(result);
            }
        }
        catch (OperationCanceledException)
        {
            _logger.LogInformation("Inventory consumer stopping");
        }
        finally
        {
            consumer.Close();
        }
    }

    private void Apply(string change) => _logger.LogDebug("Applying {Change}", change);
}

/// <summary>Audit consumer configured from code and from configuration.</summary>
public static class AuditConsumers
{
    public static IConsumer<string, string> Create(IConfiguration configuration)
    {
        var config = new ConsumerConfig();
        configuration.GetSection("Kafka:Audit").Bind(config);
        config.GroupId = "audit";
        config.EnableAutoOffsetStore = false;
        return new ConsumerBuilder<string, string>(config).Build();
    }

    public static IConsumer<string, string> CreateLegacy()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = "legacy-kafka:9093",
            GroupId = "audit-legacy",
            EnableAutoOffsetStore = false,
            SecurityProtocol = SecurityProtocol.SaslSsl,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = "audit",
            SaslPassword = "${AUDIT_PASSWORD}",
        };
        config.Set("session.timeout.ms", "10000");
        config.Set("heartbeat.interval.ms", "4000");
        config.Set("sasl.oauthbearer.client.secret", "s3cr3t-value");
        return new ConsumerBuilder<string, string>(config).Build();
    }
}

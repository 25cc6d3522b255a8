using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Inventory;

/// <summary>Keeps the inventory read model up to date from stock events.</summary>
public sealed class InventoryProjectionService : BackgroundService
{
    private readonly IConfiguration _configuration;
    private readonly ILogger<InventoryProjectionService> _logger;

    public InventoryProjectionService(IConfiguration configuration, ILogger<InventoryProjectionService> logger)
    {
        _configuration = configuration;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(
        () => Consume(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Consume(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _configuration["Kafka:BootstrapServers"],
            GroupId = "inventory-projection",
            EnableAutoOffsetStore = false,
            // "Detect dead consumers quickly"...
            SessionTimeoutMs = 10000,
            // KAFKA108: two heartbeats per session; one GC pause and the group rebalances.
            HeartbeatIntervalMs = 5000,
        };

        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("inventory.stock-changed");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var result = consumer.Consume(stoppingToken);
                _logger.LogInformation("Stock of {Sku} changed", result.Message.Key);
                consumer.StoreOffset(result);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            consumer.Close();
        }
    }
}

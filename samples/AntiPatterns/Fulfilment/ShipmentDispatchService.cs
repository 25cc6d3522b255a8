using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Fulfilment;

/// <summary>
/// Books a carrier for every paid order. It "keeps up" by fanning each order out to the thread pool,
/// logs a failed booking and moves on, and closes its consumer when the host stops it.
/// </summary>
public sealed class ShipmentDispatchService : BackgroundService
{
    private readonly IConsumer<string, string> _consumer;
    private readonly CarrierClient _carrier;
    private readonly ILogger<ShipmentDispatchService> _logger;

    public ShipmentDispatchService(IConfiguration configuration, CarrierClient carrier, ILogger<ShipmentDispatchService> logger)
    {
        _carrier = carrier;
        _logger = logger;
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "shipment-dispatch",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        _consumer = new ConsumerBuilder<string, string>(config).Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        _consumer.Subscribe("orders.paid");
        while (!stoppingToken.IsCancellationRequested)
        {
            ConsumeResult<string, string> result;
            try
            {
                result = _consumer.Consume(stoppingToken);
            }
            catch (ConsumeException ex) // ⚠ KAFKA107
            {
                _logger.LogWarning(ex, "Consume failed: {Reason}", ex.Error.Reason);
                continue;
            }

            // Auto-commit (the default) marks the order done as soon as Consume returns it.
            _ = Task.Run(() => DispatchAsync(result, stoppingToken), stoppingToken); // ⚠ KAFKA101
        }
    }

    private async Task DispatchAsync(ConsumeResult<string, string> result, CancellationToken cancellationToken)
    {
        try
        {
            await _carrier.BookAsync(result.Message.Key, result.Message.Value, cancellationToken);
        }
        catch (Exception ex) // ⚠ KAFKA103
        {
            // "We'll see it in the logs." Nobody does; the order never ships.
            _logger.LogError(ex, "Could not book a carrier for order {OrderId}", result.Message.Key);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The loop may still be inside Consume on another thread.
        _consumer.Close(); // ⚠ KAFKA102
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _consumer.Dispose();
        base.Dispose();
    }
}

/// <summary>The carrier's booking API.</summary>
public sealed class CarrierClient(HttpClient http)
{
    public async Task BookAsync(string orderId, string order, CancellationToken cancellationToken)
    {
        using var content = new StringContent(order);
        using var response = await http.PostAsync($"bookings/{orderId}", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

// Microsoft.Extensions.Hosting 9.0: the host runs each BackgroundService's ExecuteAsync synchronously until its first await.
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace AntiPatterns.Hosting9.Shipping;

/// <summary>
/// The usual worker template with a consume loop: on hosting 9 the first Consume runs on the host's start-up path
/// and blocks it until a shipment event arrives (forever on a quiet topic).
/// </summary>
public sealed class ShipmentEventsWorker : BackgroundService
{
    private readonly IConsumer<string, string> _consumer;

    public ShipmentEventsWorker(IConsumer<string, string> consumer) => _consumer = consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken) // ⚠ KAFKA114
    {
        _consumer.Subscribe("shipments");
        while (!stoppingToken.IsCancellationRequested)
        {
            var result = _consumer.Consume(stoppingToken);
            await RecordAsync(result.Message.Value, stoppingToken);
            _consumer.StoreOffset(result);
        }
    }

    private static Task RecordAsync(string shipment, CancellationToken cancellationToken)
        => File.AppendAllTextAsync("shipments.log", shipment + Environment.NewLine, cancellationToken);
}

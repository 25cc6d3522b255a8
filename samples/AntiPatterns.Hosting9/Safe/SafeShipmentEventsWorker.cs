// Microsoft.Extensions.Hosting 9.0: the host runs each BackgroundService's ExecuteAsync synchronously until its first await.
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace AntiPatterns.Hosting9.Safe;

/// <summary>The same worker, giving the host its thread back before the first Consume (KAFKA114's fix).</summary>
public sealed class SafeShipmentEventsWorker : BackgroundService
{
    private readonly IConsumer<string, string> _consumer;

    public SafeShipmentEventsWorker(IConsumer<string, string> consumer) => _consumer = consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        _consumer.Subscribe("shipment-audit");
        while (!stoppingToken.IsCancellationRequested)
        {
            var result = _consumer.Consume(stoppingToken);
            await RecordAsync(result.Message.Value, stoppingToken);
            _consumer.StoreOffset(result);
        }
    }

    private static Task RecordAsync(string shipment, CancellationToken cancellationToken)
        => File.AppendAllTextAsync("shipment-audit.log", shipment + Environment.NewLine, cancellationToken);
}

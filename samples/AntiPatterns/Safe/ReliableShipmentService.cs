using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AntiPatterns.Safe;

/// <summary>
/// The dispatcher on the runtime library: parallel bookings with per-order ordering, offsets stored only
/// after a booking or its dead letter is acknowledged, retries with backoff, Close on stop. Nothing here
/// is reported.
/// </summary>
public sealed class ReliableShipmentService : IHostedService, IAsyncDisposable
{
    private readonly ReliableConsumer<string, string> _consumer;
    private readonly KafkaDeadLetterPublisher _deadLetters;

    public ReliableShipmentService(IConfiguration configuration, Fulfilment.CarrierClient carrier)
    {
        var bootstrapServers = configuration["Kafka:BootstrapServers"] ?? "localhost:9092";
        _deadLetters = new KafkaDeadLetterPublisher(bootstrapServers, new KafkaDeadLetterPublisherOptions { ConsumerGroupId = "shipment-dispatch" });
        var options = new ReliableConsumerOptions
        {
            Consumer = KafkaPresets.AtLeastOnceConsumer(bootstrapServers, "shipment-dispatch"),
            Topics = { "orders.paid" },
            MaxConcurrency = 8,
        };
        _consumer = new ReliableConsumer<string, string>(
            options,
            (result, cancellationToken) => carrier.BookAsync(result.Message.Key, result.Message.Value, cancellationToken),
            _deadLetters);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _consumer.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _consumer.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _consumer.DisposeAsync();
        await _deadLetters.DisposeAsync();
    }
}

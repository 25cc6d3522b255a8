using Confluent.Kafka;

namespace AntiPatterns.Orders;

/// <summary>
/// Consume an order, produce its enriched copy, mark the order done. The offset is stored while the
/// enriched copy is still in the producer's queue: a failed delivery or a crash loses it, and the order is
/// not read again.
/// </summary>
public sealed class OrderEnricher
{
    private readonly IConsumer<string, string> _consumer;
    private readonly IProducer<string, string> _producer;

    public OrderEnricher(IConsumer<string, string> consumer, IProducer<string, string> producer)
    {
        _consumer = consumer;
        _producer = producer;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var order = _consumer.Consume(ct);
            var enriched = new Message<string, string> { Key = order.Message.Key, Value = order.Message.Value.ToUpperInvariant() };
            var delivery = _producer.ProduceAsync("orders-enriched", enriched, ct);
            _consumer.StoreOffset(order); // ⚠ KAFKA115
            Console.WriteLine($"enriched {order.Message.Key} at {(await delivery).Offset}");
        }
    }
}

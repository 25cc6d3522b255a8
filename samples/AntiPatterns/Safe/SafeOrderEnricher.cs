using Confluent.Kafka;

namespace AntiPatterns.Safe;

/// <summary>The enricher of Orders/OrderEnricher.cs, written so that no rule fires: the output is awaited before the input's offset is stored.</summary>
public sealed class SafeOrderEnricher
{
    private readonly IConsumer<string, string> _consumer;
    private readonly IProducer<string, string> _producer;

    public SafeOrderEnricher(IConsumer<string, string> consumer, IProducer<string, string> producer)
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
            var delivered = await _producer.ProduceAsync("orders-enriched", enriched, ct);
            _consumer.StoreOffset(order);
            Console.WriteLine($"enriched {order.Message.Key} at {delivered.Offset}");
        }
    }
}

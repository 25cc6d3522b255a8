using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Orders;

/// <summary>Publishes order events. Every setting below is one a real team has shipped.</summary>
public sealed class OrderEventsPublisher : IDisposable
{
    private readonly ProducerConfig _config;
    private readonly IProducer<string, string> _producer;

    public OrderEventsPublisher(IConfiguration configuration)
    {
        // KAFKA002: idempotence is never enabled, so a retry after a lost response duplicates an order.
        _config = new ProducerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            ClientId = "order-service",
            // KAFKA001: "faster" — and an order is lost when the partition leader fails over.
            Acks = Acks.Leader,
            // KAFKA009: five seconds is one slow leader election.
            MessageTimeoutMs = 5000,
        };

        _producer = new ProducerBuilder<string, string>(_config).Build();
    }

    public async Task PublishOrderCreatedAsync(string orderId, string json, CancellationToken cancellationToken)
    {
        await _producer.ProduceAsync("orders.created", new Message<string, string> { Key = orderId, Value = json }, cancellationToken);
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}

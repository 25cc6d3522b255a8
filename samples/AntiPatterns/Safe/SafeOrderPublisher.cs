using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Safe;

/// <summary>The order publisher done right: nothing here is reported.</summary>
public sealed class SafeOrderPublisher : IDisposable
{
    private readonly IProducer<string, string> _producer;

    public SafeOrderPublisher(IConfiguration configuration)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            ClientId = "order-service",
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        };

        _producer = new ProducerBuilder<string, string>(config).Build();
    }

    public async Task PublishOrderCreatedAsync(string orderId, string json, CancellationToken cancellationToken)
    {
        await _producer.ProduceAsync("orders.created", new Message<string, string> { Key = orderId, Value = json }, cancellationToken);
    }

    public void Dispose()
    {
        var remaining = _producer.Flush(TimeSpan.FromSeconds(30));
        if (remaining > 0)
        {
            Console.Error.WriteLine($"{remaining} order events were not delivered before shutdown");
        }

        _producer.Dispose();
    }
}

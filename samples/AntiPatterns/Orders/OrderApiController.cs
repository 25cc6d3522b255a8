using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Orders;

/// <summary>The order API: each action fires an event, the way controllers often do it.</summary>
public sealed class OrderApiController
{
    private readonly IProducer<string, string> _producer;
    private readonly IConfiguration _configuration;
    private readonly ILogger<OrderApiController> _logger;

    public OrderApiController(IProducer<string, string> producer, IConfiguration configuration, ILogger<OrderApiController> logger)
    {
        _producer = producer;
        _configuration = configuration;
        _logger = logger;
    }

    public string PlaceOrder(string customerId, string orderJson)
    {
        var orderId = Guid.NewGuid().ToString("N");
        // KAFKA004: no delivery handler; if the broker refuses the event, nobody ever learns the order exists.
        _producer.Produce("orders.placed", new Message<string, string> { Key = orderId, Value = orderJson });
        _logger.LogInformation("Order {OrderId} placed for {CustomerId}", orderId, customerId);
        return orderId;
    }

    public Task CancelOrderAsync(string orderId)
    {
        // KAFKA005: "don't make the customer wait for Kafka"; a failed delivery vanishes with the task.
        _ = _producer.ProduceAsync("orders.cancelled", new Message<string, string> { Key = orderId, Value = orderId });
        return Task.CompletedTask;
    }

    public async Task<long> RefundOrderAsync(string orderId, string refundJson)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = _configuration["Kafka:BootstrapServers"],
            EnableIdempotence = true,
        };

        // KAFKA008: new connections, metadata and producer id for every refund request.
        using var producer = new ProducerBuilder<string, string>(config).Build();
        var result = await producer.ProduceAsync("orders.refunded", new Message<string, string> { Key = orderId, Value = refundJson });
        return result.Offset.Value;
    }
}

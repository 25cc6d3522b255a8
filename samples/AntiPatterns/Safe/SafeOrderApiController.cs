using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Safe;

/// <summary>The order API done right: one shared producer, and every delivery failure reaches someone.</summary>
public sealed class SafeOrderApiController
{
    private readonly IProducer<string, string> _producer;
    private readonly ILogger<SafeOrderApiController> _logger;

    public SafeOrderApiController(IProducer<string, string> producer, ILogger<SafeOrderApiController> logger)
    {
        _producer = producer;
        _logger = logger;
    }

    public string PlaceOrder(string customerId, string orderJson)
    {
        var orderId = Guid.NewGuid().ToString("N");
        _producer.Produce("orders.placed", new Message<string, string> { Key = orderId, Value = orderJson }, report =>
        {
            if (report.Error.IsError)
            {
                _logger.LogError("Order {OrderId} for {CustomerId} was not published: {Reason}", orderId, customerId, report.Error.Reason);
            }
        });
        return orderId;
    }

    public async Task CancelOrderAsync(string orderId, CancellationToken cancellationToken)
        => await _producer.ProduceAsync("orders.cancelled", new Message<string, string> { Key = orderId, Value = orderId }, cancellationToken);

    public async Task<long> RefundOrderAsync(string orderId, string refundJson)
    {
        var result = await _producer.ProduceAsync("orders.refunded", new Message<string, string> { Key = orderId, Value = refundJson });
        return result.Offset.Value;
    }
}

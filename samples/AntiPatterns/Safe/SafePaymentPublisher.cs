using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Safe;

/// <summary>The payment publisher done right: failures are told apart, and shutdown waits for what is queued.</summary>
public sealed class SafePaymentPublisher : IDisposable
{
    private readonly IProducer<string, string> _producer;
    private readonly ILogger<SafePaymentPublisher> _logger;
    private long _published;
    private long _failed;

    public SafePaymentPublisher(IConfiguration configuration, ILogger<SafePaymentPublisher> logger)
    {
        _logger = logger;
        var config = new ProducerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            EnableIdempotence = true,
        };
        _producer = new ProducerBuilder<string, string>(config).Build();
    }

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public void PublishCharge(string paymentId, string chargeJson)
        => _producer.Produce("payments.charged", new Message<string, string> { Key = paymentId, Value = chargeJson }, OnDelivered);

    public void Dispose()
    {
        var remaining = _producer.Flush(TimeSpan.FromSeconds(30));
        _producer.Dispose();
        if (remaining > 0)
        {
            _logger.LogError("{Count} payments were not published before shutdown", remaining);
        }
    }

    private void OnDelivered(DeliveryReport<string, string> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            _logger.LogError("Payment {PaymentId} was not published: {Reason}", report.Message.Key, report.Error.Reason);
            return;
        }

        Interlocked.Increment(ref _published);
    }
}

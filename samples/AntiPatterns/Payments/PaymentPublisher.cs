using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Payments;

/// <summary>Publishes charged payments for the ledger; registered as a singleton.</summary>
public sealed class PaymentPublisher : IDisposable
{
    private readonly IProducer<string, string> _producer;
    private readonly ILogger<PaymentPublisher> _logger;
    private long _published;

    public PaymentPublisher(IConfiguration configuration, ILogger<PaymentPublisher> logger)
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

    public void PublishCharge(string paymentId, string chargeJson)
    {
        // KAFKA006: the handler counts every report as published, the failed ones too.
        _producer.Produce("payments.charged", new Message<string, string> { Key = paymentId, Value = chargeJson }, OnDelivered);
    }

    public void Dispose()
    {
        // KAFKA007: charges still queued when the service stops are dropped without a report.
        _producer.Dispose();
    }

    private void OnDelivered(DeliveryReport<string, string> report)
    {
        Interlocked.Increment(ref _published);
        _logger.LogDebug("Payment {PaymentId} published", report.Message.Key);
    }
}

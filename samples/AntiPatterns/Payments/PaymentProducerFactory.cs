using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Payments;

/// <summary>Creates the producer for payment commands from a dictionary, the way many teams copy settings from a wiki page.</summary>
public sealed class PaymentProducerFactory
{
    private readonly IConfiguration _configuration;

    public PaymentProducerFactory(IConfiguration configuration) => _configuration = configuration;

    public IProducer<string, byte[]> Create()
    {
        var settings = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = _configuration["Kafka:BootstrapServers"] ?? "localhost:9092",
            ["enable.idempotence"] = "true",
            // KAFKA003: idempotence requires acks=all, so Build() throws at start-up.
            ["acks"] = "1",
            // KAFKA003: idempotence requires at most 5 requests in flight.
            ["max.in.flight.requests.per.connection"] = "20",
        };

        // KAFKA301: a typo librdkafka rejects ("linger.ms").
        settings["linger.msec"] = "5";

        return new ProducerBuilder<string, byte[]>(settings).Build();
    }

    public IProducer<string, byte[]> CreateRefundProducer()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = _configuration["Kafka:BootstrapServers"],
            EnableIdempotence = true,
        };

        // KAFKA009: with retries disabled, one NOT_ENOUGH_REPLICAS is a lost refund.
        config.Set("retries", "0");
        // KAFKA002: switched off because Build() refused retries=0 with idempotence on.
        config.EnableIdempotence = false;

        return new ProducerBuilder<string, byte[]>(config).Build();
    }
}

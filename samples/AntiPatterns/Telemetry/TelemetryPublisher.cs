using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Telemetry;

/// <summary>
/// High-volume metrics where losing a sample is acceptable: acks 0 without idempotence is a deliberate
/// trade-off here, declared in .editorconfig (kafka_analyzers.lossy_topics), so nothing is reported.
/// </summary>
public sealed class TelemetryPublisher : IDisposable
{
    private readonly IProducer<Null, string> _producer;

    public TelemetryPublisher(IConfiguration configuration)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            Acks = Acks.None,
            LingerMs = 50,
        };

        _producer = new ProducerBuilder<Null, string>(config).Build();
    }

    public void Record(string metricJson)
        => _producer.Produce("telemetry.metrics", new Message<Null, string> { Value = metricJson }, OnDelivered);

    public void Dispose()
    {
        var dropped = _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
        if (dropped > 0)
        {
            Console.Error.WriteLine($"{dropped} telemetry samples dropped at shutdown");
        }
    }

    private static void OnDelivered(DeliveryReport<Null, string> report)
    {
        if (report.Error.IsError)
        {
            Console.Error.WriteLine($"telemetry sample dropped: {report.Error.Reason}");
        }
    }
}

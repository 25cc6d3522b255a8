// DELIBERATELY UNSAFE. This is how the order service is often written, and exactly what KafkaAnalyzers
// warns about: acks=1 without idempotence (KAFKA001, KAFKA002), Produce without a delivery handler
// (KAFKA004), a producer disposed without Flush (KAFKA007). Do not copy it; see Reliable/ for the fix.
using Confluent.Kafka;

namespace ReliablePipeline.Naive;

/// <summary>Publishes orders fire-and-forget.</summary>
public sealed class NaiveOrderPublisher : IDisposable
{
    private readonly IProducer<string, byte[]> producer;
    private readonly string topic;

    /// <summary>Connects to the cluster.</summary>
    public NaiveOrderPublisher(string bootstrapServers, string topic)
    {
        this.topic = topic;
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.Leader,
            LingerMs = 20,
        };
        producer = new ProducerBuilder<string, byte[]>(config).Build();
    }

    /// <summary>Publishes one order.</summary>
    public void Publish(string orderId, byte[] payload) =>
        producer.Produce(topic, new Message<string, byte[]> { Key = orderId, Value = payload });

    /// <summary>Shuts the publisher down.</summary>
    public void Dispose() => producer.Dispose();
}

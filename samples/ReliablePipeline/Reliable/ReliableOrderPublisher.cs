using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Producing;
using ReliablePipeline.Scenario;

namespace ReliablePipeline.Reliable;

/// <summary>
/// Publishes orders with the library: the critical-producer preset (acks=all, idempotence, bounded
/// retries) and a <see cref="DeliveryTrackingProducer{TKey,TValue}"/>, so every failed delivery is
/// reported to the caller and disposal flushes and reports whatever was left unconfirmed.
/// </summary>
public sealed class ReliableOrderPublisher : IAsyncDisposable
{
    private readonly DeliveryTrackingProducer<string, byte[]> producer;
    private readonly string topic;

    /// <summary>Connects to the cluster; <paramref name="probe"/> is told about every order that could not be published.</summary>
    public ReliableOrderPublisher(string bootstrapServers, string topic, PipelineProbe probe)
    {
        this.topic = topic;
        producer = new DeliveryTrackingProducer<string, byte[]>(
            KafkaPresets.CriticalProducer(bootstrapServers),
            new DeliveryTrackingOptions<string, byte[]>
            {
                // In the order service this marks the order "not accepted" so the customer is told; here the probe records it.
                OnDeliveryFailed = failure => probe.PublishFailed(failure.Message.Key, $"{failure.Error.Code} ({failure.Category})"),
            });
    }

    /// <summary>Publishes one order; a failure is reported through the failure handler.</summary>
    public void Publish(string orderId, byte[] payload) =>
        producer.Produce(topic, new Message<string, byte[]> { Key = orderId, Value = payload });

    /// <summary>Flushes (waiting out a broker outage up to the library's dispose timeout) and reports what stayed unconfirmed.</summary>
    /// <exception cref="UndeliveredMessagesException">Some orders were unconfirmed; each was also reported through the handler.</exception>
    public ValueTask DisposeAsync() => producer.DisposeAsync();
}

using System.Collections.Concurrent;
using Confluent.Kafka;

namespace ReliablePipeline.Scenario;

/// <summary>
/// The demo's eyes inside a pipeline, the way application metrics would be: which records reached the
/// consumer (and how often), which it finished, which orders the producer reported as failed.
/// Both implementations report to it the same way.
/// </summary>
public sealed class PipelineProbe
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<object, byte>> deliveries = new();
    private readonly ConcurrentDictionary<TopicPartitionOffset, byte> received = new();
    private readonly ConcurrentDictionary<TopicPartitionOffset, byte> settled = new();
    private readonly ConcurrentDictionary<string, string> reportedFailed = new();
    private readonly ConcurrentDictionary<string, byte> retried = new();
    private readonly ConcurrentDictionary<string, byte> recovered = new();

    /// <summary>Distinct records the consumer received.</summary>
    public int ReceivedRecords => received.Count;

    /// <summary>Distinct records the consumer finished (handled or dead-lettered).</summary>
    public int SettledRecords => settled.Count;

    /// <summary>Consumer deliveries beyond the first, over all orders (Kafka delivering a record again, or the same order twice).</summary>
    public int Redeliveries => deliveries.Values.Sum(copies => copies.Count - 1);

    /// <summary>Orders whose failed publication was reported to the caller, with the reason.</summary>
    public IReadOnlyDictionary<string, string> ReportedFailed => reportedFailed;

    /// <summary>Order ids the consumer received at least once.</summary>
    public IEnumerable<string> ReceivedOrders => deliveries.Keys;

    /// <summary>Orders that went through a retry topic.</summary>
    public int RetriedOrders => retried.Count;

    /// <summary>Orders handled successfully when they came out of a retry topic.</summary>
    public int RecoveredOrders => recovered.Count;

    /// <summary>The consumer got a record. <paramref name="delivery"/> identifies the delivery (retries of one delivery pass the same object).</summary>
    public void Received(string? orderId, TopicPartitionOffset position, object delivery)
    {
        received.TryAdd(position, 0);
        if (orderId is not null)
        {
            deliveries.GetOrAdd(orderId, static _ => new ConcurrentDictionary<object, byte>(ReferenceEqualityComparer.Instance)).TryAdd(delivery, 0);
        }
    }

    /// <summary>
    /// The consumer got an order back from a retry topic. It counts as the original record (<paramref name="original"/>),
    /// not as a redelivery: the library sent it there on purpose.
    /// </summary>
    public void ReceivedFromRetryTopic(string orderId, TopicPartitionOffset original)
    {
        received.TryAdd(original, 0);
        retried.TryAdd(orderId, 0);
    }

    /// <summary>An order that came out of a retry topic was handled.</summary>
    public void Recovered(string orderId) => recovered.TryAdd(orderId, 0);

    /// <summary>The consumer finished a record: handled, or its dead letter acknowledged.</summary>
    public void Settled(TopicPartitionOffset position) => settled.TryAdd(position, 0);

    /// <summary>The producer told its caller that an order was not published.</summary>
    public void PublishFailed(string orderId, string reason) => reportedFailed.TryAdd(orderId, reason);
}

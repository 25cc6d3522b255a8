using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.Diagnostics;

/// <summary>The delivery-tracking producer's instruments.</summary>
internal static class ProducerMetrics
{
    private static readonly Counter<long> Produced = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ReliabilityInstruments.ProducerMessagesProduced, "{message}", "Messages accepted into the producer queue.");

    private static readonly Counter<long> Delivered = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ReliabilityInstruments.ProducerMessagesDelivered, "{message}", "Messages acknowledged by the cluster.");

    private static readonly Counter<long> Failed = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ReliabilityInstruments.ProducerMessagesFailed, "{message}", "Messages whose delivery failed.");

    private static readonly Counter<long> Undelivered = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ReliabilityInstruments.ProducerMessagesUndelivered, "{message}", "Messages still unconfirmed when the producer was disposed.");

    private static readonly Histogram<double> DeliveryDuration = ReliabilityTelemetry.Meter.CreateHistogram<double>(
        ReliabilityInstruments.ProducerDeliveryDuration, "s", "Time from produce to delivery report.");

    public static void RecordProduced(string topic) => Produced.Add(1, new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic));

    public static void RecordDelivered(string topic, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic);
        Delivered.Add(1, tag);
        DeliveryDuration.Record(duration.TotalSeconds, tag);
    }

    public static void RecordFailed(string topic, ErrorCode code, FailureCategory category, TimeSpan duration)
    {
        Failed.Add(1, new TagList
        {
            { ReliabilityInstruments.TopicTag, topic },
            { ReliabilityInstruments.ErrorTypeTag, code.ToString() },
            { ReliabilityInstruments.FailureCategoryTag, category.ToString() },
        });
        DeliveryDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic));
    }

    public static void RecordUndelivered(string topic) => Undelivered.Add(1, new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic));
}

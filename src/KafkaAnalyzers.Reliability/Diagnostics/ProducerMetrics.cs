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

    // Each method checks Enabled first: without a listener on an instrument nothing is built or read for it (no
    // tag list, no clock read, no enum formatted), which is what a producer's hot path pays when metrics are off.

    public static void RecordProduced(string topic)
    {
        if (Produced.Enabled)
        {
            Produced.Add(1, new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic));
        }
    }

    /// <param name="topic">Destination topic.</param>
    /// <param name="startedAt"><see cref="Stopwatch"/> timestamp of the produce call.</param>
    public static void RecordDelivered(string topic, long startedAt)
    {
        if (Delivered.Enabled)
        {
            Delivered.Add(1, new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic));
        }

        if (DeliveryDuration.Enabled)
        {
            DeliveryDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic));
        }
    }

    /// <param name="topic">Destination topic.</param>
    /// <param name="code">The delivery error.</param>
    /// <param name="category">Its classification.</param>
    /// <param name="startedAt"><see cref="Stopwatch"/> timestamp of the produce call.</param>
    public static void RecordFailed(string topic, ErrorCode code, FailureCategory category, long startedAt)
    {
        if (Failed.Enabled)
        {
            Failed.Add(1, new TagList
            {
                { ReliabilityInstruments.TopicTag, topic },
                { ReliabilityInstruments.ErrorTypeTag, code.ToString() },
                { ReliabilityInstruments.FailureCategoryTag, category.ToString() },
            });
        }

        if (DeliveryDuration.Enabled)
        {
            DeliveryDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic));
        }
    }

    public static void RecordUndelivered(string topic)
    {
        if (Undelivered.Enabled)
        {
            Undelivered.Add(1, new KeyValuePair<string, object?>(ReliabilityInstruments.TopicTag, topic));
        }
    }
}

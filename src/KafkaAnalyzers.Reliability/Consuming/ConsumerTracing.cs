using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>The "process" span around a message's handling, a child of the producer's W3C trace context when the message carries one.</summary>
internal static class ConsumerTracing
{
    public static Activity? StartProcess(ConsumeResult<byte[], byte[]> message, string groupId)
    {
        if (!ReliabilityTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        var parent = TraceContextPropagation.Extract(message.Message.Headers) ?? default;
        var activity = ReliabilityTelemetry.ActivitySource.StartActivity("process " + message.Topic, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", message.Topic);
            activity.SetTag("messaging.destination.partition.id", message.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", message.Offset.Value);
            activity.SetTag("messaging.consumer.group.name", groupId);
        }

        return activity;
    }

    public static void RecordFailure(Activity? activity, Exception exception, string outcome)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.SetTag("kafka_analyzers.outcome", outcome);
    }
}

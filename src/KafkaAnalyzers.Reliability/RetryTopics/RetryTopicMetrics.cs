using System.Diagnostics.Metrics;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>The retry-topic instruments (<see cref="RetryTopicInstruments"/>).</summary>
internal sealed class RetryTopicMetrics
{
    private static readonly Counter<long> Sent = ReliabilityTelemetry.Meter.CreateCounter<long>(
        RetryTopicInstruments.MessagesSent, "{message}", "Messages produced to a retry tier and acknowledged.");

    private static readonly Counter<long> Recovered = ReliabilityTelemetry.Meter.CreateCounter<long>(
        RetryTopicInstruments.MessagesRecovered, "{message}", "Messages from a retry tier that the handler completed.");

    private static readonly Counter<long> DeadLettered = ReliabilityTelemetry.Meter.CreateCounter<long>(
        RetryTopicInstruments.MessagesDeadLettered, "{message}", "Messages dead-lettered from a retry tier.");

    private static readonly Histogram<double> Lag = ReliabilityTelemetry.Meter.CreateHistogram<double>(
        RetryTopicInstruments.DueLag, "s", "How long after its due time a message was taken out of its retry tier.");

    private static readonly UpDownCounter<long> Waiting = ReliabilityTelemetry.Meter.CreateUpDownCounter<long>(
        RetryTopicInstruments.PartitionsWaiting, "{partition}", "Retry-tier partitions paused until their first message is due.");

    private readonly KeyValuePair<string, object?> group;

    public RetryTopicMetrics(string groupId) => group = new(ConsumerInstruments.ConsumerGroupTag, groupId);

    public void MessageSent(string source, int tier, bool follows) =>
        Sent.Add(1, group, Topic(source), Tier(tier), new(RetryTopicInstruments.ReasonTag, follows ? "follows" : "failed"));

    public void MessageRecovered(string source, int tier) => Recovered.Add(1, group, Topic(source), Tier(tier));

    public void MessageDeadLettered(string source, int tier, FailureCategory category) =>
        DeadLettered.Add(1, group, Topic(source), Tier(tier), new(ReliabilityInstruments.FailureCategoryTag, category.ToString()));

    public void DueLag(string source, int tier, TimeSpan lag) => Lag.Record(Math.Max(0, lag.TotalSeconds), group, Topic(source), Tier(tier));

    public void WaitingChanged(int delta) => Waiting.Add(delta, group);

    private static KeyValuePair<string, object?> Topic(string topic) => new(ReliabilityInstruments.TopicTag, topic);

    private static KeyValuePair<string, object?> Tier(int tier) => new(RetryTopicInstruments.TierTag, tier);
}

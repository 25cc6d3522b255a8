using System.Diagnostics.Metrics;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Diagnostics;
using Polly.CircuitBreaker;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// The consume loop's instruments on <see cref="ReliabilityTelemetry.Meter"/>. Every measurement is
/// tagged with the consumer group (<c>messaging.consumer.group.name</c>); message measurements also
/// with the topic (<c>messaging.destination.name</c>).
/// </summary>
internal sealed class ConsumerMetrics
{
    /// <summary>Instrument names, stable for dashboards and alerts.</summary>
    public static class Names
    {
        public const string Processed = "kafka.consumer.messages.processed";
        public const string Retried = "kafka.consumer.messages.retried";
        public const string DeadLettered = "kafka.consumer.messages.dead_lettered";
        public const string Abandoned = "kafka.consumer.messages.abandoned";
        public const string InFlight = "kafka.consumer.messages.in_flight";
        public const string HandlerDuration = "kafka.consumer.handler.duration";
        public const string PausedPartitions = "kafka.consumer.partitions.paused";
        public const string BreakerTransitions = "kafka.consumer.circuit_breaker.transitions";
        public const string DeadLetterFailures = "kafka.consumer.dead_letter.failures";
    }

    private static readonly Counter<long> Processed = ReliabilityTelemetry.Meter.CreateCounter<long>(
        Names.Processed, "{message}", "Messages the handler completed successfully.");

    private static readonly Counter<long> Retried = ReliabilityTelemetry.Meter.CreateCounter<long>(
        Names.Retried, "{attempt}", "Handler attempts retried after a transient failure.");

    private static readonly Counter<long> DeadLettered = ReliabilityTelemetry.Meter.CreateCounter<long>(
        Names.DeadLettered, "{message}", "Messages stored in the dead-letter sink (tag failure.category: permanent or transient).");

    private static readonly Counter<long> Abandoned = ReliabilityTelemetry.Meter.CreateCounter<long>(
        Names.Abandoned, "{message}", "Messages whose processing was abandoned (partition revoked or consumer stopped); their offsets were not stored, so they are delivered again.");

    private static readonly UpDownCounter<long> InFlight = ReliabilityTelemetry.Meter.CreateUpDownCounter<long>(
        Names.InFlight, "{message}", "Consumed messages waiting for or in processing.");

    private static readonly Histogram<double> HandlerDuration = ReliabilityTelemetry.Meter.CreateHistogram<double>(
        Names.HandlerDuration, "s", "Time from the start of a message's processing to its success or dead letter, retries included.");

    private static readonly UpDownCounter<long> PausedPartitions = ReliabilityTelemetry.Meter.CreateUpDownCounter<long>(
        Names.PausedPartitions, "{partition}", "Partitions paused by the circuit breaker or by backpressure.");

    private static readonly Counter<long> BreakerTransitions = ReliabilityTelemetry.Meter.CreateCounter<long>(
        Names.BreakerTransitions, "{transition}", "Circuit breaker state changes (tag state: open, half_open, closed).");

    private static readonly Counter<long> DeadLetterFailures = ReliabilityTelemetry.Meter.CreateCounter<long>(
        Names.DeadLetterFailures, "{attempt}", "Failed attempts to publish a dead letter.");

    private readonly KeyValuePair<string, object?> group;

    public ConsumerMetrics(string groupId) => group = new("messaging.consumer.group.name", groupId);

    public void MessageProcessed(string topic, TimeSpan duration)
    {
        Processed.Add(1, group, Topic(topic));
        HandlerDuration.Record(duration.TotalSeconds, group, Topic(topic));
    }

    public void MessageRetried(string topic, Exception failure) =>
        Retried.Add(1, group, Topic(topic), new("error.type", failure.GetType().FullName));

    public void MessageDeadLettered(string topic, FailureCategory category, TimeSpan duration)
    {
        DeadLettered.Add(1, group, Topic(topic), new("failure.category", category == FailureCategory.Permanent ? "permanent" : "transient"));
        HandlerDuration.Record(duration.TotalSeconds, group, Topic(topic));
    }

    public void MessageAbandoned(string topic) => Abandoned.Add(1, group, Topic(topic));

    public void InFlightChanged(int delta) => InFlight.Add(delta, group);

    public void PausedChanged(int delta) => PausedPartitions.Add(delta, group);

    public void BreakerChanged(CircuitState state) => BreakerTransitions.Add(1, group, new("state", state switch
    {
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        CircuitState.Isolated => "isolated",
        _ => "closed",
    }));

    public void DeadLetterFailed(string topic) => DeadLetterFailures.Add(1, group, Topic(topic));

    private static KeyValuePair<string, object?> Topic(string topic) => new("messaging.destination.name", topic);
}

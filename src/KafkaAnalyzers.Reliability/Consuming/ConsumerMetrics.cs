using System.Diagnostics.Metrics;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Diagnostics;
using Polly.CircuitBreaker;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>The consume loop's instruments (<see cref="ConsumerInstruments"/>) on <see cref="ReliabilityTelemetry.Meter"/>.</summary>
internal sealed class ConsumerMetrics
{
    private static readonly Counter<long> Processed = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ConsumerInstruments.MessagesProcessed, "{message}", "Messages the handler completed successfully.");

    private static readonly Counter<long> Retried = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ConsumerInstruments.MessagesRetried, "{attempt}", "Handler attempts retried after a transient failure.");

    private static readonly Counter<long> DeadLettered = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ConsumerInstruments.MessagesDeadLettered, "{message}", "Messages stored in the dead-letter sink.");

    private static readonly Counter<long> Abandoned = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ConsumerInstruments.MessagesAbandoned, "{message}", "Messages whose processing was abandoned (partition revoked or consumer stopped); their offsets were not stored, so they are delivered again.");

    private static readonly UpDownCounter<long> InFlight = ReliabilityTelemetry.Meter.CreateUpDownCounter<long>(
        ConsumerInstruments.MessagesInFlight, "{message}", "Consumed messages waiting for or in processing.");

    private static readonly Histogram<double> HandlerDuration = ReliabilityTelemetry.Meter.CreateHistogram<double>(
        ConsumerInstruments.ProcessingDuration, "s", "Time from the start of a message's processing to its success or dead letter, retries included.");

    private static readonly UpDownCounter<long> PausedPartitions = ReliabilityTelemetry.Meter.CreateUpDownCounter<long>(
        ConsumerInstruments.PartitionsPaused, "{partition}", "Partitions paused by the circuit breaker or by backpressure.");

    private static readonly Counter<long> BreakerTransitions = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ConsumerInstruments.BreakerTransitions, "{transition}", "Circuit breaker state changes.");

    private static readonly Counter<long> DeadLetterFailures = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ConsumerInstruments.DeadLetterFailures, "{attempt}", "Failed attempts to publish a dead letter.");

    private readonly KeyValuePair<string, object?> group;

    public ConsumerMetrics(string groupId) => group = new(ConsumerInstruments.ConsumerGroupTag, groupId);

    public void MessageProcessed(string topic, TimeSpan duration)
    {
        Processed.Add(1, group, Topic(topic));
        HandlerDuration.Record(duration.TotalSeconds, group, Topic(topic));
    }

    public void MessageRetried(string topic, Exception failure) =>
        Retried.Add(1, group, Topic(topic), new(ReliabilityInstruments.ErrorTypeTag, failure.GetType().FullName));

    public void MessageDeadLettered(string topic, FailureCategory category, TimeSpan duration)
    {
        DeadLettered.Add(1, group, Topic(topic), new(ReliabilityInstruments.FailureCategoryTag, category.ToString()));
        HandlerDuration.Record(duration.TotalSeconds, group, Topic(topic));
    }

    public void MessageAbandoned(string topic) => Abandoned.Add(1, group, Topic(topic));

    public void InFlightChanged(int delta) => InFlight.Add(delta, group);

    public void PausedChanged(int delta) => PausedPartitions.Add(delta, group);

    public void BreakerChanged(CircuitState state) => BreakerTransitions.Add(1, group, new(ConsumerInstruments.BreakerStateTag, state switch
    {
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        CircuitState.Isolated => "isolated",
        _ => "closed",
    }));

    public void DeadLetterFailed(string topic) => DeadLetterFailures.Add(1, group, Topic(topic));

    private static KeyValuePair<string, object?> Topic(string topic) => new(ReliabilityInstruments.TopicTag, topic);
}

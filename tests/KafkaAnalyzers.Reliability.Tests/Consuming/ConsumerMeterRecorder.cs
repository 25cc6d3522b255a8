using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

/// <summary>Records the consumer instruments of one consumer group with a <see cref="MeterListener"/> (tests run in parallel on one meter).</summary>
internal sealed class ConsumerMeterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly string groupId;

    public ConsumerMeterRecorder(string groupId)
    {
        this.groupId = groupId;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReliabilityTelemetry.Name && instrument.Name.StartsWith("kafka.reliability.consumer.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    public double Sum(string instrument, string? tag = null, string? tagValue = null) =>
        Of(instrument, tag, tagValue).Sum(m => m.Value);

    public int Count(string instrument, string? tag = null, string? tagValue = null) =>
        Of(instrument, tag, tagValue).Count();

    /// <summary>The highest running total an up-down counter reached.</summary>
    public double Peak(string instrument)
    {
        double total = 0, peak = 0;
        foreach (var measurement in Of(instrument, null, null))
        {
            total += measurement.Value;
            peak = Math.Max(peak, total);
        }

        return peak;
    }

    public void Dispose() => listener.Dispose();

    private IEnumerable<Measurement> Of(string instrument, string? tag, string? tagValue) =>
        Measurements.Where(m => m.Instrument == instrument && (tag is null || (m.Tags.TryGetValue(tag, out var value) && Equals(value, tagValue))));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            all[tag.Key] = tag.Value;
        }

        if (all.TryGetValue(ConsumerInstruments.ConsumerGroupTag, out var group) && Equals(group, groupId))
        {
            Measurements.Enqueue(new Measurement(instrument.Name, value, all));
        }
    }

    internal sealed record Measurement(string Instrument, double Value, Dictionary<string, object?> Tags);
}

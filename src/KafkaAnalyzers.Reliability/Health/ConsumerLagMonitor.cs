using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.Health;

/// <summary>
/// Consumer lag per partition at a bounded cost. On the poll thread, at most once per refresh interval, it reads
/// each owned partition's high watermark from librdkafka's cache (<c>GetWatermarkOffsets</c>: the value the last
/// fetch response carried, no request to the cluster) and subtracts the offset that would be committed now. The
/// snapshot is published for health checks and for the <see cref="ConsumerInstruments.Lag"/> gauge, whose callback
/// only reads snapshots (it never touches a Kafka client, so it cannot race a disposal).
/// </summary>
internal sealed class ConsumerLagMonitor
{
    private static readonly ConcurrentDictionary<ConsumerLagMonitor, byte> Live = new();

    private static readonly ObservableGauge<long> LagGauge = ReliabilityTelemetry.Meter.CreateObservableGauge(
        ConsumerInstruments.Lag,
        Observe,
        "{message}",
        "Messages not yet done in each owned partition: high watermark minus the offset that would be committed now.");

    private readonly KeyValuePair<string, object?> group;
    private readonly long refreshTicks;
    private long lastRefresh;
    private volatile Snapshot current = Snapshot.Empty;

    public ConsumerLagMonitor(string groupId, TimeSpan refreshInterval)
    {
        group = new(ConsumerInstruments.ConsumerGroupTag, groupId);
        refreshTicks = (long)refreshInterval.TotalMilliseconds;
        _ = LagGauge;
    }

    public IReadOnlyDictionary<TopicPartition, long> Lag => current.Lag;

    public DateTimeOffset? MeasuredAt => current.At;

    /// <summary>Starts reporting to the gauge.</summary>
    public void Open() => Live.TryAdd(this, 0);

    /// <summary>Stops reporting (the consumer is gone) and forgets the partitions.</summary>
    public void Close()
    {
        Live.TryRemove(this, out _);
        current = Snapshot.Empty with { At = DateTimeOffset.UtcNow };
    }

    /// <summary>Whether <see cref="MaybeRefresh"/> would refresh now: callers on the poll thread ask first, so the partition list is built only once per interval.</summary>
    /// <param name="force">Refresh even if the interval has not passed.</param>
    public bool IsDue(bool force = false) =>
        force || lastRefresh == 0 || Environment.TickCount64 - lastRefresh >= refreshTicks;

    /// <summary>
    /// Refreshes the snapshot when the interval has passed (poll thread only).
    /// </summary>
    /// <param name="consumer">The consumer.</param>
    /// <param name="partitions">The owned partitions, each with the offset that would be committed now (null when unknown).</param>
    /// <param name="force">Refresh even if the interval has not passed (after a rebalance).</param>
    public void MaybeRefresh(IConsumer<byte[], byte[]> consumer, IEnumerable<(TopicPartition Partition, long? Done)> partitions, bool force = false)
    {
        if (!IsDue(force))
        {
            return;
        }

        lastRefresh = Environment.TickCount64;
        var lag = new Dictionary<TopicPartition, long>();
        foreach (var (partition, done) in partitions)
        {
            WatermarkOffsets watermarks;
            try
            {
                watermarks = consumer.GetWatermarkOffsets(partition);
            }
            catch (KafkaException)
            {
                continue;
            }

            if (watermarks.High.IsSpecial)
            {
                continue;
            }

            var from = done;
            if (from is null)
            {
                var position = SafePosition(consumer, partition);
                from = position is { IsSpecial: false } known ? known.Value : null;
            }

            if (from is { } start)
            {
                lag[partition] = Math.Max(0, watermarks.High.Value - start);
            }
        }

        current = new Snapshot(lag, DateTimeOffset.UtcNow);
    }

    private static Offset? SafePosition(IConsumer<byte[], byte[]> consumer, TopicPartition partition)
    {
        try
        {
            return consumer.Position(partition);
        }
        catch (KafkaException)
        {
            return null;
        }
    }

    private static IEnumerable<Measurement<long>> Observe()
    {
        foreach (var monitor in Live.Keys)
        {
            foreach (var (partition, lag) in monitor.current.Lag)
            {
                yield return new Measurement<long>(
                    lag,
                    monitor.group,
                    new(ReliabilityInstruments.TopicTag, partition.Topic),
                    new(ConsumerInstruments.PartitionTag, partition.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<TopicPartition, long> Lag, DateTimeOffset? At)
    {
        public static readonly Snapshot Empty = new(new Dictionary<TopicPartition, long>(), null);
    }
}

using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Producing;

namespace KafkaAnalyzers.Reliability.Benchmarks;

/// <summary>
/// Produces <c>count</c> small messages and waits until every one is acknowledged, with the same configuration
/// both ways: raw Confluent.Kafka <c>Produce</c> with a delivery handler that checks the error, and
/// <see cref="DeliveryTrackingProducer{TKey,TValue}"/> with its defaults. The configuration is
/// <see cref="KafkaPresets.CriticalProducer"/> with a local queue that holds the whole run, so neither side hits
/// <c>Local_QueueFull</c>: the numbers compare the per-message work, not two ways of waiting for room.
/// With <c>warm</c>, each producer first sends <c>count</c> messages that are not measured and waits for them,
/// and only the second <c>count</c> are timed: a long-lived producer's cost per message, without what a new
/// producer pays once (connecting, fetching metadata and a producer id on both sides, and on the tracking side
/// allocating its pool of tracking objects).
/// </summary>
internal static class ProducerRuns
{
    private static readonly byte[] Key = "customer-0000042"u8.ToArray();
    private static readonly byte[] Value = new byte[100];

    public static Measurement Raw(string bootstrapServers, string topic, int count, bool warm = false)
    {
        long delivered = 0;
        long failed = 0;
        using var producer = new ProducerBuilder<byte[], byte[]>(Config(bootstrapServers, count)).Build();
        Action<DeliveryReport<byte[], byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
            else
            {
                Interlocked.Increment(ref delivered);
            }
        };

        if (warm)
        {
            ProduceAll();
            Check(count, Interlocked.Exchange(ref delivered, 0), Interlocked.Exchange(ref failed, 0), "raw producer (warming)");
        }

        var meter = new Meter();
        meter.Start();
        ProduceAll();
        var measurement = meter.Stop(count);
        Check(count, Interlocked.Read(ref delivered), Interlocked.Read(ref failed), "raw producer");
        return measurement;

        void ProduceAll()
        {
            for (var i = 0; i < count; i++)
            {
                var message = new Message<byte[], byte[]> { Key = Key, Value = Value };
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, message, onDelivery);
                        break;
                    }
                    catch (ProduceException<byte[], byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        Thread.Sleep(1);
                    }
                }
            }

            producer.Flush(TimeSpan.FromMinutes(2));
            SpinWait.SpinUntil(() => Interlocked.Read(ref delivered) + Interlocked.Read(ref failed) == count, TimeSpan.FromMinutes(1));
        }
    }

    public static async Task<Measurement> TrackingAsync(string bootstrapServers, string topic, int count, bool warm = false)
    {
        long failed = 0;
        var producer = new DeliveryTrackingProducer<byte[], byte[]>(
            Config(bootstrapServers, count),
            new DeliveryTrackingOptions<byte[], byte[]> { OnDeliveryFailed = _ => Interlocked.Increment(ref failed) });
        await using (producer.ConfigureAwait(false))
        {
            if (warm)
            {
                await ProduceAllAsync().ConfigureAwait(false);
                Check(count, producer.Delivered, Interlocked.Read(ref failed), "DeliveryTrackingProducer (warming)");
            }

            var deliveredBefore = producer.Delivered;
            var meter = new Meter();
            meter.Start();
            await ProduceAllAsync().ConfigureAwait(false);
            var measurement = meter.Stop(count);
            Check(count, producer.Delivered - deliveredBefore, Interlocked.Read(ref failed), "DeliveryTrackingProducer");
            return measurement;
        }

        async Task ProduceAllAsync()
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = Key, Value = Value });
            }

            await producer.FlushAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The shape KAFKA010 reports: <c>await ProduceAsync</c> inside the loop, so each message waits for its
    /// acknowledgement (and linger.ms) before the next is queued.
    /// </summary>
    public static async Task<Measurement> AwaitedOneAtATimeAsync(string bootstrapServers, string topic, int count)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(Config(bootstrapServers, count)).Build();
        var meter = new Meter();
        meter.Start();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = Key, Value = Value }).ConfigureAwait(false);
        }

        var measurement = meter.Stop(count);
        producer.Flush(TimeSpan.FromSeconds(10));
        return measurement;
    }

    /// <summary>What KAFKA010's page suggests instead: queue a bounded batch of ProduceAsync calls, then await them together.</summary>
    public static async Task<Measurement> AwaitedInBatchesAsync(string bootstrapServers, string topic, int count, int batchSize)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(Config(bootstrapServers, count)).Build();
        var meter = new Meter();
        meter.Start();
        var batch = new List<Task<DeliveryResult<byte[], byte[]>>>(batchSize);
        for (var i = 0; i < count; i++)
        {
            batch.Add(producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = Key, Value = Value }));
            if (batch.Count == batchSize || i == count - 1)
            {
                await Task.WhenAll(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }

        var measurement = meter.Stop(count);
        producer.Flush(TimeSpan.FromSeconds(10));
        return measurement;
    }

    private static ProducerConfig Config(string bootstrapServers, int count)
    {
        var config = KafkaPresets.CriticalProducer(bootstrapServers);
        config.QueueBufferingMaxMessages = Math.Max(100_000, count + 1_000);
        config.QueueBufferingMaxKbytes = 2_097_151;
        return config;
    }

    private static void Check(int count, long delivered, long failed, string what)
    {
        if (delivered != count || failed != 0)
        {
            throw new InvalidOperationException($"{what}: {delivered} of {count} delivered, {failed} failed; the measurement is meaningless.");
        }
    }
}

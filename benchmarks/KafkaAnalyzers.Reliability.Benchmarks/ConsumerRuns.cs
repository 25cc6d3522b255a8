using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.Benchmarks;

/// <summary>
/// Consumes <c>count</c> messages already in the topic, each with a synchronous no-op handler, with the same
/// configuration (<see cref="KafkaPresets.AtLeastOnceConsumer"/>) both ways: a raw loop (<c>Consume</c>, handler,
/// <c>StoreOffset</c>) and <see cref="ReliableConsumer{TKey,TValue}"/> with its defaults. Timing starts at the first
/// message, so joining the group is not counted.
/// </summary>
internal static class ConsumerRuns
{
    public static Measurement Raw(string bootstrapServers, string topic, int count)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(Config(bootstrapServers)).Build();
        consumer.Subscribe(topic);
        var meter = new Meter();
        long handled = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (handled < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            if (!meter.Started)
            {
                meter.Start();
            }

            NoOp(result);
            consumer.StoreOffset(result);
            handled++;
        }

        var measurement = meter.Stop(handled);
        consumer.Close();
        Check(count, handled, "raw consume loop");
        return measurement;
    }

    /// <param name="maxInFlight">The consumer's <see cref="ReliableConsumerOptions.MaxInFlight"/>; null for its default.</param>
    public static async Task<Measurement> ReliableAsync(string bootstrapServers, string topic, int count, int? maxInFlight = null)
    {
        var meter = new Meter();
        long handled = 0;
        var allHandled = new TaskCompletionSource<Measurement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new ReliableConsumerOptions { Consumer = Config(bootstrapServers), Topics = { topic } };
        if (maxInFlight is { } limit)
        {
            options.MaxInFlight = limit;
        }

        var deadLetters = new KafkaDeadLetterPublisher(bootstrapServers);
        await using (deadLetters.ConfigureAwait(false))
        {
            var consumer = new ReliableConsumer<byte[], byte[]>(
                options,
                (result, _) =>
                {
                    if (Interlocked.Increment(ref handled) == 1)
                    {
                        meter.Start();
                    }

                    NoOp(result);
                    if (Volatile.Read(ref handled) == count)
                    {
                        allHandled.TrySetResult(meter.Stop(count));
                    }

                    return Task.CompletedTask;
                },
                deadLetters);
            await using (consumer.ConfigureAwait(false))
            {
                consumer.Start();
                await Task.WhenAny(allHandled.Task, Task.Delay(TimeSpan.FromMinutes(2))).ConfigureAwait(false);
                // The topic holds more than count messages, so the loop goes on handling until it is stopped.
                Check(count, Math.Min(count, Volatile.Read(ref handled)), "ReliableConsumer");
                return await allHandled.Task.WaitAsync(TimeSpan.Zero).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Each run is a new group, so it reads the topic from the beginning.</summary>
    private static ConsumerConfig Config(string bootstrapServers) =>
        KafkaPresets.AtLeastOnceConsumer(bootstrapServers, "bench-" + Guid.NewGuid().ToString("N"));

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void NoOp<TKey, TValue>(ConsumeResult<TKey, TValue> result) => GC.KeepAlive(result);

    private static void Check(int count, long handled, string what)
    {
        if (handled != count)
        {
            throw new InvalidOperationException($"{what}: handled {handled} of {count} messages within 2 minutes; the measurement is meaningless.");
        }
    }
}

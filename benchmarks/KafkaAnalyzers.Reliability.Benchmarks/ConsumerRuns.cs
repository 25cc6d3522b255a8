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
    /// <param name="maxConcurrency">The consumer's <see cref="ReliableConsumerOptions.MaxConcurrency"/>.</param>
    /// <param name="simulatedIo">When set, the handler awaits <c>Task.Delay</c> of this long (an I/O call) instead of returning at once.</param>
    public static async Task<Measurement> ReliableAsync(string bootstrapServers, string topic, int count, int? maxInFlight = null, int maxConcurrency = 1, TimeSpan? simulatedIo = null)
    {
        var meter = new Meter();
        long handled = 0;
        long finished = 0;
        var allHandled = new TaskCompletionSource<Measurement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new ReliableConsumerOptions { Consumer = Config(bootstrapServers), Topics = { topic }, MaxConcurrency = maxConcurrency };
        if (maxInFlight is { } limit)
        {
            options.MaxInFlight = limit;
        }

        var deadLetters = new KafkaDeadLetterPublisher(bootstrapServers);
        await using (deadLetters.ConfigureAwait(false))
        {
            var consumer = new ReliableConsumer<byte[], byte[]>(
                options,
                simulatedIo is { } delay
                    ? async (result, cancellationToken) =>
                    {
                        Started(meter, ref handled);
                        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                        NoOp(result);
                        Finished(meter, ref finished, count, allHandled);
                    }
                    : (result, _) =>
                    {
                        Started(meter, ref handled);
                        NoOp(result);
                        Finished(meter, ref finished, count, allHandled);
                        return Task.CompletedTask;
                    },
                deadLetters);
            await using (consumer.ConfigureAwait(false))
            {
                consumer.Start();
                await Task.WhenAny(allHandled.Task, Task.Delay(TimeSpan.FromMinutes(2))).ConfigureAwait(false);
                // The topic holds more than count messages, so the loop goes on handling until it is stopped.
                Check(count, Math.Min(count, Volatile.Read(ref finished)), "ReliableConsumer");
                return await allHandled.Task.WaitAsync(TimeSpan.Zero).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The clock starts when the first handler call starts.</summary>
    private static void Started(Meter meter, ref long handled)
    {
        if (Interlocked.Increment(ref handled) == 1)
        {
            meter.Start();
        }
    }

    /// <summary>The clock stops when the count-th handler call finishes (with concurrency, not necessarily the count-th to start).</summary>
    private static void Finished(Meter meter, ref long finished, int count, TaskCompletionSource<Measurement> allHandled)
    {
        if (Interlocked.Increment(ref finished) == count)
        {
            allHandled.TrySetResult(meter.Stop(count));
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

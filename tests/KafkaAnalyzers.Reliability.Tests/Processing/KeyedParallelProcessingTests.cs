using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Processing;

public sealed class KeyedParallelProcessingTests(ITestOutputHelper output)
{
    private const int Keys = 40;
    private const int PerKey = 75;
    private const int MessageCount = Keys * PerKey;
    private const int Partitions = 3;

    [Fact]
    public async Task Parallel_processing_keeps_per_key_order_stores_only_completed_prefixes_and_loses_nothing_in_a_crash()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("ledger", Partitions);
        var group = "keyed-" + Guid.NewGuid().ToString("N");

        // Interleaved keys; the value is the message's sequence number within its key.
        kit.Produce(topic, Enumerable.Range(0, MessageCount).Select(i => ConsumerTestKit.Message($"account-{i % Keys}", (i / Keys).ToString(), i.ToString())));

        var handled = new ConcurrentDictionary<int, int>();
        var completed = new ConcurrentDictionary<(int Partition, long Offset), byte>();
        var violations = new ConcurrentQueue<string>();
        var verifiedPrefix = new long[Partitions];
        var storedOffsetsChecked = 0;
        var maxConcurrentHandlers = 0;
        var running = 0;

        ReliableConsumerFor(out var first);
        first.Start();
        await ConsumerTestKit.WaitUntil(() => handled.Count >= MessageCount * 2 / 5, "40% is handled", () => $"{handled.Count} handled");
        first.AbortWithoutClose();
        await first.Completion;
        var handledBeforeCrash = handled.Count;

        ReliableConsumerFor(out var second);
        second.Start();
        var ends = kit.EndOffsets(topic, Partitions);
        await ConsumerTestKit.WaitUntil(
            () => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]),
            "the restarted consumer commits the end",
            () => $"{handled.Count} handled");
        await second.StopAsync();
        await second.Completion;

        Assert.True(violations.IsEmpty, string.Join(Environment.NewLine, violations.Take(20)));
        Assert.Equal(MessageCount, handled.Count);
        Assert.True(storedOffsetsChecked > Partitions, $"only {storedOffsetsChecked} stored offsets were observed");
        Assert.InRange(maxConcurrentHandlers, 2, 8);
        output.WriteLine($"messages {MessageCount} ({Keys} keys), handled before the crash {handledBeforeCrash}, distinct handled {handled.Count}, " +
            $"duplicates {handled.Values.Sum() - MessageCount}, stored offsets checked {storedOffsetsChecked}, peak concurrent handlers {maxConcurrentHandlers}");

        void ReliableConsumerFor(out Reliability.Consuming.ReliableConsumer<string, string> consumer)
        {
            // One incarnation: per key, sequence numbers must follow each other (a restart may go back).
            var lastSequence = new ConcurrentDictionary<string, int>();
            var active = new ConcurrentDictionary<string, byte>();
            consumer = kit.Consumer<string, string>(
                kit.Options(topic, group, options =>
                {
                    options.MaxConcurrency = 8;
                    options.MaxInFlight = 256;
                }),
                async (result, cancellationToken) =>
                {
                    var key = result.Message.Key;
                    var sequence = int.Parse(result.Message.Value);
                    if (!active.TryAdd(key, 0))
                    {
                        violations.Enqueue($"{key}: two messages handled at the same time");
                    }

                    var now = Interlocked.Increment(ref running);
                    int peak;
                    while (now > (peak = Volatile.Read(ref maxConcurrentHandlers)) && Interlocked.CompareExchange(ref maxConcurrentHandlers, now, peak) != peak)
                    {
                    }

                    try
                    {
                        if (lastSequence.TryGetValue(key, out var last) && sequence != last + 1)
                        {
                            violations.Enqueue($"{key}: sequence {sequence} after {last}");
                        }

                        lastSequence[key] = sequence;
                        await Task.Delay(Random.Shared.Next(0, 4), cancellationToken);
                        handled.AddOrUpdate(int.Parse(ConsumerTestKit.IdOf(result.Message.Headers)), 1, (_, count) => count + 1);
                        completed.TryAdd((result.Partition.Value, result.Offset.Value), 0);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref running);
                        active.TryRemove(key, out _);
                    }
                },
                kit.DeadLetterPublisher(group));

            // Every stored offset must cover only completed messages: all offsets below it were handled.
            consumer.OffsetStored = stored =>
            {
                Interlocked.Increment(ref storedOffsetsChecked);
                var partition = stored.Partition.Value;
                for (var offset = verifiedPrefix[partition]; offset < stored.Offset.Value; offset++)
                {
                    if (!completed.ContainsKey((partition, offset)))
                    {
                        violations.Enqueue($"stored {stored} while offset {offset} was not completed");
                        return;
                    }
                }

                verifiedPrefix[partition] = Math.Max(verifiedPrefix[partition], stored.Offset.Value);
            };
        }
    }
}

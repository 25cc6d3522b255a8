using System.Collections.Concurrent;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Processing;

public sealed class RebalanceTests(ITestOutputHelper output)
{
    private const int MessageCount = 2_000;
    private const int Partitions = 4;

    [Fact]
    public async Task A_second_member_joining_mid_stream_revokes_partitions_without_storing_past_completed_work()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("rebalanced", Partitions);
        var group = "rebalance-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, MessageCount).Select(i => ConsumerTestKit.Message($"k{i % 29}", $"v{i}", i.ToString())));

        var handled = new ConcurrentDictionary<int, int>();
        var completed = new ConcurrentDictionary<(int Partition, long Offset), byte>();
        var violations = new ConcurrentQueue<string>();
        var storedChecked = 0;
        var sink = kit.DeadLetterPublisher(group);

        ReliableConsumer<string, string> Member()
        {
            var consumer = kit.Consumer<string, string>(
                kit.Options(topic, group, options =>
                {
                    options.MaxConcurrency = 4;
                    options.MaxInFlight = 200;
                }),
                async (result, cancellationToken) =>
                {
                    await Task.Delay(Random.Shared.Next(1, 6), cancellationToken);
                    handled.AddOrUpdate(int.Parse(ConsumerTestKit.IdOf(result.Message.Headers)), 1, (_, count) => count + 1);
                    completed.TryAdd((result.Partition.Value, result.Offset.Value), 0);
                },
                sink);
            consumer.OffsetStored = stored =>
            {
                Interlocked.Increment(ref storedChecked);
                for (var offset = 0L; offset < stored.Offset.Value; offset++)
                {
                    if (!completed.ContainsKey((stored.Partition.Value, offset)))
                    {
                        violations.Enqueue($"stored {stored} while offset {offset} was not completed");
                        return;
                    }
                }
            };
            return consumer;
        }

        var first = Member();
        first.Start();
        await ConsumerTestKit.WaitUntil(() => handled.Count >= MessageCount / 5, "a fifth is handled", () => $"{handled.Count} handled");
        var second = Member();
        second.Start();

        var ends = kit.EndOffsets(topic, Partitions);
        await ConsumerTestKit.WaitUntil(
            () => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]),
            "the group commits the end",
            () => $"{handled.Count} handled");
        await Task.WhenAll(first.StopAsync(), second.StopAsync());
        await Task.WhenAll(first.Completion, second.Completion);

        Assert.True(violations.IsEmpty, string.Join(Environment.NewLine, violations.Take(20)));
        Assert.Equal(MessageCount, handled.Count);
        Assert.True(kit.Logs.Count(1102) >= 2, "the join revoked the first member's partitions");
        Assert.True(storedChecked > Partitions);
        output.WriteLine($"messages {MessageCount}, handled {handled.Count}, duplicates {handled.Values.Sum() - MessageCount}, " +
            $"revocations {kit.Logs.Count(1102)}, stored offsets checked {storedChecked}");
    }
}

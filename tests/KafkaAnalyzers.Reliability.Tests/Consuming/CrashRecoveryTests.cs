using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int MessageCount = 3_000;
    private const int Partitions = 4;
    private const int Kills = 4;

    [Fact]
    public async Task Consumer_killed_without_close_at_random_points_then_restarted_processes_every_message_at_least_once()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("audit", Partitions);
        var group = "crash-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, MessageCount).Select(i => ConsumerTestKit.Message($"k{i % 23}", $"event {i}", i.ToString())));

        var random = new Random(7_331);
        var handled = new ConcurrentDictionary<int, int>();
        var sink = kit.DeadLetterPublisher(group);
        var started = DateTime.UtcNow;

        for (var kill = 0; kill <= Kills; kill++)
        {
            var consumer = kit.Consumer<string, string>(
                kit.Options(topic, group),
                async (result, cancellationToken) =>
                {
                    // Work in flight when the kill comes: a short, random await.
                    await Task.Delay(Random.Shared.Next(0, 2), cancellationToken);
                    handled.AddOrUpdate(int.Parse(ConsumerTestKit.IdOf(result.Message.Headers)), 1, (_, count) => count + 1);
                },
                sink);

            if (kill == 1)
            {
                // Commits fail for a while: more is delivered again after the next kill, nothing is lost.
                kit.Cluster.PushRequestErrors(KafkaApi.OffsetCommit, ErrorCode.RequestTimedOut, ErrorCode.RequestTimedOut, ErrorCode.NotCoordinatorForGroup);
            }

            consumer.Start();
            if (kill == Kills)
            {
                var ends = kit.EndOffsets(topic, Partitions);
                await ConsumerTestKit.WaitUntil(
                    () => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]),
                    "the last consumer commits the end",
                    () => $"{handled.Count} distinct handled");
                await consumer.StopAsync();
                await consumer.Completion;
                break;
            }

            // Kill after a random amount of new work (or right after the assignment when the target is 0).
            var target = Math.Min(MessageCount, handled.Count + random.Next(0, MessageCount / (Kills + 1)));
            await ConsumerTestKit.WaitUntil(() => handled.Count >= target, $"kill {kill + 1}: {target} distinct messages are handled", () => $"{handled.Count} handled");
            await Task.Delay(random.Next(0, 50));
            consumer.AbortWithoutClose();
            await consumer.Completion;
            output.WriteLine($"kill {kill + 1} after {handled.Count} distinct messages");
        }

        var missing = Enumerable.Range(0, MessageCount).Where(id => !handled.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} message(s) never handled, e.g. {string.Join(", ", missing.Take(10))}");
        Assert.Equal(MessageCount, handled.Count);
        Assert.Equal(Kills, kit.Logs.Count(1121));
        var duplicates = handled.Values.Sum() - MessageCount;
        output.WriteLine($"messages {MessageCount}, kills {Kills}, distinct handled {handled.Count}, duplicates {duplicates}, {(DateTime.UtcNow - started).TotalSeconds:F1} s");
    }
}

using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.RetryTopics;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Xunit.Abstractions;
using static KafkaAnalyzers.Reliability.Tests.RetryTopics.RetryTopicKit;

namespace KafkaAnalyzers.Reliability.Tests.RetryTopics;

public sealed class RetryTierTests(ITestOutputHelper output)
{
    private const int Partitions = 2;

    [Fact]
    public async Task Transient_failures_move_through_the_tiers_are_never_attempted_before_due_and_never_cost_a_rebalance()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("orders", Partitions);
        kit.CreateTiers(topic, Partitions, tiers: 3);
        var group = "tiers-" + Guid.NewGuid().ToString("N");
        const int count = 60;
        kit.Produce(topic, Enumerable.Range(0, count).Select(i => ConsumerTestKit.Message($"k{i % 7}", $"order {i}", i.ToString())));

        // Failures before success: ids 0,5,10.. fail (id/5 % 4) + 1 times: once (recovers in tier 1), twice (tier 2),
        // three times (tier 3), four times (never recovers: dead-lettered after the last tier). Ids 3, 20, 37.. fail permanently.
        static int FailuresOf(int id) => id % 5 == 0 ? (id / 5 % 4) + 1 : 0;
        static bool Permanent(int id) => id % 17 == 3;
        var attempts = new ConcurrentDictionary<int, ConcurrentQueue<(string Topic, DateTimeOffset At, DateTimeOffset? DueAt)>>();
        var succeeded = new ConcurrentDictionary<int, string>();
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, options =>
            {
                options.Retry.MaxAttempts = 1;
                options.CircuitBreaker.Enabled = false;
                options.MaxConcurrency = 4;
                options.UseRetryTopics(Ms(400), Ms(800), Ms(1200));
            }),
            (result, cancellationToken) =>
            {
                var now = DateTimeOffset.UtcNow;
                var id = int.Parse(ConsumerTestKit.IdOf(result.Message.Headers));
                DateTimeOffset? due = result.Message.Headers.TryGetLastBytes(RetryHeaders.DueAt, out _)
                    ? DateTimeOffset.FromUnixTimeMilliseconds(Header(result.Message.Headers, RetryHeaders.DueAt))
                    : null;
                var calls = attempts.GetOrAdd(id, _ => new());
                calls.Enqueue((result.Topic, now, due));
                if (Permanent(id))
                {
                    throw new ArgumentException($"order {id} is invalid");
                }

                if (calls.Count <= FailuresOf(id))
                {
                    throw new TimeoutException($"payment service timed out for {id}");
                }

                succeeded[id] = result.Topic;
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        await ConsumerTestKit.WaitUntil(() => consumer.KafkaConsumer?.Assignment.Count > 0, "the consumer has its partitions");
        var generation = GroupGeneration.Of(consumer.KafkaConsumer!);
        var tierTopics = Enumerable.Range(1, 3).Select(tier => RetryTopicOptions.DefaultTopicName(topic, tier)).ToArray();
        await kit.WaitUntilCommittedToEnd(group, Partitions, () => $"{succeeded.Count} succeeded", [topic, .. tierTopics]);
        Assert.Equal(generation, GroupGeneration.Of(consumer.KafkaConsumer!));
        await consumer.StopAsync();
        await consumer.Completion;

        var deadLetters = kit.ReadAll(topic + ".dlq", Partitions);
        var deadIds = deadLetters.Select(d => int.Parse(ConsumerTestKit.IdOf(d.Message.Headers))).ToHashSet();
        for (var id = 0; id < count; id++)
        {
            var calls = attempts[id].ToArray();
            foreach (var call in calls.Where(c => c.DueAt is not null))
            {
                Assert.True(call.At >= call.DueAt, $"id {id}: attempt on {call.Topic} at {call.At:O}, before its due time {call.DueAt:O}");
            }

            if (Permanent(id))
            {
                Assert.Single(calls);
                Assert.Contains(id, deadIds);
            }
            else if (FailuresOf(id) == 4)
            {
                Assert.Equal([topic, .. tierTopics], calls.Select(c => c.Topic));
                Assert.Contains(id, deadIds);
            }
            else
            {
                Assert.Equal(FailuresOf(id) + 1, calls.Length);
                Assert.Equal(FailuresOf(id) == 0 ? topic : tierTopics[FailuresOf(id) - 1], succeeded[id]);
                Assert.DoesNotContain(id, deadIds);
            }
        }

        // A dead letter from the last tier names the source topic and offset, counts every attempt, and keeps its retry history.
        var exhausted = deadLetters.First(d => FailuresOf(int.Parse(ConsumerTestKit.IdOf(d.Message.Headers))) == 4);
        var metadata = DeadLetterMetadata.Read(exhausted.Message.Headers);
        var history = RetryMetadata.Read(exhausted.Message.Headers);
        Assert.Equal(topic, metadata.OriginalTopic);
        Assert.Equal(FailureCategory.Transient, metadata.Category);
        Assert.Equal(4, metadata.Attempts);
        Assert.Equal(history.OriginalOffset, metadata.OriginalOffset);
        Assert.Equal(3, history.Tier);
        Assert.Equal(typeof(TimeoutException).FullName, history.FirstFailure!.ExceptionType);
        Assert.True(history.FirstFailure.FailedAt < history.LastFailure!.FailedAt);
        Assert.Equal(deadIds.Count, deadLetters.Count);
    }
}

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
        using var metrics = new ConsumerMeterRecorder(group);
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

        // Metrics: messages sent per tier, due-time lag of every message taken out of a tier, dead letters from the last tier.
        double SentTo(int tier) => metrics.Measurements.Where(m => m.Instrument == RetryTopicInstruments.MessagesSent && Equals(m.Tags[RetryTopicInstruments.TierTag], tier)).Sum(m => m.Value);
        var failingAtLeast = (int n) => Enumerable.Range(0, count).Count(id => !Permanent(id) && FailuresOf(id) >= n);
        Assert.Equal((failingAtLeast(1), failingAtLeast(2), failingAtLeast(3)), (SentTo(1), SentTo(2), SentTo(3)));
        var lags = metrics.Measurements.Where(m => m.Instrument == RetryTopicInstruments.DueLag).ToList();
        Assert.Equal(failingAtLeast(1) + failingAtLeast(2) + failingAtLeast(3), lags.Count);
        Assert.All(lags, lag => Assert.InRange(lag.Value, 0, 30));
        Assert.Equal(failingAtLeast(4), metrics.Sum(RetryTopicInstruments.MessagesDeadLettered, "kafka.failure.category", "Transient"));
        Assert.Equal(failingAtLeast(1) - failingAtLeast(4), metrics.Sum(RetryTopicInstruments.MessagesRecovered));
        Assert.Equal(0, metrics.Sum(RetryTopicInstruments.PartitionsWaiting));
        Assert.True(metrics.Peak(RetryTopicInstruments.PartitionsWaiting) >= 1, "tier partitions waited for their due time");
    }

    [Fact]
    public async Task Tier_messages_wait_out_their_due_time_across_a_circuit_breaker_that_pauses_every_partition()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("bills", Partitions);
        kit.CreateTiers(topic, Partitions, tiers: 2);
        var group = "breaker-tiers-" + Guid.NewGuid().ToString("N");
        const int count = 40;
        kit.Produce(topic, Enumerable.Range(0, count).Select(i => ConsumerTestKit.Message($"k{i % 5}", $"bill {i}", i.ToString())));

        // The dependency is down for the first 1.5 s after the first call: the breaker opens and pauses everything
        // while tier messages are held for their due time; both pauses must give way to the right one.
        var firstCall = new Lazy<DateTimeOffset>(() => DateTimeOffset.UtcNow, LazyThreadSafetyMode.ExecutionAndPublication);
        var attempts = new ConcurrentQueue<(int Id, DateTimeOffset At, DateTimeOffset? DueAt)>();
        var succeeded = new ConcurrentDictionary<int, byte>();
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, options =>
            {
                options.Retry.MaxAttempts = 1;
                options.MaxConcurrency = 4;
                options.CircuitBreaker.MinimumThroughput = 4;
                options.CircuitBreaker.FailureRatio = 0.5;
                options.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(700);
                options.UseRetryTopics(Ms(900), Ms(900));
            }),
            (result, cancellationToken) =>
            {
                var now = DateTimeOffset.UtcNow;
                var id = int.Parse(ConsumerTestKit.IdOf(result.Message.Headers));
                DateTimeOffset? due = result.Message.Headers.TryGetLastBytes(RetryHeaders.DueAt, out _)
                    ? DateTimeOffset.FromUnixTimeMilliseconds(Header(result.Message.Headers, RetryHeaders.DueAt))
                    : null;
                attempts.Enqueue((id, now, due));
                if (now - firstCall.Value < TimeSpan.FromSeconds(1.5))
                {
                    throw new TimeoutException("bank is down");
                }

                succeeded[id] = 0;
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        await ConsumerTestKit.WaitUntil(() => consumer.KafkaConsumer?.Assignment.Count > 0, "the consumer has its partitions");
        var generation = GroupGeneration.Of(consumer.KafkaConsumer!);
        var tiers = Enumerable.Range(1, 2).Select(tier => RetryTopicOptions.DefaultTopicName(topic, tier)).ToArray();
        await kit.WaitUntilCommittedToEnd(group, Partitions, () => $"{succeeded.Count} succeeded", [topic, .. tiers]);
        Assert.Equal(generation, GroupGeneration.Of(consumer.KafkaConsumer!));
        await consumer.StopAsync();

        var deadIds = kit.ReadAll(topic + ".dlq", Partitions).Select(d => int.Parse(ConsumerTestKit.IdOf(d.Message.Headers))).ToHashSet();
        Assert.Equal(Enumerable.Range(0, count).ToHashSet(), succeeded.Keys.Concat(deadIds).ToHashSet());
        Assert.All(attempts.Where(a => a.DueAt is not null), a => Assert.True(a.At >= a.DueAt, $"id {a.Id} attempted at {a.At:O} before {a.DueAt:O}"));
        Assert.True(kit.Logs.Count(1107) > 0, "the circuit breaker opened");
        Assert.Contains(attempts, a => a.DueAt is not null);
    }
}

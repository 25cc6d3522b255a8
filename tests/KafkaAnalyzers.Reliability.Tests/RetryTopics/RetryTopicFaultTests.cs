using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.RetryTopics;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Xunit.Abstractions;
using static KafkaAnalyzers.Reliability.Tests.RetryTopics.RetryTopicKit;

namespace KafkaAnalyzers.Reliability.Tests.RetryTopics;

public sealed class RetryTopicFaultTests(ITestOutputHelper output)
{
    private const int MessageCount = 5000;
    private const int Partitions = 4;
    private static readonly TimeSpan PublishingTime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan[] TierDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)];

    /// <summary>
    /// If a waiting retry blocked its partition (in-memory retries), every transient message would hold its
    /// partition for its whole failure window: 250 of them at about 2 s each over 4 partitions put the healthy
    /// messages behind by about two minutes. Retry topics keep them within seconds; the faults (a broker down for
    /// 3 s, a killed consumer whose partitions come back after its 3 s session) account for the worst of it.
    /// </summary>
    private static readonly TimeSpan HealthyLagBound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Before the first fault retries already wait in the tiers (tier 1 is due 1 s after a failure): the healthy
    /// messages of the fault-free cohort (the first 1.5 s of publishing) must not wait for them. Measured: about
    /// 0.3 s median, 0.8 s at most; the bound leaves room for a loaded 2-core machine. The outage starts at 2.5 s
    /// at the earliest and only once that cohort is handled: the broker that goes down may be the group
    /// coordinator, and with the tests' 3 s session the consumer then loses its partitions and rejoins, so a
    /// cohort message still unconsumed when it starts would measure the outage and the rejoin, not the retries.
    /// </summary>
    private static readonly TimeSpan FaultFreeLagBound = TimeSpan.FromSeconds(5);

    /// <summary>The fault-free cohort: the messages of the first 1.5 s of publishing (ids below this).</summary>
    private static readonly int FaultFreeCohort = (int)(MessageCount * (TimeSpan.FromSeconds(1.5) / PublishingTime));

    private static readonly TimeSpan OutageDuration = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan KillAfterOutage = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Five_thousand_messages_with_transient_and_permanent_failures_a_broker_outage_and_a_consumer_kill_lose_none_and_keep_healthy_messages_flowing()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("payments", Partitions);
        kit.CreateTiers(topic, Partitions, TierDelays.Length);
        var group = "retry-faults-" + Guid.NewGuid().ToString("N");

        // 5% fail transiently for 0.3 to 4 s after their first attempt (a dependency that recovers), 1% fail permanently.
        static int Band(int id) => (int)((uint)id * 2654435761u % 100);
        static bool Transient(int id) => Band(id) < 5;
        static bool Permanent(int id) => Band(id) == 5;
        static TimeSpan Window(int id) => TimeSpan.FromMilliseconds(300 + ((uint)id * 7919u % 3700));

        var clock = Stopwatch.StartNew();
        var firstFailure = new ConcurrentDictionary<int, TimeSpan>();
        var succeededAt = new ConcurrentDictionary<int, TimeSpan>();
        var healthyLag = new ConcurrentDictionary<int, TimeSpan>();
        var handled = 0L;
        var warmedUp = new ConcurrentDictionary<int, byte>();
        var attempts = 0L;

        Task Handle(ConsumeResult<string, string> result, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref attempts);
            var id = int.Parse(ConsumerTestKit.IdOf(result.Message.Headers));
            if (id < 0)
            {
                warmedUp.TryAdd(id, 0);
                return Task.CompletedTask;
            }

            if (Permanent(id))
            {
                throw new FormatException($"payment {id} has a malformed account number");
            }

            if (Transient(id) && clock.Elapsed - firstFailure.GetOrAdd(id, clock.Elapsed) < Window(id))
            {
                throw new TimeoutException($"bank timed out for payment {id}");
            }

            Interlocked.Increment(ref handled);
            succeededAt.TryAdd(id, clock.Elapsed);
            if (!Transient(id))
            {
                healthyLag.TryAdd(id, DateTime.UtcNow - result.Message.Timestamp.UtcDateTime);
            }

            return Task.CompletedTask;
        }

        ReliableConsumerOptions Options() => kit.Options(topic, group, options =>
        {
            options.MaxConcurrency = 8;
            options.Retry.MaxAttempts = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(50);
            options.UseRetryTopics(TierDelays);
        });

        var deadLetters = kit.DeadLetterPublisher(group);
        var first = kit.Consumer<string, string>(Options(), Handle, deadLetters);
        first.Start();
        await ConsumerTestKit.WaitUntil(() => first.KafkaConsumer?.Assignment.Count > 0, "the first consumer has its partitions");

        // Warm up: the consumer is fetching from every partition before the clock starts.
        kit.Produce(topic, Enumerable.Range(1, 40).Select(i => ConsumerTestKit.Message($"customer-{i}", "warm-up", (-i).ToString())));
        await ConsumerTestKit.WaitUntil(() => warmedUp.Count == 40, "the warm-up messages are handled");

        // Publish 5000 over 10 s while the faults happen. The outage waits for the fault-free cohort to be handled (on
        // a quiet machine it is by 2.5 s); the kill follows the outage.
        clock.Restart();
        var publishing = Task.Run(() => Publish(kit, topic));
        var healthyCohort = Enumerable.Range(0, FaultFreeCohort).Where(id => !Transient(id) && !Permanent(id)).ToList();
        var transientCohort = Enumerable.Range(0, FaultFreeCohort).Where(Transient).ToList();
        await Until(TimeSpan.FromSeconds(2.5));
        await ConsumerTestKit.WaitUntil(() => healthyCohort.All(succeededAt.ContainsKey), "the fault-free cohort is handled before the outage", () => $"{healthyCohort.Count(succeededAt.ContainsKey)} of {healthyCohort.Count}");
        var down = clock.Elapsed;
        kit.Cluster.SetBrokerDown(2);
        output.WriteLine($"{down.TotalSeconds:0.0} s: broker 2 down");
        await Until(down + OutageDuration);
        kit.Cluster.SetBrokerUp(2);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: broker 2 up");
        await Until(down + OutageDuration + KillAfterOutage);
        first.AbortWithoutClose();
        await first.Completion;
        var second = kit.Consumer<string, string>(Options(), Handle, deadLetters);
        second.Start();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: consumer killed (no Close, nothing more committed) and replaced");
        await publishing;
        var published = clock.Elapsed;
        output.WriteLine($"{published.TotalSeconds:0.0} s: {MessageCount} published");

        var tierTopics = Enumerable.Range(1, TierDelays.Length).Select(tier => RetryTopicOptions.DefaultTopicName(topic, tier)).ToArray();
        await kit.WaitUntilCommittedToEnd(group, Partitions, () => $"{succeededAt.Count} succeeded at {clock.Elapsed.TotalSeconds:0.0} s", [topic, .. tierTopics]);
        var drained = clock.Elapsed;
        await second.StopAsync();
        await second.Completion;

        var deadIds = kit.ReadAll(topic + ".dlq", Partitions).Select(d => int.Parse(ConsumerTestKit.IdOf(d.Message.Headers))).ToList();
        var all = Enumerable.Range(0, MessageCount).ToList();
        var lost = all.Where(id => !succeededAt.ContainsKey(id) && !deadIds.Contains(id)).ToList();
        var transient = all.Where(Transient).ToList();
        var permanent = all.Where(Permanent).ToList();
        var lastRecovery = transient.Max(id => succeededAt.TryGetValue(id, out var at) ? at : TimeSpan.MaxValue);
        var lags = healthyLag.Values.Order().ToList();
        TimeSpan Percentile(double p) => lags[(int)Math.Min(lags.Count - 1, Math.Ceiling(p * lags.Count) - 1)];
        output.WriteLine(
            $"retry-topics fault test: messages={MessageCount} transient={transient.Count} permanent={permanent.Count} processed={succeededAt.Count} " +
            $"dead-lettered={deadIds.Distinct().Count()} lost={lost.Count} handler-attempts={Interlocked.Read(ref attempts)} handled={Interlocked.Read(ref handled)} (redelivered {Interlocked.Read(ref handled) - succeededAt.Count})");
        output.WriteLine(
            $"healthy lag: p50={Percentile(0.50).TotalSeconds:0.00} s p95={Percentile(0.95).TotalSeconds:0.00} s p99={Percentile(0.99).TotalSeconds:0.00} s max={lags[^1].TotalSeconds:0.00} s; " +
            $"last transient recovered {(lastRecovery - published).TotalSeconds:0.0} s after publishing ended; all committed {(drained - published).TotalSeconds:0.0} s after");

        foreach (var bucket in healthyLag.GroupBy(pair => (int)(pair.Key * PublishingTime.TotalSeconds / MessageCount)).OrderBy(g => g.Key))
        {
            var inSecond = bucket.Select(pair => pair.Value).Order().ToList();
            output.WriteLine($"ids of publishing second {bucket.Key}: {inSecond.Count} healthy, lag median {inSecond[inSecond.Count / 2].TotalSeconds:0.00} s, max {inSecond[^1].TotalSeconds:0.00} s");
        }

        Assert.Empty(lost);
        Assert.All(permanent, id => Assert.Contains(id, deadIds));
        Assert.All(transient, id => Assert.True(succeededAt.ContainsKey(id), $"transient {id} recovered through the tiers"));
        Assert.DoesNotContain(deadIds, id => Transient(id));
        Assert.Equal(permanent.Count, deadIds.Distinct().Count());
        Assert.All(kit.ReadAll(topic + ".dlq", Partitions), d => Assert.Equal(FailureCategory.Permanent, DeadLetterMetadata.Read(d.Message.Headers).Category));
        Assert.True(lags[^1] < HealthyLagBound, $"healthy messages fell behind by up to {lags[^1].TotalSeconds:0.0} s");
        // The fault-free cohort: handled before the outage, while the cohort's transient messages waited in the tiers
        // (failed, not yet recovered, while healthy messages of the cohort were handled).
        var beforeFaults = healthyCohort.Select(id => healthyLag[id]).Order().ToList();
        var beforeFaultsP95 = beforeFaults[(int)Math.Ceiling(0.95 * beforeFaults.Count) - 1];
        var cohortHandled = healthyCohort.Select(id => succeededAt[id]).ToList();
        var waitedWhileHealthyHandled = transientCohort.Count(id => cohortHandled.Any(at => at > firstFailure[id] && at < succeededAt[id]));
        output.WriteLine($"before the faults (ids below {FaultFreeCohort}): {beforeFaults.Count} healthy, lag p95 {beforeFaultsP95.TotalSeconds:0.00} s, " +
            $"all handled {cohortHandled.Max().TotalSeconds:0.0} s into publishing, while {waitedWhileHealthyHandled} of {transientCohort.Count} transient messages waited in the tiers");
        Assert.True(waitedWhileHealthyHandled >= 5, $"retries were waiting in the tiers while those healthy messages were handled ({waitedWhileHealthyHandled})");
        Assert.True(beforeFaultsP95 < FaultFreeLagBound, $"before any fault, healthy messages fell behind by {beforeFaultsP95.TotalSeconds:0.00} s (p95)");

        async Task Until(TimeSpan at)
        {
            var wait = at - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }
    }

    private static async Task Publish(ConsumerTestKit kit, string topic)
    {
        var config = KafkaPresets.CriticalProducer(kit.BootstrapServers);
        config.ReconnectBackoffMaxMs = 500;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var deliveries = new List<Task>(MessageCount);
        var clock = Stopwatch.StartNew();
        const int batches = 50;
        for (var batch = 0; batch < batches; batch++)
        {
            for (var i = batch * MessageCount / batches; i < (batch + 1) * MessageCount / batches; i++)
            {
                deliveries.Add(producer.ProduceAsync(topic, ConsumerTestKit.Message($"customer-{i % 97}", $"payment {i}", i.ToString())));
            }

            var next = PublishingTime * (batch + 1) / batches;
            if (next > clock.Elapsed)
            {
                await Task.Delay(next - clock.Elapsed);
            }
        }

        await Task.WhenAll(deliveries);
    }
}

using System.Collections.Concurrent;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.RetryTopics;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Xunit.Abstractions;
using static KafkaAnalyzers.Reliability.Tests.RetryTopics.RetryTopicKit;

namespace KafkaAnalyzers.Reliability.Tests.RetryTopics;

public sealed class KeyOrderTests(ITestOutputHelper output)
{
    private const int Partitions = 2;
    private const int Count = 80;

    [Fact]
    public async Task With_KeepKeyOrder_later_messages_of_a_key_follow_a_retried_one_through_the_tiers_and_are_handled_after_it()
    {
        var (handledOrder, deadIds, followed) = await RunAsync(keepKeyOrder: true);

        foreach (var (key, ids) in handledOrder)
        {
            Assert.True(ids.SequenceEqual(ids.Order()), $"key {key} handled in order {string.Join(",", ids)}");
        }

        // Every message was handled except the one that failed past the last tier (12): its key's later messages
        // followed it while it was in retry and were handled once it was dead-lettered.
        Assert.Equal([12], deadIds);
        Assert.Equal(Count - 1, handledOrder.Values.Sum(ids => ids.Count));
        Assert.True(followed > 0, "some messages followed an earlier one of their key");
    }

    [Fact]
    public async Task Without_KeepKeyOrder_a_retried_message_is_handled_after_later_messages_of_its_key()
    {
        var (handledOrder, deadIds, followed) = await RunAsync(keepKeyOrder: false);

        Assert.Contains(handledOrder.Values, ids => !ids.SequenceEqual(ids.Order()));
        Assert.Equal([12], deadIds);
        Assert.Equal(0, followed);
    }

    [Fact]
    public async Task KeepKeyOrder_refuses_tier_topics_whose_partition_count_differs_from_the_source()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("ordered", Partitions);
        kit.Cluster.CreateTopic(RetryTopicOptions.DefaultTopicName(topic, 1), Partitions + 1, replicationFactor: 3);
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, "ordered-" + Guid.NewGuid().ToString("N"), options =>
            {
                options.UseRetryTopics(Ms(100));
                options.RetryTopics.KeepKeyOrder = true;
            }),
            (_, _) => Task.CompletedTask,
            kit.DeadLetterPublisher("g"));

        var failure = Assert.Throws<InvalidOperationException>(consumer.Start);

        Assert.Contains($"'{RetryTopicOptions.DefaultTopicName(topic, 1)}' has {Partitions + 1} partition(s) but '{topic}' has {Partitions}", failure.Message);
        Assert.Contains("KeepKeyOrder needs the same count", failure.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => consumer.Completion);
    }

    /// <summary>
    /// 80 messages over 8 keys. Messages 4, 12, 21 and 30 fail transiently: 4 and 21 once (recover in tier 1),
    /// 30 twice (recovers in tier 2), 12 three times (dead-lettered after tier 2).
    /// </summary>
    private async Task<(Dictionary<string, List<int>> HandledOrder, List<int> DeadIds, double Followed)> RunAsync(bool keepKeyOrder)
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("ordered", Partitions);
        kit.CreateTiers(topic, Partitions, tiers: 2);
        var group = "ordered-" + Guid.NewGuid().ToString("N");
        using var metrics = new ConsumerMeterRecorder(group);
        kit.Produce(topic, Enumerable.Range(0, Count).Select(i => ConsumerTestKit.Message($"key-{i % 8}", $"event {i}", i.ToString())));

        var failures = new Dictionary<int, int> { [4] = 1, [12] = 3, [21] = 1, [30] = 2 };
        var calls = new ConcurrentDictionary<int, int>();
        var handled = new ConcurrentQueue<(string Key, int Id)>();
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, options =>
            {
                options.MaxConcurrency = 4;
                options.Retry.MaxAttempts = 1;
                options.CircuitBreaker.Enabled = false;
                options.UseRetryTopics(Ms(300), Ms(600));
                options.RetryTopics.KeepKeyOrder = keepKeyOrder;
            }),
            async (result, cancellationToken) =>
            {
                var id = int.Parse(ConsumerTestKit.IdOf(result.Message.Headers));
                if (calls.AddOrUpdate(id, 1, (_, n) => n + 1) <= failures.GetValueOrDefault(id))
                {
                    throw new TimeoutException($"event {id} timed out");
                }

                await Task.Delay(2, cancellationToken);
                handled.Enqueue((result.Message.Key, id));
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        var tiers = Enumerable.Range(1, 2).Select(tier => RetryTopicOptions.DefaultTopicName(topic, tier)).ToArray();
        await kit.WaitUntilCommittedToEnd(group, Partitions, () => $"{handled.Count} handled", [topic, .. tiers]);
        await consumer.StopAsync();
        if (keepKeyOrder)
        {
            Assert.Equal(0, consumer.RetryTopicRouter!.KeysInRetry);
        }

        var deadIds = kit.ReadAll(topic + ".dlq", Partitions).Select(d => int.Parse(ConsumerTestKit.IdOf(d.Message.Headers))).ToList();
        var order = handled.GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Select(h => h.Id).ToList());
        output.WriteLine(string.Join(Environment.NewLine, order.Select(pair => $"{pair.Key}: {string.Join(",", pair.Value)}")));
        return (order, deadIds, metrics.Sum(RetryTopicInstruments.MessagesSent, RetryTopicInstruments.ReasonTag, "follows"));
    }
}

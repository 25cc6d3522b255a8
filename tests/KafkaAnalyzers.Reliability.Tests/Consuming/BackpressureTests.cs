using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

/// <summary>
/// The in-flight window: fast handlers are never paused (a pause drops librdkafka's prefetched
/// messages and throughput collapses), slow handlers are paused once they stay behind, and resumed.
/// </summary>
public sealed class BackpressureTests(ITestOutputHelper output)
{
    private const int Partitions = 3;

    [Fact]
    public async Task Handlers_that_keep_up_fill_the_window_without_the_partitions_ever_pausing()
    {
        const int messageCount = 3000;
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("fast", Partitions);
        var group = "fast-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, messageCount).Select(i => ConsumerTestKit.Message($"k{i % 13}", "v", i.ToString())));
        var handled = new ConcurrentDictionary<int, byte>();
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, options =>
            {
                // A small window that fills at once: before the fix it paused (and waited for a
                // re-fetch) every few dozen messages.
                options.MaxInFlight = 20;
                options.MaxConcurrency = 4;
            }),
            (result, _) =>
            {
                handled.TryAdd(int.Parse(ConsumerTestKit.IdOf(result.Message.Headers)), 0);
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        var ends = kit.EndOffsets(topic, Partitions);
        await ConsumerTestKit.WaitUntil(
            () => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]),
            "the committed offsets reach the end",
            () => $"{handled.Count} handled");
        await consumer.StopAsync();
        await consumer.Completion;

        Assert.Equal(messageCount, handled.Count);
        Assert.DoesNotContain(kit.Logs.Entries, e => e.EventId == 1109 && e.Message.Contains("backpressure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stuck_handlers_get_the_partitions_paused_then_resumed_when_they_finish_and_nothing_is_lost()
    {
        const int messageCount = 120;
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("stuck", Partitions);
        var group = "stuck-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, messageCount).Select(i => ConsumerTestKit.Message($"k{i % 7}", "v", i.ToString())));
        var handled = new ConcurrentDictionary<int, byte>();
        var dependency = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, options =>
            {
                options.MaxInFlight = 10;
                options.MaxConcurrency = 2;
                options.BackpressurePauseAfter = TimeSpan.FromMilliseconds(200);
            }),
            async (result, cancellationToken) =>
            {
                await dependency.Task.WaitAsync(cancellationToken);
                handled.TryAdd(int.Parse(ConsumerTestKit.IdOf(result.Message.Headers)), 0);
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        await ConsumerTestKit.WaitUntil(
            () => kit.Logs.Entries.Any(e => e.EventId == 1109 && e.Message.Contains("backpressure", StringComparison.Ordinal)),
            "the partitions pause while the handlers are stuck",
            () => $"{handled.Count} handled");
        Assert.Empty(handled);

        dependency.SetResult();
        var ends = kit.EndOffsets(topic, Partitions);
        await ConsumerTestKit.WaitUntil(
            () => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]),
            "the committed offsets reach the end",
            () => $"{handled.Count} handled");
        await consumer.StopAsync();
        await consumer.Completion;

        Assert.Equal(messageCount, handled.Count);
        Assert.Contains(kit.Logs.Entries, e => e.EventId == 1110);
    }

    [Fact]
    public void A_pause_delay_longer_than_half_the_poll_interval_is_refused_naming_the_setting()
    {
        var options = new Reliability.Consuming.ReliableConsumerOptions
        {
            Consumer = Reliability.Configuration.KafkaPresets.AtLeastOnceConsumer("localhost:9092", "g"),
            Topics = { "t" },
            BackpressurePauseAfter = TimeSpan.FromMinutes(4),
        };

        var problems = options.Validate();

        Assert.Contains(problems, p => p.Contains("ReliableConsumerOptions.BackpressurePauseAfter", StringComparison.Ordinal) && p.Contains("max.poll.interval.ms", StringComparison.Ordinal));
    }
}

using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

/// <summary>
/// Issue 14, items 4-6: a breaker that paused late when the in-flight window was full, a transient message whose
/// attempts restarted at every breaker opening (so it could hold the breaker open forever), and a cancellation
/// callback that threw on revocation without a trace.
/// </summary>
public sealed class ConsumerRegressionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Open_breaker_pauses_the_partitions_at_once_even_when_the_in_flight_window_is_full()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("breaker-window", 1);
        var group = "breaker-window-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, 40).Select(i => ConsumerTestKit.Message($"k{i}", $"v{i}", i.ToString())));
        var dependencyDown = 1;
        var handled = new ConcurrentDictionary<int, byte>();
        var options = kit.Options(topic, group, options =>
        {
            options.MaxConcurrency = 1;
            options.MaxInFlight = 5;

            // Long enough that a pause that waits for it cannot be mistaken for a prompt one.
            options.BackpressurePauseAfter = TimeSpan.FromSeconds(12);
            options.Retry.MaxAttempts = 3;
            options.CircuitBreaker.MinimumThroughput = 4;
            options.CircuitBreaker.FailureRatio = 0.5;
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
        });
        var consumer = kit.Consumer<string, string>(
            options,
            (result, _) =>
            {
                if (Volatile.Read(ref dependencyDown) == 1)
                {
                    throw new TimeoutException("inventory service timed out");
                }

                handled.TryAdd(int.Parse(ConsumerTestKit.IdOf(result.Message.Headers)), 0);
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        await ConsumerTestKit.WaitUntil(
            () => kit.Logs.Entries.Any(e => e.EventId == 1109 && e.Message.Contains("circuit breaker", StringComparison.Ordinal)),
            "the open breaker pauses the partitions",
            patience: TimeSpan.FromSeconds(45));
        var opened = kit.Logs.Entries.First(e => e.EventId == 1107).At;
        var paused = kit.Logs.Entries.First(e => e.EventId == 1109).At;
        output.WriteLine($"breaker opened at {opened:HH:mm:ss.fff}, partitions paused at {paused:HH:mm:ss.fff} ({(paused - opened).TotalSeconds:F2} s later)");

        Volatile.Write(ref dependencyDown, 0);
        var ends = kit.EndOffsets(topic, 1);
        await ConsumerTestKit.WaitUntil(() => kit.CommittedOffsets(group, topic, 1).All(pair => pair.Value == ends[pair.Key]), "processing resumes and commits the end");
        await consumer.StopAsync();
        await consumer.Completion;

        Assert.True(paused - opened < TimeSpan.FromSeconds(2), $"the partitions paused {(paused - opened).TotalSeconds:F2} s after the breaker opened");
        Assert.DoesNotContain(kit.Logs.Entries, e => e.EventId == 1109 && e.Message.Contains("backpressure", StringComparison.Ordinal));
    }

    /// <summary>
    /// Three messages that always fail transiently, handled concurrently: together they open the breaker before
    /// any of them used its three attempts. The attempts used before an opening must count after it; before the
    /// fix each opening restarted them, so no message ever reached the limit and the breaker cycled for ever.
    /// </summary>
    [Fact]
    public async Task A_message_attempt_budget_survives_breaker_openings_so_it_is_dead_lettered_after_exactly_max_attempts()
    {
        const int maxAttempts = 3;
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("budget", 1);
        var group = "budget-" + Guid.NewGuid().ToString("N");
        var poison = Enumerable.Range(0, 3).Select(i => ConsumerTestKit.Message($"poison-{i}", "poison", "p" + i));
        var valid = Enumerable.Range(0, 6).Select(i => ConsumerTestKit.Message($"valid-{i}", "valid", "v" + i));
        kit.Produce(topic, poison.Concat(valid));
        var calls = new ConcurrentDictionary<string, int>();
        var handled = new ConcurrentDictionary<string, byte>();
        var options = kit.Options(topic, group, options =>
        {
            options.MaxConcurrency = 3;
            options.Retry.MaxAttempts = maxAttempts;
            options.Retry.Delay = TimeSpan.FromMilliseconds(50);
            options.CircuitBreaker.MinimumThroughput = 4;
            options.CircuitBreaker.FailureRatio = 0.5;
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            options.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(500);
        });
        var consumer = kit.Consumer<string, string>(
            options,
            (result, _) =>
            {
                var id = ConsumerTestKit.IdOf(result.Message.Headers);
                calls.AddOrUpdate(id, 1, (_, count) => count + 1);
                if (result.Message.Value == "poison")
                {
                    throw new TimeoutException("the dependency times out for this message");
                }

                handled.TryAdd(id, 0);
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        var ends = kit.EndOffsets(topic, 1);
        await ConsumerTestKit.WaitUntil(
            () => kit.CommittedOffsets(group, topic, 1).All(pair => pair.Value == ends[pair.Key]),
            "every message is handled or dead-lettered and the end is committed",
            () => $"handler calls: {string.Join(", ", calls.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}={pair.Value}"))}; breaker openings {kit.Logs.Count(1107)}");
        await consumer.StopAsync();
        await consumer.Completion;

        Assert.True(kit.Logs.Count(1107) >= 1, "the breaker never opened: the test shows nothing");
        var deadLetters = kit.ReadAll(topic + ".dlq", 1);
        Assert.Equal(["p0", "p1", "p2"], deadLetters.Select(d => ConsumerTestKit.IdOf(d.Message.Headers)).Order());
        Assert.All(deadLetters, deadLetter =>
        {
            var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
            Assert.Equal(FailureCategory.Transient, metadata.Category);
            Assert.Equal(maxAttempts, metadata.Attempts);
        });
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(maxAttempts, calls[$"p{i}"]));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => "v" + i), handled.Keys.Order());
    }

    [Fact]
    public void Options_that_let_one_message_open_the_breaker_on_its_own_are_refused_naming_both_settings()
    {
        var options = new ReliableConsumerOptions
        {
            Consumer = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g", EnableAutoOffsetStore = false, AutoOffsetReset = AutoOffsetReset.Earliest },
            Topics = { "orders" },
        };
        options.Retry.MaxAttempts = 5;
        options.CircuitBreaker.MinimumThroughput = 5;

        var error = Assert.Throws<ArgumentException>(() => new ReliableConsumer<string, string>(options, (_, _) => Task.CompletedTask, new NoSink()));

        Assert.Contains("ReliableConsumerOptions.CircuitBreaker.MinimumThroughput", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReliableConsumerOptions.Retry.MaxAttempts", error.Message, StringComparison.Ordinal);

        options.CircuitBreaker.MinimumThroughput = 6;
        Assert.Empty(options.Validate());
        options.CircuitBreaker.MinimumThroughput = 2;
        options.CircuitBreaker.Enabled = false;
        Assert.Empty(options.Validate());
    }

    [Fact]
    public async Task A_cancellation_callback_that_throws_when_its_partition_is_revoked_is_logged()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("revoked-callback", 2);
        var group = "revoked-callback-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, 20).Select(i => ConsumerTestKit.Message($"k{i}", $"v{i}", i.ToString())));
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstCall = 0;
        var first = kit.Consumer<string, string>(
            kit.Options(topic, group),
            async (_, cancellationToken) =>
            {
                if (Interlocked.Exchange(ref firstCall, 1) == 0)
                {
                    // A handler whose cleanup on cancellation is broken; it waits until its partition is taken away.
                    cancellationToken.Register(() => throw new InvalidOperationException("the handler's cancellation callback broke"));
                    blocked.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
            },
            kit.DeadLetterPublisher(group));
        first.Start();
        await blocked.Task.WaitAsync(ConsumerTestKit.Patience);

        var second = kit.Consumer<string, string>(kit.Options(topic, group), (_, _) => Task.CompletedTask, kit.DeadLetterPublisher(group));
        second.Start();
        // Two threads log: the poll thread the revocation (once its callback is done), the thread pool the
        // callback's failure (as soon as the cancellation ran); either may come first.
        await ConsumerTestKit.WaitUntil(
            () => kit.Logs.Count(1102) >= 1 && kit.Logs.Entries.Any(e => e.Exception is InvalidOperationException { Message: "the handler's cancellation callback broke" }
                || e.Exception is AggregateException aggregate && aggregate.Flatten().InnerExceptions.Any(inner => inner.Message == "the handler's cancellation callback broke")),
            "the callback's exception is logged when the rebalance revokes its partition",
            () => $"revocations logged: {kit.Logs.Count(1102)}");

        var logged = kit.Logs.Entries.First(e => e.Exception is not null && e.Exception.ToString().Contains("the handler's cancellation callback broke", StringComparison.Ordinal));
        Assert.Equal(1123, logged.EventId);
        Assert.False(first.Completion.IsCompleted, "a throwing callback must not stop the consumer");
        await Task.WhenAll(first.StopAsync(), second.StopAsync());
    }

    private sealed class NoSink : IDeadLetterSink
    {
        public Task PublishAsync<TKey, TValue>(ConsumeResult<TKey, TValue> result, Exception exception, FailureCategory category = FailureCategory.Permanent, int attempts = 1, CancellationToken cancellationToken = default) =>
            Task.FromException(new InvalidOperationException("not used"));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using KafkaAnalyzers.Reliability.DeadLetters;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

public sealed class TransientFailureTests(ITestOutputHelper output)
{
    private const int MessageCount = 300;
    private const int Partitions = 3;
    private const int MaxAttempts = 4;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(40);

    [Fact]
    public async Task Transient_failures_are_retried_with_backoff_and_those_beyond_the_attempt_limit_are_dead_lettered_as_transient()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("payments", Partitions);
        var group = "transient-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, MessageCount).Select(i => ConsumerTestKit.Message($"k{i % 11}", $"payment {i}", i.ToString())));

        // Every 10th message fails twice then succeeds; every 50th (offset by 5) never succeeds.
        static bool Flaky(int id) => id % 10 == 0;
        static bool Broken(int id) => id % 50 == 5;
        var attempts = new ConcurrentDictionary<int, ConcurrentQueue<long>>();
        var succeeded = new ConcurrentDictionary<int, byte>();
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, options =>
            {
                options.Retry.MaxAttempts = MaxAttempts;
                options.Retry.Delay = RetryDelay;
                options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                options.CircuitBreaker.Enabled = false;
                options.MaxConcurrency = 4;
            }),
            (result, _) =>
            {
                var id = int.Parse(ConsumerTestKit.IdOf(result.Message.Headers));
                var calls = attempts.GetOrAdd(id, _ => new ConcurrentQueue<long>());
                calls.Enqueue(Stopwatch.GetTimestamp());
                if (Broken(id) || (Flaky(id) && calls.Count <= 2))
                {
                    throw new TimeoutException($"dependency timed out for {id}");
                }

                succeeded.TryAdd(id, 0);
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        var ends = kit.EndOffsets(topic, Partitions);
        await ConsumerTestKit.WaitUntil(
            () => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]),
            "the committed offsets reach the end",
            () => $"{succeeded.Count} succeeded");
        await consumer.StopAsync();
        await consumer.Completion;

        var broken = Enumerable.Range(0, MessageCount).Where(Broken).ToHashSet();
        var flaky = Enumerable.Range(0, MessageCount).Where(Flaky).ToList();
        Assert.Equal(Enumerable.Range(0, MessageCount).Where(id => !Broken(id)).ToHashSet(), succeeded.Keys.ToHashSet());
        foreach (var id in flaky)
        {
            var calls = attempts[id].ToArray();
            Assert.Equal(3, calls.Length);

            // Exponential backoff with jitter: the two retry delays add up to more than the base delay.
            Assert.True(Stopwatch.GetElapsedTime(calls[0], calls[2]) >= RetryDelay, $"message {id} was retried without backing off");
        }

        Assert.All(broken, id => Assert.Equal(MaxAttempts, attempts[id].Count));
        var deadLetters = kit.ReadAll(topic + ".dlq", Partitions);
        Assert.Equal(broken, deadLetters.Select(d => int.Parse(ConsumerTestKit.IdOf(d.Message.Headers))).ToHashSet());
        Assert.Equal(broken.Count, deadLetters.Count);
        Assert.All(deadLetters, deadLetter =>
        {
            var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
            Assert.Equal(FailureCategory.Transient, metadata.Category);
            Assert.Equal(MaxAttempts, metadata.Attempts);
            Assert.Equal(typeof(TimeoutException).FullName, metadata.ExceptionType);
        });
        output.WriteLine($"messages {MessageCount}, flaky {flaky.Count} (3 attempts each), dead-lettered {deadLetters.Count} after {MaxAttempts} attempts");
    }
}

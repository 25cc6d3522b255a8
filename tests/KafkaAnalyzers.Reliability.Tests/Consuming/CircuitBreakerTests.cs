using System.Collections.Concurrent;
using System.Net;
using KafkaAnalyzers.Reliability.Consuming;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

public sealed class CircuitBreakerTests(ITestOutputHelper output)
{
    private const int MessageCount = 400;
    private const int Partitions = 2;
    private const int MinimumThroughput = 5;
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Dependency_down_opens_the_breaker_pauses_partitions_bounds_handler_calls_and_processing_resumes_on_recovery()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("shipments", Partitions);
        var group = "breaker-" + Guid.NewGuid().ToString("N");
        using var meters = new ConsumerMeterRecorder(group);
        kit.Produce(topic, Enumerable.Range(0, MessageCount).Select(i => ConsumerTestKit.Message($"k{i % 13}", $"shipment {i}", i.ToString())));

        var dependencyDown = true;
        var calls = 0;
        var processed = new ConcurrentDictionary<int, byte>();
        var options = kit.Options(topic, group, options =>
        {
            options.Retry.MaxAttempts = 3;
            options.Retry.Delay = TimeSpan.FromMilliseconds(20);
            options.CircuitBreaker.MinimumThroughput = MinimumThroughput;
            options.CircuitBreaker.FailureRatio = 0.5;
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(2);
            options.CircuitBreaker.BreakDuration = BreakDuration;

            // A stalled poll loop would be evicted from the group within the outage.
            options.Consumer.MaxPollIntervalMs = options.Consumer.SessionTimeoutMs;
        });
        var consumer = kit.Consumer<string, string>(
            options,
            (result, _) =>
            {
                Interlocked.Increment(ref calls);
                if (Volatile.Read(ref dependencyDown))
                {
                    throw new HttpRequestException("inventory service unavailable", null, HttpStatusCode.ServiceUnavailable);
                }

                processed.TryAdd(int.Parse(ConsumerTestKit.IdOf(result.Message.Headers)), 0);
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        await ConsumerTestKit.WaitUntil(
            () => kit.Logs.Entries.Any(e => e.EventId == 1109 && e.Message.Contains("circuit breaker", StringComparison.Ordinal)),
            "the breaker opens and the partitions pause",
            () => $"{calls} handler calls");

        var callsBefore = Volatile.Read(ref calls);
        await Task.Delay(Window);
        var callsInWindow = Volatile.Read(ref calls) - callsBefore;

        // About one probe per break duration; without the breaker it would be dozens per second.
        Assert.True(callsInWindow <= 3 * (Window / BreakDuration), $"{callsInWindow} handler calls in {Window.TotalSeconds} s while the breaker was open");
        Assert.True(kit.Logs.Count(1107) >= 2, "the failed probes reopen the breaker");
        Assert.False(consumer.Completion.IsCompleted);

        Volatile.Write(ref dependencyDown, false);
        var ends = kit.EndOffsets(topic, Partitions);
        await ConsumerTestKit.WaitUntil(
            () => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]),
            "processing resumes and commits the end",
            () => $"{processed.Count} processed");
        await consumer.StopAsync();
        await consumer.Completion;

        var deadLettered = kit.ReadAll(topic + ".dlq", Partitions).Select(d => int.Parse(ConsumerTestKit.IdOf(d.Message.Headers))).ToHashSet();
        Assert.True(deadLettered.Count <= MinimumThroughput, $"{deadLettered.Count} messages dead-lettered; messages should wait for the breaker instead");
        Assert.Equal(Enumerable.Range(0, MessageCount).ToHashSet(), processed.Keys.Union(deadLettered).ToHashSet());
        Assert.Contains(kit.Logs.Entries, e => e.EventId == 1108 && e.Message.EndsWith("closed", StringComparison.Ordinal));
        Assert.Equal(0, kit.Logs.Count(1103));
        Assert.True(meters.Sum(ConsumerInstruments.BreakerTransitions, ConsumerInstruments.BreakerStateTag, "open") >= 2);
        Assert.True(meters.Sum(ConsumerInstruments.BreakerTransitions, ConsumerInstruments.BreakerStateTag, "half_open") >= 1);
        Assert.Equal(1, meters.Sum(ConsumerInstruments.BreakerTransitions, ConsumerInstruments.BreakerStateTag, "closed"));
        Assert.Equal(Partitions, meters.Peak(ConsumerInstruments.PartitionsPaused));
        Assert.Equal(0, meters.Sum(ConsumerInstruments.PartitionsPaused));
        Assert.DoesNotContain(kit.Logs.Entries, e => e.Message.Contains("Local_MaxPollExceeded", StringComparison.Ordinal));
        output.WriteLine($"messages {MessageCount}, handler calls in a {Window.TotalSeconds} s outage window {callsInWindow}, " +
            $"breaker openings {kit.Logs.Count(1107)}, dead-lettered {deadLettered.Count}, processed {processed.Count}, total handler calls {calls}");
    }
}

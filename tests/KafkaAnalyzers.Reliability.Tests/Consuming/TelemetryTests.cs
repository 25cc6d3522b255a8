using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.Diagnostics;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

public sealed class TelemetryTests(ITestOutputHelper output)
{
    private const int MessageCount = 300;
    private const int Partitions = 2;

    [Fact]
    public async Task Metrics_count_processed_retried_dead_lettered_in_flight_and_paused_partitions()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("metered", Partitions);
        var group = "metrics-" + Guid.NewGuid().ToString("N");
        using var meters = new ConsumerMeterRecorder(group);
        kit.Produce(topic, Enumerable.Range(0, MessageCount).Select(i => ConsumerTestKit.Message($"k{i % 7}", i % 100 == 3 ? "reject" : $"v{i}", i.ToString())));
        var failedOnce = new ConcurrentDictionary<int, byte>();
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, options =>
            {
                options.MaxConcurrency = 2;
                options.MaxInFlight = 20;
                // Pause as soon as the window is full, so the paused-partitions gauge moves.
                options.BackpressurePauseAfter = TimeSpan.Zero;
                options.CircuitBreaker.Enabled = false;
            }),
            (result, _) =>
            {
                var id = int.Parse(ConsumerTestKit.IdOf(result.Message.Headers));
                if (result.Message.Value == "reject")
                {
                    throw new FormatException("rejected");
                }

                if (id % 50 == 0 && failedOnce.TryAdd(id, 0))
                {
                    throw new TimeoutException("slow dependency");
                }

                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));

        consumer.Start();
        var ends = kit.EndOffsets(topic, Partitions);
        await ConsumerTestKit.WaitUntil(() => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]), "the end is committed");
        await consumer.StopAsync();
        await consumer.Completion;

        var rejected = Enumerable.Range(0, MessageCount).Count(i => i % 100 == 3);
        Assert.Equal(MessageCount - rejected, meters.Sum(ConsumerInstruments.MessagesProcessed));
        Assert.Equal(rejected, meters.Sum(ConsumerInstruments.MessagesDeadLettered, ReliabilityInstruments.FailureCategoryTag, "Permanent"));
        Assert.Equal(failedOnce.Count, meters.Sum(ConsumerInstruments.MessagesRetried, ReliabilityInstruments.ErrorTypeTag, typeof(TimeoutException).FullName));
        Assert.Equal(MessageCount, meters.Count(ConsumerInstruments.ProcessingDuration));
        Assert.Equal(MessageCount, meters.Sum(ConsumerInstruments.MessagesProcessed, ReliabilityInstruments.TopicTag, topic) + rejected);
        Assert.Equal(0, meters.Sum(ConsumerInstruments.MessagesInFlight));
        Assert.InRange(meters.Peak(ConsumerInstruments.MessagesInFlight), 2, 21);
        Assert.Equal(Partitions, meters.Peak(ConsumerInstruments.PartitionsPaused));
        Assert.Equal(0, meters.Sum(ConsumerInstruments.PartitionsPaused));
        output.WriteLine($"processed {meters.Sum(ConsumerInstruments.MessagesProcessed)}, dead-lettered {rejected}, retried {failedOnce.Count}, " +
            $"peak in flight {meters.Peak(ConsumerInstruments.MessagesInFlight)}");
    }

    [Fact]
    public async Task The_process_span_continues_the_trace_of_the_traceparent_header()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("traced", 1);
        var group = "tracing-" + Guid.NewGuid().ToString("N");
        var producerSpan = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var traced = ConsumerTestKit.Message("k", "with trace", "1");
        traced.Headers.Add(TraceContextPropagation.TraceParentHeader, Encoding.UTF8.GetBytes($"00-{producerSpan.TraceId}-{producerSpan.SpanId}-01"));
        kit.Produce(topic, [traced, ConsumerTestKit.Message("k", "without trace", "2")]);

        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ReliabilityTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("messaging.consumer.group.name"), group))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var seenInHandler = new ConcurrentDictionary<string, ActivityTraceId>();
        var consumer = kit.Consumer<string, string>(kit.Options(topic, group), (result, _) =>
        {
            seenInHandler[result.Message.Value] = Activity.Current!.TraceId;
            return Task.CompletedTask;
        }, kit.DeadLetterPublisher(group));

        consumer.Start();
        await ConsumerTestKit.WaitUntil(() => spans.Count == 2, "both messages have a process span");
        await consumer.StopAsync();

        var child = spans.Single(s => s.TraceId == producerSpan.TraceId);
        Assert.Equal(producerSpan.SpanId, child.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, child.Kind);
        Assert.Equal("process " + topic, child.DisplayName);
        Assert.Equal(topic, child.GetTagItem("messaging.destination.name"));
        Assert.Equal(producerSpan.TraceId, seenInHandler["with trace"]);
        Assert.NotEqual(producerSpan.TraceId, seenInHandler["without trace"]);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Diagnostics;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using KafkaAnalyzers.Reliability.Tests.Support;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.Tests.Producing;

/// <summary>
/// Issue 14: the three ways a message escaped the producer's accounting, each reproduced as it was found
/// (a cancelled wait for queue room, a re-produce from the failure handler with a full queue, a throwing
/// telemetry listener).
/// </summary>
public sealed class DeliveryAccountingRegressionTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task ProduceAsync_cancelled_while_waiting_for_queue_room_says_the_message_was_not_queued()
    {
        var topic = cluster.CreateUniqueTopic("not-queued");
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.QueueBufferingMaxMessages = 1;
        config.ReconnectBackoffMaxMs = 500;
        var recorder = new FailureRecorder<Null, int>();
        var producer = new DeliveryTrackingProducer<Null, int>(config, recorder.Options());
        cluster.SetBrokerDown(-1);
        var first = producer.ProduceAsync(topic, new Message<Null, int> { Value = 1 });

        using var stopWaiting = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => producer.ProduceAsync(topic, new Message<Null, int> { Value = 2 }, stopWaiting.Token));

        var notQueued = Assert.IsType<ProduceCanceledException>(cancelled);
        Assert.False(notQueued.MessageQueued);
        Assert.Equal(stopWaiting.Token, notQueued.CancellationToken);
        Assert.Equal(topic, notQueued.TopicPartition.Topic);
        Assert.Equal(1, producer.Produced);

        cluster.SetBrokerUp(-1);
        await first.WaitAsync(Generous);
        await producer.FlushAsync(Generous);
        Assert.Equal(1, producer.Delivered);
        Assert.Equal(0, producer.Failed);
        Assert.Empty(recorder.Failures);
        Assert.Empty(producer.UnhandledFailures);
        await producer.DisposeAsync();
        Assert.Equal([1], TopicReader.ReadToEnd(cluster.BootstrapServers, topic, 1).Select(Int32Value));
    }

    [Fact]
    public async Task ProduceAsync_cancelled_after_queueing_says_the_message_was_queued_and_its_failure_reaches_the_handler()
    {
        var topic = cluster.CreateUniqueTopic("queued-cancelled");
        var recorder = new FailureRecorder<Null, int>();
        var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options(disposeFlushTimeout: TimeSpan.FromMilliseconds(300)));
        cluster.SetBrokerDown(-1);

        using var stopWaiting = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => producer.ProduceAsync(topic, new Message<Null, int> { Value = 7 }, stopWaiting.Token));

        var queued = Assert.IsType<ProduceCanceledException>(cancelled);
        Assert.True(queued.MessageQueued);
        Assert.Equal(stopWaiting.Token, queued.CancellationToken);
        Assert.Equal(1, producer.Produced);
        var report = await Assert.ThrowsAsync<UndeliveredMessagesException>(async () => await producer.DisposeAsync());
        Assert.Equal(1, report.UnconfirmedAtDisposal);
        var failure = Assert.Single(recorder.Failures);
        Assert.Equal(7, failure.Message.Value);
        Assert.True(failure.UnconfirmedAtDisposal);
    }

    [Fact]
    public async Task ProduceAsync_with_a_token_already_cancelled_says_the_message_was_not_queued()
    {
        var topic = cluster.CreateUniqueTopic("pre-cancelled");
        await using var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), new FailureRecorder<Null, int>().Options());

        var cancelled = await Assert.ThrowsAsync<ProduceCanceledException>(() => producer.ProduceAsync(topic, new Message<Null, int> { Value = 1 }, new CancellationToken(canceled: true)));

        Assert.False(cancelled.MessageQueued);
        Assert.Equal(0, producer.Produced);
    }

    /// <summary>
    /// Found by the randomized test's long mode: when the token fired just as the failure arrived, the wait was
    /// cancelled although the outcome was already known, and the plain <see cref="OperationCanceledException"/>
    /// that escaped told the caller "queued, the handler gets it" while the failure stayed in the abandoned task.
    /// Here a metric listener cancels the token right after the failure is handed over (telemetry runs after).
    /// </summary>
    [Fact]
    public async Task ProduceAsync_whose_token_fires_as_the_failure_arrives_still_gives_the_caller_the_failure()
    {
        const int calls = 8;

        // One topic per call: the listener runs after the outcome is handed over, so it must cancel the token of
        // the call whose failure it sees, never the next call's.
        var topics = Enumerable.Range(0, calls).Select(_ => cluster.CreateUniqueTopic("cancel-race")).ToList();
        var tokens = new ConcurrentDictionary<string, CancellationTokenSource>();
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.MessageSendMaxRetries = 1;
        config.RetryBackoffMs = 10;
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == ReliabilityInstruments.ProducerMessagesFailed)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ReliabilityInstruments.TopicTag && tag.Value is string topic && tokens.TryGetValue(topic, out var stopWaiting))
                {
                    stopWaiting.Cancel();
                }
            }
        });
        metrics.Start();
        var recorder = new FailureRecorder<Null, int>();
        var producer = new DeliveryTrackingProducer<Null, int>(config, recorder.Options());

        var outcomes = new List<Exception?>();
        for (var i = 0; i < calls; i++)
        {
            await producer.ProduceAsync(topics[i], new Message<Null, int> { Value = -1 }).WaitAsync(Generous);
            cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
            using var stopWaiting = tokens.GetOrAdd(topics[i], _ => new CancellationTokenSource());
            outcomes.Add(await Record.ExceptionAsync(() => producer.ProduceAsync(topics[i], new Message<Null, int> { Value = i }, stopWaiting.Token)).WaitAsync(Generous));
        }

        await producer.FlushAsync(Generous);
        Assert.All(outcomes, outcome => Assert.IsType<DeliveryFailedException<Null, int>>(outcome));
        Assert.Equal(calls, producer.Failed);
        Assert.Empty(recorder.Failures);
        await producer.DisposeAsync();
    }

    /// <summary>
    /// The failure handler runs on the thread that serves delivery reports, and librdkafka counts a message
    /// against queue.buffering.max.messages until its report has been served: with the queue at its limit, a
    /// produce from the handler waited for room only that blocked thread could free.
    /// </summary>
    [Fact]
    public async Task Producing_again_from_the_failure_handler_with_a_full_queue_does_not_stall_the_report_thread()
    {
        var topic = cluster.CreateUniqueTopic("reproduce");
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.QueueBufferingMaxMessages = 5;
        config.MessageTimeoutMs = 10_000;
        config.RequestTimeoutMs = 5_000;
        config.ReconnectBackoffMaxMs = 500;
        var failures = new ConcurrentQueue<DeliveryFailure<Null, int>>();
        var handlerTimes = new ConcurrentQueue<TimeSpan>();
        var firstFailure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DeliveryTrackingProducer<Null, int>? producer = null;
        var options = new DeliveryTrackingOptions<Null, int>
        {
            QueueFullTimeout = TimeSpan.FromSeconds(5),
            OnDeliveryFailed = failure =>
            {
                var started = Stopwatch.GetTimestamp();
                failures.Enqueue(failure);
                firstFailure.TrySetResult();
                try
                {
                    if (failure.Message.Value < 100)
                    {
                        producer!.Produce(topic, new Message<Null, int> { Value = failure.Message.Value + 100 });
                    }
                }
                finally
                {
                    handlerTimes.Enqueue(Stopwatch.GetElapsedTime(started));
                }
            },
        };
        producer = new DeliveryTrackingProducer<Null, int>(config, options);
        cluster.SetBrokerDown(-1);
        for (var i = 0; i < 5; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        // The brokers return as soon as the first failure arrives, so the re-sent messages can be delivered.
        await firstFailure.Task.WaitAsync(Generous);
        cluster.SetBrokerUp(-1);
        await WaitUntil(() => handlerTimes.Count == 5);
        await producer.FlushAsync(Generous);

        Assert.All(handlerTimes, elapsed => Assert.True(elapsed < TimeSpan.FromSeconds(2.5), $"a failure handler call took {elapsed.TotalSeconds:F1} s"));
        Assert.Empty(producer.UnhandledFailures);
        Assert.Equal(10, producer.Produced);
        Assert.Equal(5, producer.Failed);
        Assert.Equal(5, producer.Delivered);
        await producer.DisposeAsync();

        Assert.Equal(Enumerable.Range(0, 5), failures.Select(failure => failure.Message.Value).Order());
        Assert.All(failures, failure => Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code));
        Assert.Equal(Enumerable.Range(100, 5), TopicReader.ReadToEnd(cluster.BootstrapServers, topic, 1).Select(Int32Value).Order());
    }

    /// <summary>
    /// A message librdkafka refuses at once (here: a cached authorization error) failed inside the produce call,
    /// so a handler that re-produced it was called again from within itself: each re-produce nested one more
    /// level, and a handler that kept retrying overflowed the stack and crashed the process.
    /// </summary>
    [Fact]
    public async Task A_handler_that_keeps_re_producing_a_message_refused_at_once_loops_without_nesting()
    {
        const int retries = 300;
        var topic = cluster.CreateUniqueTopic("refused-loop");
        cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed);
        var depths = new ConcurrentQueue<int>();
        DeliveryTrackingProducer<Null, int>? producer = null;
        var options = new DeliveryTrackingOptions<Null, int>
        {
            OnDeliveryFailed = failure =>
            {
                depths.Enqueue(new StackTrace().FrameCount);
                if (failure.Message.Value < retries)
                {
                    producer!.Produce(topic, new Message<Null, int> { Value = failure.Message.Value + 1 });
                }
            },
        };
        producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), options);

        producer.Produce(topic, new Message<Null, int> { Value = 1 });
        await WaitUntil(() => depths.Count == retries);
        await producer.FlushAsync(Generous);

        Assert.Equal(retries, producer.Produced);
        Assert.Equal(retries, producer.Failed);
        Assert.Empty(producer.UnhandledFailures);
        Assert.True(depths.Max() - depths.Min() < 40, $"the handler ran {depths.Max() - depths.Min()} frames deeper on its last call than on its first: each re-produce nested the next");
        await producer.DisposeAsync();
    }

    public static TheoryData<string> ThrowingListeners => new() { "activity start", "activity stop", "metric" };

    /// <summary>
    /// Metrics and the producer span's stop ran before the outcome was handed over, inside a catch that
    /// logged to a logger that defaults to NullLogger: a listener that throws swallowed the outcome.
    /// </summary>
    [Theory]
    [MemberData(nameof(ThrowingListeners))]
    public async Task A_throwing_telemetry_listener_never_swallows_or_changes_a_delivery_outcome(string where)
    {
        var allowed = cluster.CreateUniqueTopic("listener-ok");
        var denied = cluster.CreateUniqueTopic("listener-denied");
        cluster.SetTopicError(denied, ErrorCode.TopicAuthorizationFailed);
        bool Ours(string? topic) => topic == allowed || topic == denied;
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ReliabilityTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (where == "activity start" && Ours(activity.OperationName["send ".Length..]))
                {
                    throw new InvalidOperationException("listener broke on start");
                }
            },
            ActivityStopped = activity =>
            {
                if (where == "activity stop" && Ours(activity.OperationName["send ".Length..]))
                {
                    throw new InvalidOperationException("listener broke on stop");
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ReliabilityTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<long>((_, _, tags, _) => ThrowForOurTopic(tags));
        metrics.SetMeasurementEventCallback<double>((_, _, tags, _) => ThrowForOurTopic(tags));
        metrics.Start();

        var logs = new RecordingLoggerProvider(output: null);
        var recorder = new FailureRecorder<Null, int>();
        var options = recorder.Options();
        options.Logger = logs.Factory.CreateLogger("producer");
        var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), options);

        producer.Produce(denied, new Message<Null, int> { Value = 1 });
        await recorder.WaitForAsync(1, TimeSpan.FromSeconds(30));
        var result = await producer.ProduceAsync(allowed, new Message<Null, int> { Value = 2 }).WaitAsync(TimeSpan.FromSeconds(30));
        await producer.DisposeAsync();

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        var failure = Assert.Single(recorder.Failures);
        Assert.Equal(1, failure.Message.Value);
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error.Code);
        Assert.Empty(producer.UnhandledFailures);
        Assert.Equal(2, producer.Produced);
        Assert.Equal(1, producer.Delivered);
        Assert.Equal(1, producer.Failed);
        Assert.Contains(logs.Entries, entry => entry.Exception is InvalidOperationException { Message: var message } && message.StartsWith("listener broke", StringComparison.Ordinal));

        void ThrowForOurTopic(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (where != "metric")
            {
                return;
            }

            foreach (var tag in tags)
            {
                if (tag.Key == ReliabilityInstruments.TopicTag && Ours(tag.Value as string))
                {
                    throw new InvalidOperationException("listener broke on a measurement");
                }
            }
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met in time");
            await Task.Delay(20);
        }
    }

    private static int Int32Value(ConsumeResult<byte[], byte[]> result) =>
        Deserializers.Int32.Deserialize(result.Message.Value, false, SerializationContext.Empty);
}

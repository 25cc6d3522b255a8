using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.Producing;

public sealed class DeliveryTrackingProducerTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Every_message_is_delivered_and_counted()
    {
        var topic = cluster.CreateUniqueTopic("ok", partitions: 3);
        var recorder = new FailureRecorder<string, int>();
        await using (var producer = new DeliveryTrackingProducer<string, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options()))
        {
            for (var i = 0; i < 1000; i++)
            {
                producer.Produce(topic, new Message<string, int> { Key = "k" + (i % 10), Value = i });
            }

            await producer.FlushAsync(Generous);
            Assert.Equal(1000, producer.Produced);
            Assert.Equal(1000, producer.Delivered);
            Assert.Equal(0, producer.Failed);
            Assert.Equal(0, producer.Pending);
        }

        Assert.Empty(recorder.Failures);
        Assert.Equal(1000, TopicReader.ReadToEnd(cluster.BootstrapServers, topic, 3).Count);
    }

    [Fact]
    public async Task Authorization_failures_reach_the_handler_and_delivered_plus_failed_equals_produced()
    {
        var allowed = cluster.CreateUniqueTopic("allowed", partitions: 2);
        var denied = cluster.CreateUniqueTopic("denied", partitions: 2);
        cluster.SetTopicError(denied, ErrorCode.TopicAuthorizationFailed);
        var recorder = new FailureRecorder<Null, int>();
        await using (var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options()))
        {
            for (var i = 0; i < 400; i++)
            {
                producer.Produce(i % 4 == 0 ? denied : allowed, new Message<Null, int> { Value = i });
            }

            await producer.FlushAsync(Generous);
            Assert.Equal(400, producer.Produced);
            Assert.Equal(producer.Produced, producer.Delivered + producer.Failed);
            Assert.Equal(100, producer.Failed);
        }

        Assert.Equal(100, recorder.Failures.Count);
        Assert.All(recorder.Failures, failure =>
        {
            Assert.Equal(denied, failure.Topic);
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error.Code);
            Assert.Equal(FailureCategory.Permanent, failure.Category);
            Assert.Equal(PersistenceStatus.NotPersisted, failure.Status);
            Assert.False(failure.ProducerIsFatal);
        });
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 4), recorder.Failures.Select(failure => failure.Message.Value).Order());
        var delivered = TopicReader.ReadToEnd(cluster.BootstrapServers, allowed, 2).Select(result => Deserializers.Int32.Deserialize(result.Message.Value, false, SerializationContext.Empty)).Order();
        Assert.Equal(Enumerable.Range(0, 400).Where(i => i % 4 != 0), delivered);
    }

    [Fact]
    public async Task Messages_refused_at_once_for_a_cached_authorization_error_reach_the_handler_not_the_caller()
    {
        var topic = cluster.CreateUniqueTopic("refused");
        cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed);
        var recorder = new FailureRecorder<Null, int>();
        await using (var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options()))
        {
            // The first failure makes librdkafka cache the topic's authorization error; from then on
            // it refuses produce calls for that topic synchronously.
            producer.Produce(topic, new Message<Null, int> { Value = 0 });
            await producer.FlushAsync(Generous);

            for (var i = 1; i < 50; i++)
            {
                producer.Produce(topic, new Message<Null, int> { Value = i });
            }

            var awaited = await Assert.ThrowsAsync<DeliveryFailedException<Null, int>>(() => producer.ProduceAsync(topic, new Message<Null, int> { Value = 50 }));
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, awaited.Failure.Error.Code);
            await producer.FlushAsync(Generous);

            Assert.Equal(51, producer.Produced);
            Assert.Equal(51, producer.Failed);
            Assert.Equal(0, producer.Delivered);
        }

        Assert.Equal(Enumerable.Range(0, 50), recorder.Failures.Select(failure => failure.Message.Value).Order());
        Assert.All(recorder.Failures, failure => Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error.Code));
    }

    [Fact]
    public async Task Failure_goes_to_the_sink_when_the_handler_throws()
    {
        var topic = cluster.CreateUniqueTopic("fallback");
        cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed);
        var sink = new CollectingSink<Null, int>();
        var options = new DeliveryTrackingOptions<Null, int> { OnDeliveryFailed = _ => throw new IOException("outbox down"), FallbackSink = sink };
        await using (var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), options))
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(topic, new Message<Null, int> { Value = i });
            }

            await producer.FlushAsync(Generous);
        }

        Assert.Equal(Enumerable.Range(0, 10), sink.Stored.Select(failure => failure.Message.Value));
    }

    [Fact]
    public async Task Sink_alone_receives_failures_in_order()
    {
        var topic = cluster.CreateUniqueTopic("sinkonly");
        cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed);
        var sink = new CollectingSink<Null, int>();
        await using (var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), new DeliveryTrackingOptions<Null, int> { FallbackSink = sink }))
        {
            for (var i = 0; i < 25; i++)
            {
                producer.Produce(topic, new Message<Null, int> { Value = i });
            }
        }

        Assert.Equal(Enumerable.Range(0, 25), sink.Stored.Select(failure => failure.Message.Value));
    }

    [Fact]
    public async Task Failures_no_handler_accepts_are_kept_and_reported_at_disposal()
    {
        var topic = cluster.CreateUniqueTopic("unhandled");
        cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed);
        var sink = new CollectingSink<Null, int> { Fail = true };
        var options = new DeliveryTrackingOptions<Null, int> { OnDeliveryFailed = _ => throw new IOException("outbox down"), FallbackSink = sink };
        var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), options);
        for (var i = 0; i < 5; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        var report = await Assert.ThrowsAsync<UndeliveredMessagesException>(async () => await producer.DisposeAsync());

        Assert.Equal(5, report.UnhandledFailures);
        Assert.Equal(0, report.UnconfirmedAtDisposal);
        Assert.Equal(Enumerable.Range(0, 5), producer.UnhandledFailures.Select(failure => failure.Message.Value));
    }

    [Fact]
    public async Task Full_local_queue_makes_produce_wait_instead_of_failing()
    {
        var topic = cluster.CreateUniqueTopic("backpressure", partitions: 2);
        cluster.SetBrokerRoundTripTime(-1, TimeSpan.FromMilliseconds(30));
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.QueueBufferingMaxMessages = 20;
        var recorder = new FailureRecorder<Null, int>();
        await using (var producer = new DeliveryTrackingProducer<Null, int>(config, recorder.Options()))
        {
            for (var i = 0; i < 500; i++)
            {
                producer.Produce(topic, new Message<Null, int> { Value = i });
            }

            await producer.FlushAsync(Generous);
            Assert.Equal(500, producer.Delivered);
        }

        Assert.Empty(recorder.Failures);
        Assert.Equal(500, TopicReader.ReadToEnd(cluster.BootstrapServers, topic, 2).Count);
    }

    [Fact]
    public async Task Queue_still_full_after_the_timeout_throws_and_the_message_is_not_counted()
    {
        var topic = cluster.CreateUniqueTopic("stuck");
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.QueueBufferingMaxMessages = 5;
        var recorder = new FailureRecorder<Null, int>();
        var options = recorder.Options(disposeFlushTimeout: TimeSpan.FromMilliseconds(500));
        options.QueueFullTimeout = TimeSpan.FromMilliseconds(300);
        var producer = new DeliveryTrackingProducer<Null, int>(config, options);
        cluster.SetBrokerDown(-1);
        for (var i = 0; i < 5; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        var refusal = Assert.Throws<ProduceException<Null, int>>(() => producer.Produce(topic, new Message<Null, int> { Value = 5 }));
        var asyncRefusal = await Assert.ThrowsAsync<ProduceException<Null, int>>(() => producer.ProduceAsync(topic, new Message<Null, int> { Value = 6 }));

        Assert.Equal(ErrorCode.Local_QueueFull, refusal.Error.Code);
        Assert.Equal(ErrorCode.Local_QueueFull, asyncRefusal.Error.Code);
        Assert.Equal(5, producer.Produced);
        Assert.Equal(5, producer.Pending);
        var report = await Assert.ThrowsAsync<UndeliveredMessagesException>(async () => await producer.DisposeAsync());
        Assert.Equal(5, report.UnconfirmedAtDisposal);
    }

    [Fact]
    public async Task Flush_timeout_says_how_many_are_still_queued_and_they_are_delivered_later()
    {
        var topic = cluster.CreateUniqueTopic("flush");
        var recorder = new FailureRecorder<Null, int>();
        await using var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options());
        await producer.ProduceAsync(topic, new Message<Null, int> { Value = -1 }).WaitAsync(Generous);
        cluster.SetBrokerDown(-1);
        for (var i = 0; i < 40; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        var timeout = await Assert.ThrowsAsync<FlushTimeoutException>(() => producer.FlushAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(40, timeout.StillQueued);

        cluster.SetBrokerUp(-1);
        await producer.FlushAsync(Generous);
        Assert.Equal(41, producer.Delivered);
        Assert.Empty(recorder.Failures);
    }

    [Fact]
    public void Unsafe_configuration_is_refused_naming_the_alias_key()
    {
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.Set("retries", "0");

        var refusal = Assert.Throws<KafkaConfigurationException>(() => new DeliveryTrackingProducer<Null, int>(config, new FailureRecorder<Null, int>().Options()));

        Assert.Contains("retries (ProducerConfig.MessageSendMaxRetries) is 0", refusal.Message);
    }

    [Fact]
    public void A_failure_destination_is_required()
    {
        var refusal = Assert.Throws<ArgumentException>(() => new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), new DeliveryTrackingOptions<Null, int>()));

        Assert.Contains("OnDeliveryFailed", refusal.Message);
        Assert.Contains("FallbackSink", refusal.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Queue_full_timeout_below_its_range_is_refused(int milliseconds)
    {
        var options = new FailureRecorder<Null, int>().Options();
        options.QueueFullTimeout = TimeSpan.FromMilliseconds(milliseconds);

        var refusal = Assert.Throws<ArgumentOutOfRangeException>(() => new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), options));

        Assert.Contains("QueueFullTimeout", refusal.Message);
    }

    private sealed class CollectingSink<TKey, TValue> : IUndeliveredMessageSink<TKey, TValue>
    {
        private readonly List<DeliveryFailure<TKey, TValue>> stored = [];

        public bool Fail { get; init; }

        public IReadOnlyList<DeliveryFailure<TKey, TValue>> Stored
        {
            get
            {
                lock (stored)
                {
                    return [.. stored];
                }
            }
        }

        public async Task StoreAsync(DeliveryFailure<TKey, TValue> failure, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (Fail)
            {
                throw new IOException("sink down");
            }

            lock (stored)
            {
                stored.Add(failure);
            }
        }
    }
}

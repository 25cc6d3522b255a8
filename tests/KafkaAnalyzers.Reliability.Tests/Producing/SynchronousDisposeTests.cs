using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.Producing;

/// <summary><see cref="DeliveryTrackingProducer{TKey,TValue}.Dispose"/> accounts exactly as DisposeAsync does.</summary>
public sealed class SynchronousDisposeTests : IDisposable
{
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public void Dispose_flushes_and_returns_quietly_when_everything_was_delivered()
    {
        var topic = cluster.CreateUniqueTopic("sync-dispose-ok", partitions: 2);
        var recorder = new FailureRecorder<Null, int>();
        var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options());
        for (var i = 0; i < 200; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        producer.Dispose();
        producer.Dispose();

        Assert.Equal(200, producer.Delivered);
        Assert.Equal(0, producer.Pending);
        Assert.Empty(recorder.Failures);
        Assert.Equal(200, TopicReader.ReadToEnd(cluster.BootstrapServers, topic, 2).Count);
        Assert.Throws<ObjectDisposedException>(() => producer.Produce(topic, new Message<Null, int> { Value = -1 }));
    }

    [Fact]
    public void Dispose_hands_every_unconfirmed_message_to_the_handler_and_throws_the_exact_count()
    {
        var topic = cluster.CreateUniqueTopic("sync-dispose-down");
        var recorder = new FailureRecorder<Null, int>();
        var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options(disposeFlushTimeout: TimeSpan.FromMilliseconds(500)));
        cluster.SetBrokerDown(-1);
        for (var i = 0; i < 5; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        var report = Assert.Throws<UndeliveredMessagesException>(producer.Dispose);

        Assert.Equal(5, report.UnconfirmedAtDisposal);
        Assert.Equal(0, report.UnhandledFailures);
        Assert.Equal(5, recorder.Failures.Count);
        Assert.All(recorder.Failures, failure =>
        {
            Assert.True(failure.UnconfirmedAtDisposal);
            Assert.Equal(ErrorCode.Local_Destroy, failure.Error.Code);
            Assert.Equal(PersistenceStatus.PossiblyPersisted, failure.Status);
        });
        Assert.Equal([0, 1, 2, 3, 4], recorder.Failures.Select(failure => failure.Message.Value).Order());
        Assert.Equal(producer.Produced, producer.Delivered + producer.Failed);
        Assert.Equal(0, producer.Pending);
    }

    [Fact]
    public void Dispose_waits_for_the_fallback_sink_before_returning_and_fails_an_awaiting_caller_instead()
    {
        var topic = cluster.CreateUniqueTopic("sync-dispose-sink");
        var sink = new CollectingSink();
        var producer = new DeliveryTrackingProducer<Null, int>(
            KafkaPresets.CriticalProducer(cluster.BootstrapServers),
            new DeliveryTrackingOptions<Null, int> { FallbackSink = sink, DisposeFlushTimeout = TimeSpan.FromMilliseconds(500) });
        cluster.SetBrokerDown(-1);
        for (var i = 0; i < 3; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        var awaited = producer.ProduceAsync(topic, new Message<Null, int> { Value = 99 });

        var report = Assert.Throws<UndeliveredMessagesException>(producer.Dispose);

        Assert.Equal(4, report.UnconfirmedAtDisposal);
        Assert.Equal([0, 1, 2], sink.Stored.Select(failure => failure.Message.Value).Order());
        var failed = Assert.Throws<AggregateException>(() => awaited.Wait(TimeSpan.FromSeconds(30)));
        var delivery = Assert.IsType<DeliveryFailedException<Null, int>>(failed.InnerException);
        Assert.True(delivery.Failure.UnconfirmedAtDisposal);
    }

    private sealed class CollectingSink : IUndeliveredMessageSink<Null, int>
    {
        public ConcurrentQueue<DeliveryFailure<Null, int>> Stored { get; } = new();

        public async Task StoreAsync(DeliveryFailure<Null, int> failure, CancellationToken cancellationToken)
        {
            await Task.Delay(50, cancellationToken);
            Stored.Enqueue(failure);
        }
    }
}

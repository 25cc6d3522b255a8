using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.Producing;

/// <summary>The tracking producer under outages, timeouts and fatal errors.</summary>
public sealed class DeliveryTrackingFaultTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Disposal_while_the_cluster_is_unreachable_reports_the_exact_number_not_delivered()
    {
        var topic = cluster.CreateUniqueTopic("outage", partitions: 3);
        var recorder = new FailureRecorder<string, int>();
        var producer = new DeliveryTrackingProducer<string, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options(disposeFlushTimeout: TimeSpan.FromSeconds(2)));
        for (var i = 0; i < 300; i++)
        {
            producer.Produce(topic, new Message<string, int> { Key = "k" + (i % 7), Value = i });
        }

        await producer.FlushAsync(Generous);
        cluster.SetBrokerDown(-1);
        for (var i = 300; i < 537; i++)
        {
            producer.Produce(topic, new Message<string, int> { Key = "k" + (i % 7), Value = i });
        }

        var report = await Assert.ThrowsAsync<UndeliveredMessagesException>(async () => await producer.DisposeAsync());

        Assert.Equal(237, report.UnconfirmedAtDisposal);
        Assert.Equal(0, report.UnhandledFailures);
        Assert.Equal(300, producer.Delivered);
        Assert.Equal(237, producer.Failed);
        Assert.Equal(Enumerable.Range(300, 237), recorder.Failures.Select(failure => failure.Message.Value).Order());
        Assert.All(recorder.Failures, failure =>
        {
            Assert.True(failure.UnconfirmedAtDisposal);
            Assert.Equal(ErrorCode.Local_Destroy, failure.Error.Code);
            Assert.True(failure.MayHaveBeenPersisted);
            Assert.Equal(FailureCategory.Transient, failure.Category);
        });

        cluster.SetBrokerUp(-1);
        Assert.Equal(Enumerable.Range(0, 300), TopicReader.ReadToEnd(cluster.BootstrapServers, topic, 3).Select(Int32Value).Order());
    }

    [Fact]
    public async Task Delivery_timeout_during_an_outage_reaches_the_handler_as_transient_and_not_persisted()
    {
        var topic = cluster.CreateUniqueTopic("timeout");
        var recorder = new FailureRecorder<Null, int>();
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.MessageTimeoutMs = 10_000;
        config.RequestTimeoutMs = 5_000;
        await using var producer = new DeliveryTrackingProducer<Null, int>(config, recorder.Options());
        await producer.ProduceAsync(topic, new Message<Null, int> { Value = -1 }).WaitAsync(Generous);
        cluster.SetBrokerDown(-1);

        for (var i = 0; i < 50; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        using var stopWaiting = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => producer.ProduceAsync(topic, new Message<Null, int> { Value = 50 }, stopWaiting.Token));
        await recorder.WaitForAsync(51);

        Assert.Equal(Enumerable.Range(0, 51), recorder.Failures.Select(failure => failure.Message.Value).Order());
        Assert.All(recorder.Failures, failure =>
        {
            Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code);
            Assert.Equal(FailureCategory.Transient, failure.Category);
            Assert.Equal(PersistenceStatus.NotPersisted, failure.Status);
            Assert.False(failure.MayHaveBeenPersisted);
        });
        Assert.Equal(51, producer.Failed);
        Assert.Equal(1, producer.Delivered);
    }

    [Fact]
    public async Task Awaited_delivery_failure_faults_the_task_and_skips_the_handler()
    {
        var topic = cluster.CreateUniqueTopic("awaited");
        cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed);
        var recorder = new FailureRecorder<string, string>();
        await using var producer = new DeliveryTrackingProducer<string, string>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options());

        var failure = await Assert.ThrowsAsync<DeliveryFailedException<string, string>>(() => producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }).WaitAsync(Generous));

        Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error.Code);
        Assert.Equal(FailureCategory.Permanent, failure.Category);
        Assert.Equal("v", failure.Failure.Message.Value);
        Assert.Empty(recorder.Failures);
        Assert.Equal(1, producer.Failed);
    }

    [Fact]
    public async Task Awaited_delivery_returns_the_persisted_result()
    {
        var topic = cluster.CreateUniqueTopic("result");
        var recorder = new FailureRecorder<string, string>();
        await using var producer = new DeliveryTrackingProducer<string, string>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options());

        var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }).WaitAsync(Generous);

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(new TopicPartitionOffset(topic, 0, 0), result.TopicPartitionOffset);
        Assert.Equal(1, producer.Delivered);
    }

    [Fact]
    public async Task Fatal_idempotence_error_is_detected_and_later_produce_calls_are_refused()
    {
        var topic = cluster.CreateUniqueTopic("fatal");
        var recorder = new FailureRecorder<Null, int>();
        var options = recorder.Options();
        var fatalErrors = new List<Error>();
        options.OnFatalError = fatalErrors.Add;
        await using var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), options);
        await producer.ProduceAsync(topic, new Message<Null, int> { Value = -1 }).WaitAsync(Generous);
        cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.OutOfOrderSequenceNumber);

        for (var i = 0; i < 20; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        await recorder.WaitForAsync(20);
        Assert.NotNull(producer.FatalError);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, producer.FatalError.Code);
        Assert.Single(fatalErrors);
        Assert.All(recorder.Failures, failure => Assert.Equal(FailureCategory.Permanent, failure.Category));
        Assert.All(recorder.Failures, failure => Assert.True(failure.ProducerIsFatal, failure.Error.ToString()));
        var refusal = Assert.Throws<ProducerFatalException>(() => producer.Produce(topic, new Message<Null, int> { Value = 99 }));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, refusal.Error.Code);
        Assert.Equal(20, producer.Failed);
    }

    private static int Int32Value(ConsumeResult<byte[], byte[]> result) =>
        Deserializers.Int32.Deserialize(result.Message.Value, false, SerializationContext.Empty);
}

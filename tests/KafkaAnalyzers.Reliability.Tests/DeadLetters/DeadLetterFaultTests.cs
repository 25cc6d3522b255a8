using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.DeadLetters;

/// <summary>The publish task completes only when the dead letter is acknowledged (acks=all), and faults when it cannot be.</summary>
public sealed class DeadLetterFaultTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Publish_completes_only_after_the_cluster_is_back_and_not_enough_replicas_retries_succeed()
    {
        var (topic, original) = Setup("ner");
        await using var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers);
        cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicasAfterAppend);
        cluster.SetBrokerDown(-1);

        var publish = publisher.PublishAsync(original, new InvalidOperationException("boom"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(publish.IsCompleted, "the publish task completed while no broker could acknowledge the dead letter");

        cluster.SetBrokerUp(-1);
        await publish.WaitAsync(Generous);

        Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1));
        AssertInjectedErrorsWereUsedUp(topic);
    }

    [Fact]
    public async Task Permanent_produce_failure_faults_the_task_with_the_kafka_error()
    {
        var (topic, original) = Setup("denied");
        cluster.SetTopicError(topic + ".dlq", ErrorCode.TopicAuthorizationFailed);
        await using var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers);

        var failure = await Assert.ThrowsAsync<DeadLetterPublishException>(() => publisher.PublishAsync(original, new InvalidOperationException("boom")).WaitAsync(Generous));

        Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error?.Code);
        Assert.False(failure.MayHaveBeenWritten);
        Assert.Equal(topic + ".dlq", failure.DeadLetterTopic);
        Assert.Equal(original.TopicPartitionOffset, failure.Original);
        Assert.IsType<ProduceException<byte[], byte[]>>(failure.InnerException);
    }

    [Fact]
    public async Task Permanent_error_on_the_produce_request_faults_the_task()
    {
        var (_, original) = Setup("reqerr");
        await using var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers);
        cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.MsgSizeTooLarge);

        var failure = await Assert.ThrowsAsync<DeadLetterPublishException>(() => publisher.PublishAsync(original, new InvalidOperationException("boom")).WaitAsync(Generous));

        Assert.Equal(ErrorCode.MsgSizeTooLarge, failure.Error?.Code);
    }

    [Fact]
    public async Task Disposal_faults_a_publish_still_waiting_for_its_acknowledgement()
    {
        var (_, original) = Setup("dispose");
        var options = new KafkaDeadLetterPublisherOptions { DisposeTimeout = TimeSpan.FromSeconds(1) };
        var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers, options);
        cluster.SetBrokerDown(-1);
        var publish = publisher.PublishAsync(original, new InvalidOperationException("boom"));

        await publisher.DisposeAsync();

        var failure = await Assert.ThrowsAsync<DeadLetterPublishException>(() => publish.WaitAsync(Generous));
        Assert.True(failure.MayHaveBeenWritten);
        Assert.Contains("disposed before the dead letter", failure.Message);
    }

    [Fact]
    public async Task Cancelling_stops_the_wait_with_operation_canceled()
    {
        var (_, original) = Setup("cancel");
        await using var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers, new KafkaDeadLetterPublisherOptions { DisposeTimeout = TimeSpan.FromSeconds(1) });
        cluster.SetBrokerDown(-1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.PublishAsync(original, new InvalidOperationException("boom"), cancellationToken: cancel.Token).WaitAsync(Generous));
    }

    [Fact]
    public async Task Publishing_after_disposal_is_refused()
    {
        var (_, original) = Setup("after");
        var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers);
        await publisher.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => publisher.PublishAsync(original, new InvalidOperationException("boom")));
    }

    private (string Topic, ConsumeResult<byte[], byte[]> Original) Setup(string prefix)
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic(prefix);
        var original = new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 7),
            Message = new Message<byte[], byte[]> { Key = "k"u8.ToArray(), Value = "v"u8.ToArray(), Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime) },
        };
        return (topic, original);
    }

    /// <summary>A producer that never retries succeeds only if no injected produce error is left.</summary>
    private void AssertInjectedErrorsWereUsedUp(string topic)
    {
        using var probe = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            Acks = Acks.All,
            MessageSendMaxRetries = 0,
        }).Build();
        var result = probe.ProduceAsync(topic, new Message<Null, string> { Value = "probe" }).GetAwaiter().GetResult();
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }
}

using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

public sealed class RequestErrorTests : IDisposable
{
    private readonly InProcessKafkaCluster _cluster = InProcessKafkaCluster.Start(brokerCount: 3);

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Retriable_produce_errors_are_retried_without_the_application_seeing_them()
    {
        var topic = CreateTopic("not-enough-replicas");
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers);

        _cluster.PushRequestErrors(KafkaApi.Produce, Enumerable.Repeat(ErrorCode.NotEnoughReplicas, 5).ToArray());
        var result = await producer.ProduceAsync(topic, Message("retried"));

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        // All five errors were used up by retries: a producer that never retries now gets through.
        using var withoutRetries = ClusterClients.ProducerWithoutRetries(_cluster.BootstrapServers);
        Assert.Equal(PersistenceStatus.Persisted, (await withoutRetries.ProduceAsync(topic, Message("after"))).Status);
        Assert.Equal(["retried", "after"], ReadValues(topic));
    }

    [Fact]
    public async Task Each_request_takes_one_pushed_error_so_retries_run_out_after_as_many_errors()
    {
        var topic = CreateTopic("retry-limit");
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers, config =>
        {
            config.EnableIdempotence = false;
            config.MessageSendMaxRetries = 2;
        });

        _cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
        var failure = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync(topic, Message("three-attempts")));

        Assert.Equal(ErrorCode.NotEnoughReplicas, failure.Error.Code);
        Assert.Equal(PersistenceStatus.NotPersisted, failure.DeliveryResult.Status);
        Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync(topic, Message("stack-empty"))).Status);
    }

    [Fact]
    public async Task A_permanent_produce_error_reaches_the_delivery_report()
    {
        var topic = CreateTopic("unauthorized");
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers);
        await producer.ProduceAsync(topic, Message("warm-up"));

        _cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.TopicAuthorizationFailed);
        // Asynchronous continuations: the rest of this test (which disposes the producer) must not run on the
        // producer's poll thread that invokes the handler, or Dispose waits for itself.
        var report = new TaskCompletionSource<DeliveryReport<string, string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        producer.Produce(topic, Message("refused"), report.SetResult);
        var delivery = await report.Task.WaitAsync(ClusterClients.Patience);

        Assert.Equal(ErrorCode.TopicAuthorizationFailed, delivery.Error.Code);
        Assert.Equal(PersistenceStatus.NotPersisted, delivery.Status);
        Assert.Equal(["warm-up"], ReadValues(topic));
    }

    [Fact]
    public async Task Pushed_errors_form_one_stack_per_api_shared_by_all_brokers()
    {
        var onBroker1 = CreateTopic("stack-broker-1");
        var onBroker2 = CreateTopic("stack-broker-2");
        _cluster.SetPartitionLeader(onBroker1, 0, 1);
        _cluster.SetPartitionLeader(onBroker2, 0, 2);
        using var producer = ClusterClients.ProducerWithoutRetries(_cluster.BootstrapServers);
        await producer.ProduceAsync(onBroker1, Message("warm-up-1"));
        await producer.ProduceAsync(onBroker2, Message("warm-up-2"));

        _cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut);

        var first = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync(onBroker1, Message("first")));
        var second = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync(onBroker2, Message("second")));
        Assert.Equal(ErrorCode.NotEnoughReplicas, first.Error.Code);
        Assert.Equal(ErrorCode.RequestTimedOut, second.Error.Code);
        Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync(onBroker1, Message("third"))).Status);
    }

    [Fact]
    public async Task Errors_pushed_for_one_api_do_not_touch_another()
    {
        var topic = CreateTopic("other-api");
        using var producer = ClusterClients.ProducerWithoutRetries(_cluster.BootstrapServers);

        _cluster.PushRequestErrors(KafkaApi.OffsetCommit, ErrorCode.NotCoordinatorForGroup);

        Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync(topic, Message("produce-unaffected"))).Status);
    }

    [Fact]
    public async Task ClearRequestErrors_removes_errors_not_yet_consumed()
    {
        var topic = CreateTopic("cleared");
        using var producer = ClusterClients.ProducerWithoutRetries(_cluster.BootstrapServers);

        _cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
        _cluster.ClearRequestErrors(KafkaApi.Produce);

        Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync(topic, Message("no-error-left"))).Status);
    }

    [Fact]
    public async Task A_topic_error_is_reported_in_metadata_and_fails_the_producer_until_cleared()
    {
        var topic = CreateTopic("topic-error");
        using var admin = ClusterClients.Admin(_cluster.BootstrapServers);

        _cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed);
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, admin.GetMetadata(topic, ClusterClients.Patience).Topics.Single().Error.Code);
        using (var producer = ClusterClients.Producer(_cluster.BootstrapServers))
        {
            var failure = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync(topic, Message("refused")));
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error.Code);
        }

        _cluster.SetTopicError(topic, ErrorCode.NoError);
        Assert.Equal(ErrorCode.NoError, admin.GetMetadata(topic, ClusterClients.Patience).Topics.Single().Error.Code);
        using (var producer = ClusterClients.Producer(_cluster.BootstrapServers))
        {
            Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync(topic, Message("accepted"))).Status);
        }
    }

    [Fact]
    public async Task A_pushed_transport_error_drops_the_connection_instead_of_answering()
    {
        var topic = CreateTopic("transport");
        using var producer = ClusterClients.ProducerWithoutRetries(_cluster.BootstrapServers);
        await producer.ProduceAsync(topic, Message("before"));

        _cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.Local_Transport);
        var failure = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync(topic, Message("dropped")));
        var after = await producer.ProduceAsync(topic, Message("after"));

        Assert.Equal(ErrorCode.Local_Transport, failure.Error.Code);
        Assert.Equal(["before", "after"], ReadValues(topic));
        Assert.Equal(1, after.Offset.Value);
    }

    [Fact]
    public async Task An_idempotent_producer_resends_once_after_a_dropped_connection()
    {
        var topic = CreateTopic("transport-idempotent");
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers);
        await producer.ProduceAsync(topic, Message("before"));

        _cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.Local_Transport, ErrorCode.Local_Transport);
        var result = await producer.ProduceAsync(topic, Message("resent"));

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(["before", "resent"], ReadValues(topic));
    }

    private string CreateTopic(string purpose)
    {
        var topic = ClusterClients.UniqueTopic(purpose);
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        return topic;
    }

    private List<string> ReadValues(string topic) =>
        ClusterClients.ReadAll(_cluster.BootstrapServers, topic, 1).Select(r => r.Message.Value).ToList();

    private static Message<string, string> Message(string value) => new() { Key = "k", Value = value };
}

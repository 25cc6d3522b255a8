using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

public sealed class ClusterArgumentTests : IDisposable
{
    private readonly InProcessKafkaCluster _cluster = InProcessKafkaCluster.Start(brokerCount: 3);

    public void Dispose() => _cluster.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-2)]
    public void Broker_faults_refuse_an_unknown_broker_id(int brokerId)
    {
        Action[] uses =
        [
            () => _cluster.SetBrokerDown(brokerId),
            () => _cluster.SetBrokerUp(brokerId),
            () => _cluster.SetBrokerRoundTripTime(brokerId, TimeSpan.FromMilliseconds(1)),
            () => _cluster.SetPartitionLeader("topic", 0, brokerId),
        ];

        Assert.All(uses, use =>
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(use);
            Assert.Equal("brokerId", error.ParamName);
            Assert.Contains("1 to 3", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Broker_faults_accept_minus_one_for_every_broker()
    {
        _cluster.SetBrokerRoundTripTime(-1, TimeSpan.FromMilliseconds(1));
        _cluster.SetBrokerDown(-1);
        _cluster.SetBrokerUp(-1);
        _cluster.SetBrokerRoundTripTime(-1, TimeSpan.Zero);

        Assert.True(CanProduce("after-all-brokers-cycled"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void CreateTopic_refuses_fewer_than_one_partition(int partitions)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.CreateTopic("no-partitions", partitions));
        Assert.Equal("partitions", error.ParamName);
        Assert.Contains("'no-partitions'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void CreateTopic_refuses_a_replication_factor_the_cluster_cannot_hold(int replicationFactor)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.CreateTopic("replicas", 1, replicationFactor));
        Assert.Equal("replicationFactor", error.ParamName);
        Assert.Contains("3 broker(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTopic_names_the_topic_that_already_exists()
    {
        _cluster.CreateTopic("twice", 2);

        var error = Assert.Throws<InvalidOperationException>(() => _cluster.CreateTopic("twice", 2));

        Assert.Contains("'twice'", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ErrorCode.TopicAlreadyExists), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/topic")]
    [InlineData("..")]
    public void Topic_names_Kafka_refuses_are_refused(string topic)
    {
        Action[] uses =
        [
            () => _cluster.CreateTopic(topic),
            () => _cluster.SetPartitionLeader(topic, 0, 1),
            () => _cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed),
        ];

        Assert.All(uses, use => Assert.Equal("topic", Assert.Throws<ArgumentException>(use).ParamName));
    }

    [Fact]
    public void Topic_names_longer_than_249_characters_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _cluster.CreateTopic(new string('t', 250)));
        _cluster.CreateTopic(new string('t', 249));
    }

    [Fact]
    public void Null_topic_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => _cluster.CreateTopic(null!));
    }

    [Fact]
    public void SetPartitionLeader_refuses_a_partition_the_topic_does_not_have()
    {
        _cluster.CreateTopic("two-partitions", 2);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.SetPartitionLeader("two-partitions", 2, 1));
        Assert.Equal("partition", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.SetPartitionLeader("two-partitions", -1, 1));
    }

    [Fact]
    public void PushRequestErrors_needs_at_least_one_error()
    {
        Assert.Throws<ArgumentException>(() => _cluster.PushRequestErrors(KafkaApi.Produce));
        Assert.Throws<ArgumentNullException>(() => _cluster.PushRequestErrors(KafkaApi.Produce, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.PushRequestErrors((KafkaApi)(-1), ErrorCode.NotEnoughReplicas));
    }

    [Fact]
    public void A_group_coordinator_is_one_existing_broker_of_a_named_group()
    {
        Assert.All([0, -1, _cluster.BrokerCount + 1], id => Assert.Equal("brokerId", Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.SetGroupCoordinator("g", id)).ParamName));
        Assert.Equal("groupId", Assert.ThrowsAny<ArgumentException>(() => _cluster.SetGroupCoordinator(" ", 1)).ParamName);
        Assert.Equal("brokerId", Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.SetTransactionCoordinator("t", 0)).ParamName);
        Assert.Equal("transactionalId", Assert.ThrowsAny<ArgumentException>(() => _cluster.SetTransactionCoordinator("", 1)).ParamName);
        _cluster.SetGroupCoordinator("g", _cluster.BrokerCount);
        _cluster.SetTransactionCoordinator("t", 1);
    }

    [Fact]
    public void Durations_must_be_zero_or_more()
    {
        var rtt = Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.SetBrokerRoundTripTime(1, TimeSpan.FromMilliseconds(-1)));
        Assert.Equal("rtt", rtt.ParamName);
        var delay = Assert.Throws<ArgumentOutOfRangeException>(() => _cluster.SetGroupInitialRebalanceDelay(TimeSpan.FromDays(30)));
        Assert.Equal("delay", delay.ParamName);
    }

    private bool CanProduce(string topic)
    {
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers);
        var result = producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }).GetAwaiter().GetResult();
        return result.Status == PersistenceStatus.Persisted;
    }
}

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
        var topic = CreateTopic("ok", partitions: 3);
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
        var allowed = CreateTopic("allowed", partitions: 2);
        var denied = CreateTopic("denied", partitions: 2);
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
        var delivered = TopicReader.ReadToEnd(cluster.BootstrapServers, allowed, 2).Select(result => BitConverter.ToInt32(result.Message.Value.Reverse().ToArray())).Order();
        Assert.Equal(Enumerable.Range(0, 400).Where(i => i % 4 != 0), delivered);
    }

    private string CreateTopic(string prefix, int partitions = 1)
    {
        var topic = Topics.Unique(prefix);
        cluster.CreateTopic(topic, partitions, replicationFactor: 3);
        return topic;
    }
}

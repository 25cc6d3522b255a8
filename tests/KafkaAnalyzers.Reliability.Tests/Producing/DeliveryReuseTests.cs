using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.Producing;

/// <summary>
/// The tracking producer reuses the object that tracks a <c>Produce</c> (and the delivery-report delegate bound to
/// it) once that message's outcome was handed over. A reused one must never carry the previous message's topic,
/// partition or message object into the next outcome, whichever thread hands the outcome over (the report thread,
/// the produce call for a message refused at once, disposal).
/// </summary>
public sealed class DeliveryReuseTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Reused_tracking_carries_each_message_to_exactly_one_outcome_with_its_own_topic_and_partition()
    {
        const int Threads = 4;
        const int Waves = 5;
        const int PerThreadAndWave = 400;
        var allowed = cluster.CreateUniqueTopic("reuse-ok", partitions: 3);
        var denied = cluster.CreateUniqueTopic("reuse-denied", partitions: 3);
        cluster.SetTopicError(denied, ErrorCode.TopicAuthorizationFailed);
        var recorder = new FailureRecorder<Null, int>();
        var sent = new ConcurrentDictionary<int, (Message<Null, int> Message, string Topic, Partition Partition)>();
        await using var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options());
        for (var wave = 0; wave < Waves; wave++)
        {
            var waveStart = wave * Threads * PerThreadAndWave;
            var producers = Enumerable.Range(0, Threads).Select(thread => Task.Run(() =>
            {
                for (var i = 0; i < PerThreadAndWave; i++)
                {
                    var value = waveStart + (thread * PerThreadAndWave) + i;
                    var topic = value % 5 == 0 ? denied : allowed;

                    // Every third message names its partition, so a reused tracking object alternates between the
                    // caller's TopicPartition and Partition.Any.
                    var partition = value % 3 == 0 ? new Partition(value % 2) : Partition.Any;
                    var message = new Message<Null, int> { Value = value };
                    sent[value] = (message, topic, partition);
                    if (partition == Partition.Any)
                    {
                        producer.Produce(topic, message);
                    }
                    else
                    {
                        producer.Produce(new TopicPartition(topic, partition), message);
                    }
                }
            }));
            await Task.WhenAll(producers);
            await producer.FlushAsync(Generous);
        }

        var total = Threads * Waves * PerThreadAndWave;
        Assert.True(producer.ReusedDeliveries > total / 2, $"Only {producer.ReusedDeliveries} of {total} produce calls reused a tracking object.");
        Assert.Equal(total, producer.Produced);
        Assert.Equal(total, producer.Delivered + producer.Failed);
        Assert.Equal(0, producer.Pending);

        // Failures: each denied message exactly once, as the very object produced, with the partition it asked for
        // when librdkafka reported none (refused at once) or the one it reported.
        var failures = recorder.Failures;
        var expectedDenied = sent.Where(pair => pair.Value.Topic == denied).Select(pair => pair.Key).Order().ToList();
        Assert.Equal(expectedDenied, failures.Select(failure => failure.Message.Value).Order());
        Assert.All(failures, failure =>
        {
            var (message, topic, partition) = sent[failure.Message.Value];
            Assert.Same(message, failure.Message);
            Assert.Equal(topic, failure.Topic);
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error.Code);
            if (partition != Partition.Any)
            {
                Assert.Equal(partition, failure.Partition);
            }
        });

        // Deliveries: every allowed message once, in the partition it named.
        var delivered = TopicReader.ReadToEnd(cluster.BootstrapServers, allowed, 3)
            .Select(result => (Value: Deserializers.Int32.Deserialize(result.Message.Value, false, SerializationContext.Empty), result.Partition))
            .ToList();
        Assert.Equal(sent.Where(pair => pair.Value.Topic == allowed).Select(pair => pair.Key).Order(), delivered.Select(read => read.Value).Order());
        Assert.All(delivered, read =>
        {
            var asked = sent[read.Value].Partition;
            if (asked != Partition.Any)
            {
                Assert.Equal(asked, read.Partition);
            }
        });
    }

    [Fact]
    public async Task Messages_pending_in_reused_tracking_at_disposal_are_each_reported_once_as_themselves()
    {
        var topic = cluster.CreateUniqueTopic("reuse-outage", partitions: 3);
        var recorder = new FailureRecorder<string, int>();
        var producer = new DeliveryTrackingProducer<string, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options(disposeFlushTimeout: TimeSpan.FromSeconds(2)));
        for (var i = 0; i < 300; i++)
        {
            producer.Produce(topic, new Message<string, int> { Key = "k" + (i % 7), Value = i });
        }

        await producer.FlushAsync(Generous);
        cluster.SetBrokerDown(-1);
        var pendingMessages = new Dictionary<int, Message<string, int>>();
        for (var i = 300; i < 537; i++)
        {
            pendingMessages[i] = new Message<string, int> { Key = "k" + (i % 7), Value = i };
            producer.Produce(topic, pendingMessages[i]);
        }

        Assert.True(producer.ReusedDeliveries >= 237, $"Only {producer.ReusedDeliveries} produce calls reused a tracking object.");
        var report = await Assert.ThrowsAsync<UndeliveredMessagesException>(async () => await producer.DisposeAsync());

        Assert.Equal(237, report.UnconfirmedAtDisposal);
        Assert.Equal(0, report.UnhandledFailures);
        Assert.Equal(300, producer.Delivered);
        Assert.Equal(237, producer.Failed);
        Assert.Equal(Enumerable.Range(300, 237), recorder.Failures.Select(failure => failure.Message.Value).Order());
        Assert.All(recorder.Failures, failure =>
        {
            Assert.Same(pendingMessages[failure.Message.Value], failure.Message);
            Assert.Equal(topic, failure.Topic);
            Assert.True(failure.UnconfirmedAtDisposal);
            Assert.Equal(ErrorCode.Local_Destroy, failure.Error.Code);
        });
    }
}

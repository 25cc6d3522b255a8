using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Tests.Rules.RuntimeFacts;

/// <summary>
/// What docs/rules/KAFKA116.md states, measured on librdkafka's mock cluster: Assign on a subscribed consumer
/// replaces the group's assignment, and the partitions it leaves out stop being consumed.
/// </summary>
public class AssignOnSubscribedConsumerFacts
{
    private const int Partitions = 4;
    private const int PerPartition = 20;

    [Fact]
    public void Assigning_one_partition_stops_the_others_of_a_subscribed_consumer()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 1);
        var topic = "kafka116-" + Guid.NewGuid().ToString("N");
        cluster.CreateTopic(topic, partitions: Partitions);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "kafka116-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();

        Produce(producer, topic, "before");
        consumer.Subscribe(topic);

        // The group hands this only member all four partitions, and messages come from each.
        var before = ConsumeUntil(consumer, seen => seen.Count == Partitions * PerPartition, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(0, Partitions), before.Select(r => r.Partition.Value).Distinct().OrderBy(p => p));
        Assert.Equal(Partitions, consumer.Assignment.Count);

        // The KAFKA116 shape: move partition 0 with Assign. The offset is the end of what "before" wrote, given as a
        // number: Offset.End is looked up by the fetcher later, and on a fast machine that lookup can land after the
        // "after" messages below, which then never arrive (a CI run saw 0 of 20 in 60 s).
        consumer.Assign(new TopicPartitionOffset(topic, 0, PerPartition));
        Produce(producer, topic, "after");

        // Every new message of partition 0 arrives; none of partitions 1-3 does, although they wait in the topic.
        var after = ConsumeUntil(consumer, seen => seen.Count(r => r.Partition.Value == 0) == PerPartition, TimeSpan.FromSeconds(60));
        var others = DrainFor(consumer, TimeSpan.FromSeconds(3));
        Assert.Equal(PerPartition, after.Count(r => r.Partition.Value == 0));
        Assert.DoesNotContain(after.Concat(others), r => r.Partition.Value != 0);
        Assert.Equal(new[] { new TopicPartition(topic, 0) }, consumer.Assignment);

        // They were there all along: assigning partitions 1-3 again delivers all their new messages.
        consumer.Assign(Enumerable.Range(1, Partitions - 1).Select(p => new TopicPartitionOffset(topic, p, PerPartition)));
        var waiting = ConsumeUntil(consumer, seen => seen.Count == (Partitions - 1) * PerPartition, TimeSpan.FromSeconds(60));
        Assert.All(waiting, r => Assert.StartsWith("after-", r.Message.Value, StringComparison.Ordinal));

        consumer.Close();
    }

    private static void Produce(IProducer<Null, string> producer, string topic, string tag)
    {
        for (var partition = 0; partition < Partitions; partition++)
        {
            for (var i = 0; i < PerPartition; i++)
            {
                producer.Produce(new TopicPartition(topic, partition), new Message<Null, string> { Value = $"{tag}-{partition}-{i}" }, report => Assert.False(report.Error.IsError, report.Error.Reason));
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private static List<ConsumeResult<Null, string>> ConsumeUntil(IConsumer<Null, string> consumer, Func<List<ConsumeResult<Null, string>>, bool> done, TimeSpan limit)
    {
        var seen = new List<ConsumeResult<Null, string>>();
        var clock = Stopwatch.StartNew();
        while (!done(seen))
        {
            Assert.True(clock.Elapsed < limit, $"only {seen.Count} messages within {limit}");
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                seen.Add(result);
            }
        }

        return seen;
    }

    private static List<ConsumeResult<Null, string>> DrainFor(IConsumer<Null, string> consumer, TimeSpan duration)
    {
        var seen = new List<ConsumeResult<Null, string>>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                seen.Add(result);
            }
        }

        return seen;
    }
}

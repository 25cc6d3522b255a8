using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Tests.Rules.RuntimeFacts;

/// <summary>
/// What docs/rules/KAFKA115.md states, measured on librdkafka's mock cluster: a consume-transform-produce step
/// that commits its input while the output is still queued, then stops, keeps the commit and loses the output;
/// the same step awaiting its output first keeps both.
/// </summary>
public class InputCommittedBeforeOutputFacts
{
    private const int Inputs = 20;

    [Fact]
    public void Committing_before_the_output_is_delivered_loses_the_output_and_keeps_the_commit()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 1);
        var (input, output, group) = Topics(cluster, "kafka115-queued");

        using (var consumer = Consumer(cluster, group))
        {
            consumer.Subscribe(input);

            // The output waits in the client's queue (a long linger stands for a slow or unreachable broker).
            var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 10_000 }).Build();
            for (var done = 0; done < Inputs;)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } result)
                {
                    continue;
                }

                producer.Produce(output, new Message<Null, string> { Value = result.Message.Value.ToUpperInvariant() });
                consumer.Commit(result); // the KAFKA115 shape
                done++;
            }

            // The process stops before the queue drains (a deployment, a crash): the queued outputs are dropped.
            producer.Dispose();
            consumer.Close();
        }

        Assert.Equal(Inputs, CommittedOffset(cluster, group, input));
        Assert.Empty(ReadAll(cluster, output, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Awaiting_the_output_before_the_commit_keeps_both()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 1);
        var (input, output, group) = Topics(cluster, "kafka115-awaited");

        using (var consumer = Consumer(cluster, group))
        {
            consumer.Subscribe(input);
            var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 10 }).Build();
            for (var done = 0; done < Inputs;)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } result)
                {
                    continue;
                }

                await producer.ProduceAsync(output, new Message<Null, string> { Value = result.Message.Value.ToUpperInvariant() });
                consumer.Commit(result);
                done++;
            }

            producer.Dispose();
            consumer.Close();
        }

        Assert.Equal(Inputs, CommittedOffset(cluster, group, input));
        Assert.Equal(Inputs, ReadAll(cluster, output, TimeSpan.FromSeconds(30), expected: Inputs).Count);
    }

    private static (string Input, string Output, string Group) Topics(InProcessKafkaCluster cluster, string prefix)
    {
        var id = Guid.NewGuid().ToString("N");
        var input = $"{prefix}-in-{id}";
        var output = $"{prefix}-out-{id}";
        cluster.CreateTopic(input);
        cluster.CreateTopic(output);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        for (var i = 0; i < Inputs; i++)
        {
            producer.Produce(input, new Message<Null, string> { Value = $"order-{i}" }, report => Assert.False(report.Error.IsError, report.Error.Reason));
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        return (input, output, $"{prefix}-{id}");
    }

    private static IConsumer<Null, string> Consumer(InProcessKafkaCluster cluster, string group)
        => new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();

    /// <summary>The group's committed offset of the input's partition 0, as a new member would resume from it.</summary>
    private static long CommittedOffset(InProcessKafkaCluster cluster, string group, string topic)
    {
        using var reader = Consumer(cluster, group);
        var committed = reader.Committed(new[] { new TopicPartition(topic, 0) }, TimeSpan.FromSeconds(30));
        return Assert.Single(committed).Offset.Value;
    }

    private static List<string> ReadAll(InProcessKafkaCluster cluster, string topic, TimeSpan limit, int? expected = null)
    {
        using var reader = Consumer(cluster, "reader-" + Guid.NewGuid().ToString("N"));
        reader.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var seen = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && (expected is null || seen.Count < expected))
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
            {
                seen.Add(message.Value);
            }
        }

        return seen;
    }
}

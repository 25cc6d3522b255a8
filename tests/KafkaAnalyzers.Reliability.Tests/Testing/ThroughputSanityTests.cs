using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

/// <summary>
/// One sizeable run through the in-process cluster: 200,000 messages from an idempotent producer while
/// each broker goes down and up once and 10 NOT_ENOUGH_REPLICAS produce errors are injected.
/// Asserts exactly-once arrival; prints the time (a figure for humans, never asserted).
/// </summary>
public sealed class ThroughputSanityTests(ITestOutputHelper output)
{
    private const int Messages = 200_000;
    private const int Partitions = 4;

    [Fact]
    public async Task Idempotent_producer_delivers_every_message_exactly_once_through_broker_restarts_and_injected_errors()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 3);
        var topic = ClusterClients.UniqueTopic("throughput");
        cluster.CreateTopic(topic, Partitions, replicationFactor: 3);
        for (var partition = 0; partition < Partitions; partition++)
        {
            cluster.SetPartitionLeader(topic, partition, 1 + (partition % 3)); // every broker leads something
        }

        using var producer = ClusterClients.Producer(cluster.BootstrapServers, config => config.QueueBufferingMaxMessages = Messages);
        var delivered = 0;
        var failed = 0;
        var faults = Task.Run(() => InjectFaultsAsProgressIsMade(cluster, () => Volatile.Read(ref delivered)));

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Messages; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = $"key-{i % 64}", Value = i.ToString() }, report =>
                Interlocked.Increment(ref report.Error.IsError ? ref failed : ref delivered));
        }

        var faultLog = await faults.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(0, producer.Flush(TimeSpan.FromMinutes(2)));
        clock.Stop();

        var read = ClusterClients.ReadAll(cluster.BootstrapServers, topic, Partitions);
        var distinct = read.Select(r => r.Message.Value).Distinct().Count();
        output.WriteLine(faultLog);
        output.WriteLine(
            $"{Messages} produced, {delivered} delivered, {failed} failed, {Messages - distinct} lost, {read.Count - distinct} duplicated, " +
            $"{clock.Elapsed.TotalSeconds:F1} s produce-to-flush ({Messages / clock.Elapsed.TotalSeconds:F0} msg/s)");

        Assert.Equal(Messages, delivered);
        Assert.Equal(0, failed);
        Assert.Equal(Messages, read.Count);
        Assert.Equal(Messages, distinct);
        foreach (var key in read.GroupBy(r => r.Message.Key))
        {
            var sequence = key.Select(r => int.Parse(r.Message.Value)).ToList();
            Assert.Equal(sequence.Order(), sequence);
        }
    }

    /// <summary>Brings each broker down for 300 ms at 20/45/70 % delivered, and pushes 10 NOT_ENOUGH_REPLICAS at 10 %.</summary>
    private static string InjectFaultsAsProgressIsMade(InProcessKafkaCluster cluster, Func<int> delivered)
    {
        var log = new List<string>();
        var clock = Stopwatch.StartNew();
        WaitFor(delivered, Messages / 10);
        cluster.PushRequestErrors(KafkaApi.Produce, Enumerable.Repeat(ErrorCode.NotEnoughReplicas, 10).ToArray());
        log.Add($"10 x NotEnoughReplicas at {delivered()} delivered ({clock.ElapsedMilliseconds} ms)");

        var broker = 1;
        foreach (var percent in new[] { 20, 45, 70 })
        {
            WaitFor(delivered, Messages * percent / 100);
            cluster.SetBrokerDown(broker);
            var atDown = delivered();
            Thread.Sleep(300);
            cluster.SetBrokerUp(broker);
            log.Add($"broker {broker} down at {atDown} delivered, up at {delivered()} ({clock.ElapsedMilliseconds} ms)");
            broker++;
        }

        return string.Join(Environment.NewLine, log);
    }

    private static void WaitFor(Func<int> delivered, int target)
    {
        var deadline = DateTime.UtcNow + ClusterClients.Patience;
        while (delivered() < target)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {delivered()} of the {target} deliveries awaited before the next fault arrived.");
            }

            Thread.Sleep(1);
        }
    }
}

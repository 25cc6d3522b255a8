using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Producing;

/// <summary>The issue's chaos requirement: 200,000 messages while brokers go down and up, NOT_ENOUGH_REPLICAS is injected and leaders move.</summary>
public sealed class DeliveryTrackingChaosTests(ITestOutputHelper output) : IDisposable
{
    private const int MessageCount = 200_000;
    private const int KeyCount = 1_000;
    private const int Partitions = 6;
    private const int Batches = 40;
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Every_message_is_delivered_exactly_once_in_key_order_while_brokers_fail_and_leaders_move()
    {
        var topic = cluster.CreateUniqueTopic("chaos", Partitions);
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.LingerMs = 20;
        config.BatchNumMessages = 10_000;

        // Per-batch and idempotence-state logs, kept in memory and printed only if the run fails.
        config.Debug = "eos,topic,msg";
        var librdkafkaLog = new LogTail(capacity: 2_000);
        var recorder = new FailureRecorder<string, int>();
        var elapsed = Stopwatch.StartNew();
        var chaos = new Chaos(cluster, topic);
        using var stopChaos = new CancellationTokenSource();
        long delivered;
        long failed;
        long produced;
        await using (var producer = new DeliveryTrackingProducer<string, int>(config, recorder.Options(), builder => builder.SetLogHandler((_, message) => librdkafkaLog.Add(message))))
        {
            var chaosRun = Task.Run(() => chaos.Run(stopChaos.Token));
            for (var batch = 0; batch < Batches; batch++)
            {
                for (var i = batch * (MessageCount / Batches); i < (batch + 1) * (MessageCount / Batches); i++)
                {
                    producer.Produce(topic, new Message<string, int> { Key = "key-" + (i % KeyCount), Value = i });
                }

                await Task.Delay(200);
            }

            // The faults stop once everything is produced, as an outage ends. Injected errors are taken by
            // whichever produce request comes next, so pushing them on while one partition is still
            // retrying hands every error to that partition and starves it until message.timeout.ms.
            await stopChaos.CancelAsync();
            await chaosRun;
            await producer.FlushAsync(TimeSpan.FromMinutes(3));
            delivered = producer.Delivered;
            failed = producer.Failed;
            produced = producer.Produced;
        }

        var produceSeconds = elapsed.Elapsed.TotalSeconds;
        var readBack = TopicReader.ReadToEnd(cluster.BootstrapServers, topic, Partitions, TimeSpan.FromMinutes(3));
        var values = readBack.Select(result => Deserializers.Int32.Deserialize(result.Message.Value, false, SerializationContext.Empty)).ToList();
        var distinct = values.Distinct().Count();
        output.WriteLine(
            $"chaos: produced {MessageCount}, delivered {delivered}, failed {recorder.Failures.Count}, read back {values.Count}, " +
            $"duplicated {values.Count - distinct}, lost {MessageCount - distinct}, produce+flush {produceSeconds:F1} s, total {elapsed.Elapsed.TotalSeconds:F1} s; " +
            $"faults: {chaos.BrokerOutages} broker outages, {chaos.InjectedErrors} NOT_ENOUGH_REPLICAS errors, {chaos.LeaderChanges} leader changes; " +
            $"failures by error: {string.Join(", ", recorder.Failures.GroupBy(failure => failure.Error.Code).Select(group => $"{group.Key} x{group.Count()}"))}");

        if (failed > 0 || distinct != MessageCount || values.Count != MessageCount)
        {
            foreach (var partition in recorder.Failures.GroupBy(failure => failure.Partition.Value))
            {
                output.WriteLine($"failed in partition {partition.Key}: {partition.Count()} (values {partition.Min(failure => failure.Message.Value)}..{partition.Max(failure => failure.Message.Value)})");
            }

            output.WriteLine("librdkafka log tail:" + Environment.NewLine + librdkafkaLog);
        }

        Assert.Equal(MessageCount, produced);
        Assert.Equal(0, failed);
        Assert.Empty(recorder.Failures);
        Assert.Equal(MessageCount, delivered);
        Assert.Equal(MessageCount, values.Count);
        Assert.Equal(MessageCount, distinct);
        Assert.True(chaos.BrokerOutages >= 10 && chaos.InjectedErrors >= 30 && chaos.LeaderChanges >= 10, "the chaos did not run long enough to mean anything");
        foreach (var key in readBack.GroupBy(result => Deserializers.Utf8.Deserialize(result.Message.Key, false, SerializationContext.Empty)))
        {
            Assert.Single(key.Select(result => result.Partition.Value).Distinct());
            var inLogOrder = key.OrderBy(result => result.Offset.Value).Select(result => Deserializers.Int32.Deserialize(result.Message.Value, false, SerializationContext.Empty)).ToList();
            Assert.Equal(inLogOrder.Order(), inLogOrder);
        }
    }

    /// <summary>Rotates through the three faults, with a fixed seed, until stopped (and at least ten rounds of each).</summary>
    private sealed class Chaos(InProcessKafkaCluster cluster, string topic)
    {
        private const int MinimumRounds = 30;
        private readonly Random random = new(20261123);

        public int BrokerOutages { get; private set; }

        public int InjectedErrors { get; private set; }

        public int LeaderChanges { get; private set; }

        public async Task Run(CancellationToken stop)
        {
            for (var round = 0; round < MinimumRounds || !stop.IsCancellationRequested; round++)
            {
                switch (round % 3)
                {
                    case 0:
                        var broker = random.Next(1, cluster.BrokerCount + 1);
                        cluster.SetBrokerDown(broker);
                        await Task.Delay(700, CancellationToken.None);
                        cluster.SetBrokerUp(broker);
                        BrokerOutages++;
                        break;
                    case 1:
                        cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicasAfterAppend);
                        InjectedErrors += 3;
                        break;
                    default:
                        cluster.SetPartitionLeader(topic, random.Next(Partitions), random.Next(1, cluster.BrokerCount + 1));
                        LeaderChanges++;
                        break;
                }

                await Task.Delay(150, CancellationToken.None);
            }
        }
    }
}

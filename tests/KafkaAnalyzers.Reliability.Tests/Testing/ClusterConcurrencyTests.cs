using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

public sealed class ClusterConcurrencyTests
{
    [Fact]
    public async Task Clusters_side_by_side_are_independent()
    {
        var clusters = Enumerable.Range(0, 3).Select(_ => InProcessKafkaCluster.Start(brokerCount: 1)).ToList();
        try
        {
            Assert.Equal(3, clusters.Select(c => c.BootstrapServers).Distinct().Count());
            for (var i = 0; i < clusters.Count; i++)
            {
                clusters[i].CreateTopic("same-name");
                using var producer = ClusterClients.Producer(clusters[i].BootstrapServers);
                for (var m = 0; m <= i; m++)
                {
                    await producer.ProduceAsync("same-name", new Message<string, string> { Key = "k", Value = $"cluster-{i}" });
                }
            }

            clusters[0].SetBrokerDown(1);
            clusters[0].Dispose();

            for (var i = 1; i < clusters.Count; i++)
            {
                var values = ClusterClients.ReadAll(clusters[i].BootstrapServers, "same-name", 1).Select(r => r.Message.Value);
                Assert.Equal(Enumerable.Repeat($"cluster-{i}", i + 1), values);
            }
        }
        finally
        {
            clusters.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Faults_injected_from_many_threads_while_a_producer_runs_lose_nothing()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 3);
        var topic = ClusterClients.UniqueTopic("many-threads");
        cluster.CreateTopic(topic, partitions: 3, replicationFactor: 3);
        using var producer = ClusterClients.Producer(cluster.BootstrapServers);
        const int messages = 3000;
        var failures = 0;
        var produce = Task.Run(() =>
        {
            for (var i = 0; i < messages; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i % 7}", Value = $"m-{i}" }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failures);
                    }
                });
                if (i % 100 == 0)
                {
                    Thread.Sleep(5);
                }
            }
        });

        var injectors = Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            var broker = 1 + (thread % 3);
            for (var round = 0; round < 15; round++)
            {
                cluster.CreateTopic($"side-{thread}-{round}");
                cluster.SetBrokerRoundTripTime(broker, TimeSpan.FromMilliseconds(round % 3));
                cluster.SetPartitionLeader(topic, thread % 3, broker);
                cluster.SetTopicError($"side-{thread}-{round}", ErrorCode.NoError);
                if (round % 5 == 0)
                {
                    cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas);
                    cluster.SetBrokerDown(broker);
                    Thread.Sleep(20);
                    cluster.SetBrokerUp(broker);
                }
            }
        })).ToList();

        await Task.WhenAll([produce, .. injectors]).WaitAsync(ClusterClients.Patience);
        cluster.ClearRequestErrors(KafkaApi.Produce);
        cluster.SetBrokerUp(-1);
        cluster.SetBrokerRoundTripTime(-1, TimeSpan.Zero);
        Assert.Equal(0, producer.Flush(ClusterClients.Patience));

        Assert.Equal(0, failures);
        // Nothing is lost. librdkafka's mock cluster does not de-duplicate an idempotent producer's
        // resend when a broker drops the connection right after appending a batch (it checks sequence
        // numbers only for transactional producers), so a resend may appear twice here where a real
        // broker would drop it: count distinct values, not records.
        var values = ClusterClients.ReadAll(cluster.BootstrapServers, topic, 3).Select(r => r.Message.Value).ToList();
        Assert.Equal(Enumerable.Range(0, messages).Select(i => $"m-{i}").ToHashSet(), values.ToHashSet());
    }

    [Fact]
    public async Task Dispose_racing_fault_calls_lets_each_call_finish_or_throw_ObjectDisposedException()
    {
        var cluster = InProcessKafkaCluster.Start(brokerCount: 3);
        using var started = new CountdownEvent(4);
        var unexpected = new List<Exception>();
        var callers = Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            started.Signal();
            try
            {
                for (var i = 0; ; i++)
                {
                    cluster.SetBrokerRoundTripTime(1 + (thread % 3), TimeSpan.FromMilliseconds(i % 5));
                    cluster.PushRequestErrors(KafkaApi.Fetch, ErrorCode.NotLeaderForPartition);
                    cluster.ClearRequestErrors(KafkaApi.Fetch);
                }
            }
            catch (ObjectDisposedException)
            {
                // The expected way out.
            }
            catch (Exception ex)
            {
                lock (unexpected)
                {
                    unexpected.Add(ex);
                }
            }
        })).ToList();

        started.Wait(ClusterClients.Patience);
        await Task.Delay(50);
        var disposers = Enumerable.Range(0, 2).Select(_ => Task.Run(cluster.Dispose)).ToList();
        await Task.WhenAll([.. callers, .. disposers]).WaitAsync(ClusterClients.Patience);

        Assert.Empty(unexpected);
        Assert.Throws<ObjectDisposedException>(() => cluster.SetBrokerDown(1));
    }
}

using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

public sealed class BrokerFaultTests : IDisposable
{
    private readonly InProcessKafkaCluster _cluster = InProcessKafkaCluster.Start(brokerCount: 3);

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Deliveries_stall_while_the_leader_is_down_and_all_arrive_once_after_it_is_up()
    {
        var topic = ClusterClients.UniqueTopic("broker-down");
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        _cluster.SetPartitionLeader(topic, 0, brokerId: 2);
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers);
        using var admin = ClusterClients.Admin(_cluster.BootstrapServers);
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "before" });

        _cluster.SetBrokerDown(2);
        const int produced = 100;
        var delivered = 0;
        var failed = 0;
        for (var i = 0; i < produced; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = "k", Value = $"during-{i}" }, report =>
                Interlocked.Increment(ref report.Error.IsError ? ref failed : ref delivered));
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0, Volatile.Read(ref delivered) + Volatile.Read(ref failed));
        Assert.Equal(2, ClusterClients.LeaderOf(admin, topic, 0)); // down does not move leadership

        _cluster.SetBrokerUp(2);
        Assert.Equal(0, producer.Flush(ClusterClients.Patience));

        Assert.Equal(produced, delivered);
        Assert.Equal(0, failed);
        var values = ClusterClients.ReadAll(_cluster.BootstrapServers, topic, 1).Select(r => r.Message.Value).ToList();
        Assert.Equal(["before", .. Enumerable.Range(0, produced).Select(i => $"during-{i}")], values);
    }

    [Fact]
    public async Task Leadership_moves_to_each_broker_in_turn_and_produces_still_succeed()
    {
        var topic = ClusterClients.UniqueTopic("leader");
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers);
        using var admin = ClusterClients.Admin(_cluster.BootstrapServers);

        foreach (var broker in new[] { 1, 2, 3, 1 })
        {
            _cluster.SetPartitionLeader(topic, 0, broker);

            Assert.Equal(broker, ClusterClients.LeaderOf(admin, topic, 0));
            var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = $"leader-{broker}" });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }

        var values = ClusterClients.ReadAll(_cluster.BootstrapServers, topic, 1).Select(r => r.Message.Value);
        Assert.Equal(["leader-1", "leader-2", "leader-3", "leader-1"], values);
    }

    [Fact]
    public async Task A_partition_without_leader_holds_deliveries_until_a_leader_is_set()
    {
        var topic = ClusterClients.UniqueTopic("no-leader");
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers);
        using var admin = ClusterClients.Admin(_cluster.BootstrapServers);
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "before" });

        _cluster.SetPartitionLeader(topic, 0, -1);
        var pending = producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "while-leaderless" });

        Assert.Equal(-1, ClusterClients.LeaderOf(admin, topic, 0));
        Assert.NotSame(pending, await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(1))));

        _cluster.SetPartitionLeader(topic, 0, 3);
        Assert.Equal(PersistenceStatus.Persisted, (await pending.WaitAsync(ClusterClients.Patience)).Status);
    }

    [Fact]
    public async Task Toggling_a_partition_leaderless_under_load_keeps_the_process_alive_and_loses_nothing()
    {
        // librdkafka 2.16's mock crashes answering Produce v10+/Fetch v12+ for a leaderless partition;
        // the cluster offers older versions. Without that, this test kills the test host.
        var topic = ClusterClients.UniqueTopic("leaderless-load");
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers);
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "leaderless-" + Guid.NewGuid().ToString("N"),
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));

        var produced = 0;
        var failures = 0;
        using var stop = new CancellationTokenSource();
        var produce = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                producer.Produce(topic, new Message<string, string> { Key = "k", Value = $"m-{produced++}" }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failures);
                    }
                });
                Thread.Sleep(1);
            }
        });
        var consumed = new HashSet<string>();
        var consume = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } result)
                {
                    consumed.Add(result.Message.Value);
                }
            }
        });

        for (var round = 0; round < 10; round++)
        {
            await Task.Delay(50);
            _cluster.SetPartitionLeader(topic, 0, -1);
            await Task.Delay(50);
            _cluster.SetPartitionLeader(topic, 0, 1 + (round % 3));
        }

        stop.Cancel();
        await Task.WhenAll(produce, consume);
        Assert.Equal(0, producer.Flush(ClusterClients.Patience));
        Assert.Equal(0, failures);
        Assert.True(produced > 0);
        Assert.Equal(produced, ClusterClients.ReadAll(_cluster.BootstrapServers, topic, 1).Count);
    }

    [Fact]
    public async Task Round_trip_time_delays_every_response_by_at_least_the_configured_time()
    {
        var topic = ClusterClients.UniqueTopic("rtt");
        _cluster.CreateTopic(topic, partitions: 1);
        using var producer = ClusterClients.Producer(_cluster.BootstrapServers, config => config.LingerMs = 0);
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "warm-up" });
        var rtt = TimeSpan.FromMilliseconds(400);

        _cluster.SetBrokerRoundTripTime(-1, rtt);
        var slow = Stopwatch.StartNew();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "slow" });
        slow.Stop();
        _cluster.SetBrokerRoundTripTime(-1, TimeSpan.Zero);
        var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "fast-again" });

        // Lower bound only (a loaded machine may be slower, never faster); 10 ms of timer slack.
        Assert.True(slow.Elapsed >= rtt - TimeSpan.FromMilliseconds(10), $"produce took {slow.Elapsed.TotalMilliseconds} ms with a {rtt.TotalMilliseconds} ms round-trip time");
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }
}

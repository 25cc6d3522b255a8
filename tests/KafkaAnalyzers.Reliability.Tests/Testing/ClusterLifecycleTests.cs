using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Testing.Native;

namespace KafkaAnalyzers.Reliability.Tests.Testing;

public sealed class ClusterLifecycleTests
{
    [Fact]
    public void Start_reports_one_loopback_listener_per_broker()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 3);

        var servers = cluster.BootstrapServers.Split(',');
        Assert.Equal(3, servers.Length);
        Assert.Equal(3, cluster.BrokerCount);
        Assert.All(servers, server => Assert.StartsWith("127.0.0.1:", server, StringComparison.Ordinal));
        Assert.All(servers, server => Assert.True(CanConnect(server), $"{server} does not accept connections"));
        Assert.Same(cluster, cluster.Faults);
    }

    [Fact]
    public void Dispose_twice_is_safe_and_closes_the_listeners()
    {
        var cluster = InProcessKafkaCluster.Start(brokerCount: 2);
        var servers = cluster.BootstrapServers.Split(',');

        cluster.Dispose();
        cluster.Dispose();

        Assert.All(servers, server => Assert.False(CanConnect(server), $"{server} still accepts connections after Dispose"));
    }

    [Fact]
    public void Every_member_throws_ObjectDisposedException_after_Dispose()
    {
        var cluster = InProcessKafkaCluster.Start(brokerCount: 1);
        cluster.Dispose();

        Action[] uses =
        [
            () => _ = cluster.BootstrapServers,
            () => _ = cluster.BrokerCount,
            () => _ = cluster.Faults,
            () => cluster.CreateTopic("after-dispose"),
            () => cluster.SetBrokerDown(1),
            () => cluster.SetBrokerUp(1),
            () => cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas),
            () => cluster.ClearRequestErrors(KafkaApi.Produce),
            () => cluster.SetPartitionLeader("after-dispose", 0, 1),
            () => cluster.SetBrokerRoundTripTime(1, TimeSpan.FromMilliseconds(10)),
            () => cluster.SetTopicError("after-dispose", ErrorCode.TopicAuthorizationFailed),
            () => cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero),
            () => cluster.SetGroupCoordinator("after-dispose", 1),
            () => cluster.SetTransactionCoordinator("after-dispose", 1),
        ];

        Assert.All(uses, use => Assert.Throws<ObjectDisposedException>(use));
    }

    [Fact]
    public void Clients_and_cluster_share_the_librdkafka_module_Confluent_Kafka_loaded()
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 1);
        using var producer = ClusterClients.Producer(cluster.BootstrapServers);

        var modules = LibrdkafkaModule.LoadedLibrdkafkaPaths();

        Assert.Single(modules);
        Assert.Contains(Path.GetFileNameWithoutExtension(modules[0]), LibrdkafkaModule.ConfluentCandidateNames());
    }

    [Fact]
    public void A_leaked_cluster_is_released_by_its_finalizer()
    {
        var servers = StartAndLeak();
        Assert.All(servers, server => Assert.True(CanConnect(server), $"{server} is not listening before collection"));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(servers, server => Assert.False(CanConnect(server), $"{server} still listens after its cluster was finalized"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(InProcessKafkaCluster.MaxBrokerCount + 1)]
    public void Start_refuses_a_broker_count_out_of_range(int brokerCount)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => InProcessKafkaCluster.Start(brokerCount));
        Assert.Equal("brokerCount", error.ParamName);
    }

    [Fact]
    public void StartOrConnect_starts_an_in_process_cluster_when_no_bootstrap_servers_are_configured()
    {
        foreach (var unset in new[] { null, "", "  " })
        {
            using var cluster = KafkaTestCluster.StartOrConnect(2, unset);

            var inProcess = Assert.IsType<InProcessKafkaCluster>(cluster);
            Assert.Equal(2, inProcess.BrokerCount);
            Assert.NotNull(cluster.Faults);
        }
    }

    [Fact]
    public void StartOrConnect_uses_the_configured_cluster_without_faults()
    {
        using var real = InProcessKafkaCluster.Start(brokerCount: 1);

        using var cluster = KafkaTestCluster.StartOrConnect(3, $" {real.BootstrapServers} ");

        Assert.IsNotType<InProcessKafkaCluster>(cluster);
        Assert.Equal(real.BootstrapServers, cluster.BootstrapServers);
        Assert.Null(cluster.Faults);
    }

    [Fact]
    public void Connect_refuses_blank_bootstrap_servers()
    {
        var error = Assert.Throws<ArgumentException>(() => KafkaTestCluster.Connect(" "));
        Assert.Equal("bootstrapServers", error.ParamName);
    }

    [Fact]
    public void A_connected_cluster_refuses_use_after_Dispose_and_disposes_twice_safely()
    {
        using var real = InProcessKafkaCluster.Start(brokerCount: 1);
        var cluster = KafkaTestCluster.Connect(real.BootstrapServers);

        cluster.Dispose();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("after-dispose"));
    }

    [Fact]
    public void A_connected_cluster_names_the_topic_it_could_not_create()
    {
        // librdkafka's mock does not implement the CreateTopics request, so it stands in for a refusing cluster.
        using var mock = InProcessKafkaCluster.Start(brokerCount: 1);
        using var cluster = new ExternalKafkaCluster(mock.BootstrapServers, createTimeout: TimeSpan.FromSeconds(2));

        var error = Assert.Throws<InvalidOperationException>(() => cluster.CreateTopic("refused-topic", 2));

        Assert.Contains("'refused-topic'", error.Message, StringComparison.Ordinal);
        Assert.Contains(mock.BootstrapServers, error.Message, StringComparison.Ordinal);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string[] StartAndLeak() => InProcessKafkaCluster.Start(brokerCount: 2).BootstrapServers.Split(',');

    private static bool CanConnect(string hostAndPort)
    {
        var separator = hostAndPort.LastIndexOf(':');
        using var client = new TcpClient();
        try
        {
            client.Connect(hostAndPort[..separator], int.Parse(hostAndPort[(separator + 1)..]));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

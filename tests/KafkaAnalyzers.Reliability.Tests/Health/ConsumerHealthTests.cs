using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.Diagnostics;
using KafkaAnalyzers.Reliability.Health;
using KafkaAnalyzers.Reliability.Hosting;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Health;

public sealed class ConsumerHealthTests(ITestOutputHelper output)
{
    private static readonly HealthCheckContext Context = new();

    [Fact]
    public async Task Not_started_is_degraded_running_and_assigned_is_healthy_stopped_is_unhealthy()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("health-life", 2);
        var group = "health-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, [ConsumerTestKit.Message("k", "v", "1")]);
        var handled = 0;
        var consumer = kit.Consumer<string, string>(kit.Options(topic, group), (_, _) => { Interlocked.Increment(ref handled); return Task.CompletedTask; }, kit.DeadLetterPublisher(group));
        var check = new KafkaConsumerHealthCheck(consumer, new KafkaConsumerHealthCheckOptions { UnassignedTimeout = TimeSpan.FromMinutes(5) });

        var notStarted = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Degraded, notStarted.Status);
        Assert.Equal("NotStarted", notStarted.Data["state"]);

        consumer.Start();
        await ConsumerTestKit.WaitUntil(() => Volatile.Read(ref handled) == 1 && consumer.GetStatus().AssignedPartitions == 2, "the consumer owns both partitions");
        var running = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal(2, running.Data["assigned_partitions"]);
        Assert.Equal("closed", running.Data["circuit_breaker"]);

        await consumer.StopAsync();
        var stopped = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Equal("stopped", stopped.Data["reasons"]);
    }

    [Fact]
    public async Task A_consumer_that_owns_no_partition_for_the_timeout_is_degraded()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("health-unassigned", 1);
        var group = "health-" + Guid.NewGuid().ToString("N");
        var first = kit.Consumer<string, string>(kit.Options(topic, group), (_, _) => Task.CompletedTask, kit.DeadLetterPublisher(group));
        first.Start();
        await ConsumerTestKit.WaitUntil(() => first.GetStatus().AssignedPartitions == 1, "the first consumer owns the only partition");

        var second = kit.Consumer<string, string>(kit.Options(topic, group), (_, _) => Task.CompletedTask, kit.DeadLetterPublisher(group));
        second.Start();

        // The group gives the only partition to either member (the assignor orders members by id), so the check
        // is asked of whichever one ends up owning nothing.
        var thresholds = new KafkaConsumerHealthCheckOptions { UnassignedTimeout = TimeSpan.FromSeconds(1) };
        HealthCheckResult result = default;
        await ConsumerTestKit.WaitUntil(
            () =>
            {
                var firstOwns = first.GetStatus().AssignedPartitions;
                var secondOwns = second.GetStatus().AssignedPartitions;
                if (firstOwns + secondOwns != 1)
                {
                    return false;
                }

                var idle = firstOwns == 0 ? first : second;
                result = new KafkaConsumerHealthCheck(idle, thresholds).CheckHealthAsync(Context).GetAwaiter().GetResult();
                return result.Status == HealthStatus.Degraded;
            },
            "one of the two consumers owns nothing for a second",
            () => $"first owns {first.GetStatus().AssignedPartitions}, second owns {second.GetStatus().AssignedPartitions}, last check {result.Status} ({result.Description})");

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("no partition assigned", (string)result.Data["reasons"], StringComparison.Ordinal);
        Assert.Equal(0, result.Data["assigned_partitions"]);
    }

    [Fact]
    public async Task An_open_circuit_breaker_makes_the_consumer_degraded()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("health-breaker", 1);
        var group = "health-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, 20).Select(i => ConsumerTestKit.Message($"k{i}", "v", i.ToString())));
        var options = kit.Options(topic, group, o =>
        {
            o.Retry.MaxAttempts = 2;
            o.CircuitBreaker = new HandlerCircuitBreakerOptions { FailureRatio = 0.5, MinimumThroughput = 4, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(30) };
            o.MaxConcurrency = 4;
        });
        var consumer = kit.Consumer<string, string>(options, (_, _) => throw new TimeoutException("the downstream service is down"), kit.DeadLetterPublisher(group));
        consumer.Start();
        var check = new KafkaConsumerHealthCheck(consumer);

        await ConsumerTestKit.WaitUntil(() => consumer.GetStatus().CircuitBreakerOpen, "the breaker opens");
        var result = await check.CheckHealthAsync(Context);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("open", result.Data["circuit_breaker"]);
        Assert.Contains("circuit breaker open", (string)result.Data["reasons"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lag_above_the_threshold_is_degraded_reported_per_partition_and_exported_with_OpenTelemetry()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("health-lag", 2);
        var group = "health-lag-" + Guid.NewGuid().ToString("N");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exported = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ReliabilityTelemetry.Name).AddInMemoryExporter(exported).Build();
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, o => o.LagRefreshInterval = TimeSpan.FromMilliseconds(50)),
            (_, token) => gate.Task.WaitAsync(token),
            kit.DeadLetterPublisher(group));
        consumer.Start();
        await ConsumerTestKit.WaitUntil(() => consumer.GetStatus().AssignedPartitions == 2, "the consumer owns both partitions");
        var landed = kit.Produce(topic, Enumerable.Range(0, 300).Select(i => ConsumerTestKit.Message($"k{i % 10}", "v", i.ToString())));
        var expected = landed.GroupBy(tpo => tpo.TopicPartition).ToDictionary(g => g.Key, g => (long)g.Count());
        var check = new KafkaConsumerHealthCheck(consumer, new KafkaConsumerHealthCheckOptions { MaxPartitionLag = 50 });

        // The handler holds the first message of each partition: nothing is done, so the lag is the whole partition.
        await ConsumerTestKit.WaitUntil(
            () => expected.All(pair => consumer.GetStatus().Lag.GetValueOrDefault(pair.Key) == pair.Value),
            "the lag of each partition is its message count",
            () => string.Join(", ", consumer.GetStatus().Lag));
        var behind = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Degraded, behind.Status);
        Assert.Contains("lag above 50", (string)behind.Data["reasons"], StringComparison.Ordinal);
        foreach (var (partition, count) in expected)
        {
            Assert.Equal(count, behind.Data[$"lag:{topic}[{partition.Partition.Value}]"]);
        }

        Assert.Equal(300L, behind.Data["total_lag"]);
        meters.ForceFlush();
        var lagPoints = new List<(string Partition, long Value)>();
        foreach (var metric in exported.Where(metric => metric.Name == ConsumerInstruments.Lag))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                string? partition = null;
                string? groupTag = null;
                foreach (var tag in point.Tags)
                {
                    partition = tag.Key == ConsumerInstruments.PartitionTag ? (string?)tag.Value : partition;
                    groupTag = tag.Key == ConsumerInstruments.ConsumerGroupTag ? (string?)tag.Value : groupTag;
                }

                if (groupTag == group)
                {
                    lagPoints.Add((partition!, point.GetGaugeLastValueLong()));
                }
            }
        }

        Assert.Equal(expected.OrderBy(p => p.Key.Partition.Value).Select(p => (p.Key.Partition.Value.ToString(), p.Value)), lagPoints.OrderBy(p => p.Partition));

        gate.SetResult();
        await ConsumerTestKit.WaitUntil(() => consumer.GetStatus().TotalLag == 0, "the lag falls to zero once the messages are done", () => consumer.GetStatus().TotalLag.ToString());
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context)).Status);
    }

    [Fact]
    public async Task A_consumer_stopped_by_a_fatal_error_is_unhealthy_with_the_exception_through_the_hosted_registration()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("health-hosted", 1);
        var group = "health-hosted-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, [ConsumerTestKit.Message("k", "v", "1")]);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(kit.Logs);
        builder.Services.Configure<HostOptions>(host => host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        builder.Services.AddSingleton<Reliability.DeadLetters.IDeadLetterSink>(_ => kit.DeadLetterPublisher(group));
        builder.Services.AddReliableKafkaConsumer<string, string, Hosting.HostedDeadLetterGroupTests.RejectingHandler>(options =>
        {
            options.Consumer = kit.ConsumerConfig(group);
            options.Consumer.GroupInstanceId = "static-health";
            options.Topics.Add(topic);
        }).WithHealthCheck(check => check.MaxPartitionLag = 1000, tags: ["ready"]);
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var name = "kafka-consumer:" + typeof(Hosting.HostedDeadLetterGroupTests.RejectingHandler).FullName;

        var beforeStart = (await health.CheckHealthAsync()).Entries[name];
        Assert.Equal(HealthStatus.Degraded, beforeStart.Status);

        await host.StartAsync();
        await ConsumerTestKit.WaitUntil(() => health.CheckHealthAsync().GetAwaiter().GetResult().Entries[name].Status == HealthStatus.Healthy, "the hosted consumer is healthy");
        kit.Cluster.PushRequestErrors(KafkaApi.Heartbeat, ErrorCode.FencedInstanceId, ErrorCode.FencedInstanceId, ErrorCode.FencedInstanceId);
        HealthReportEntry entry = default;
        await ConsumerTestKit.WaitUntil(() => (entry = health.CheckHealthAsync().GetAwaiter().GetResult().Entries[name]).Status == HealthStatus.Unhealthy, "the fenced consumer is unhealthy");
        await host.StopAsync().WaitAsync(ConsumerTestKit.Patience);

        Assert.Equal("Faulted", entry.Data["state"]);
        Assert.Equal("faulted", entry.Data["reasons"]);
        var fatal = Assert.IsType<KafkaException>(entry.Exception);
        Assert.True(fatal.Error.IsFatal);
        Assert.Contains("ready", entry.Tags);
    }
}

using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Health;
using KafkaAnalyzers.Reliability.Hosting;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using KafkaAnalyzers.Reliability.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaAnalyzers.Reliability.Tests.Health;

public sealed class ProducerHealthTests : IDisposable
{
    private static readonly HealthCheckContext Context = new();
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task A_backlog_that_does_not_drain_is_degraded_and_healthy_again_once_delivered()
    {
        var topic = cluster.CreateUniqueTopic("health-backlog");
        var recorder = new FailureRecorder<Null, int>();
        await using var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options());
        var check = new DeliveryTrackingProducerHealthCheck<Null, int>(producer, new DeliveryTrackingProducerHealthCheckOptions { MaxUnconfirmedAge = TimeSpan.FromMilliseconds(500) });
        await producer.ProduceAsync(topic, new Message<Null, int> { Value = -1 });
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context)).Status);

        cluster.SetBrokerDown(-1);
        for (var i = 0; i < 5; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        HealthCheckResult stuck = default;
        await ConsumerTestKit.WaitUntil(() => (stuck = check.CheckHealthAsync(Context).GetAwaiter().GetResult()).Status == HealthStatus.Degraded, "the stuck backlog is reported");
        Assert.Equal(5, stuck.Data["pending"]);
        Assert.True((double)stuck.Data["oldest_unconfirmed_seconds"] >= 0.5);
        Assert.Contains("not draining", (string)stuck.Data["reasons"], StringComparison.Ordinal);

        cluster.SetBrokerUp(-1);
        await producer.FlushAsync(TimeSpan.FromSeconds(60));
        var drained = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Healthy, drained.Status);
        Assert.Equal(-5, drained.Data["pending_change"]);
    }

    [Fact]
    public async Task A_failure_rate_above_the_threshold_is_degraded_with_the_counts()
    {
        var denied = cluster.CreateUniqueTopic("health-denied");
        var allowed = cluster.CreateUniqueTopic("health-allowed");
        cluster.SetTopicError(denied, ErrorCode.TopicAuthorizationFailed);
        var recorder = new FailureRecorder<Null, int>();
        await using var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options());
        var check = new DeliveryTrackingProducerHealthCheck<Null, int>(producer, new DeliveryTrackingProducerHealthCheckOptions { MaxFailureRatio = 0.2, MinimumOutcomes = 10 });
        for (var i = 0; i < 40; i++)
        {
            producer.Produce(i % 4 == 0 ? allowed : denied, new Message<Null, int> { Value = i });
        }

        await producer.FlushAsync(TimeSpan.FromSeconds(60));
        var result = await check.CheckHealthAsync(Context);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(30L, result.Data["window_failures"]);
        Assert.Equal(40L, result.Data["window_outcomes"]);
        Assert.Contains("30 of 40 recent deliveries failed", (string)result.Data["reasons"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fatal_or_disposed_producer_is_unhealthy_and_the_registration_finds_it_in_the_container()
    {
        var topic = cluster.CreateUniqueTopic("health-fatal");
        var recorder = new FailureRecorder<Null, int>();
        var raw = new ProducerBuilder<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers)).Build();
        var producer = new DeliveryTrackingProducer<Null, int>(raw, recorder.Options());
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(producer);
        services.AddHealthChecks().AddDeliveryTrackingProducer<Null, int>("orders-producer");
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();
        await producer.ProduceAsync(topic, new Message<Null, int> { Value = 1 });
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["orders-producer"].Status);

        producer.ObserveClientError(new Error(ErrorCode.OutOfOrderSequenceNumber, "idempotent sequence broken", isFatal: true));
        var fatal = (await health.CheckHealthAsync()).Entries["orders-producer"];
        Assert.Equal(HealthStatus.Unhealthy, fatal.Status);
        Assert.Equal("fatal", fatal.Data["reasons"]);
        Assert.Contains("OutOfOrderSequenceNumber", (string)fatal.Data["fatal_error"], StringComparison.Ordinal);

        var second = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), recorder.Options());
        await second.DisposeAsync();
        var disposed = await new DeliveryTrackingProducerHealthCheck<Null, int>(second).CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Unhealthy, disposed.Status);
        Assert.Equal("disposed", disposed.Data["reasons"]);
        await producer.DisposeAsync();
    }
}

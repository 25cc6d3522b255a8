using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.ExactlyOnce;
using KafkaAnalyzers.Reliability.Hosting;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using KafkaAnalyzers.Reliability.Tests.ExactlyOnce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Hosting;

/// <summary><c>AddExactlyOnceProcessor</c>: the processor as a hosted service, its handler per scope, its health check, host start and stop.</summary>
public sealed class HostedExactlyOnceTests(ITestOutputHelper output)
{
    private const int Inputs = 40;
    private const string Poison = "13";

    [Fact]
    public async Task A_hosted_processor_commits_each_input_once_with_a_scope_per_message_and_its_health_check_follows_it()
    {
        using var kit = new ConsumerTestKit(output);
        var input = kit.CreateTopic("hosted-eos", 2);
        var outputTopic = input + "-out";
        kit.Cluster.CreateTopic(outputTopic, 2, replicationFactor: 3);
        var group = "hosted-eos-" + Guid.NewGuid().ToString("N");
        kit.Produce(input, Enumerable.Range(0, Inputs).Select(i => ConsumerTestKit.Message($"k{i % 4}", i.ToString(), i.ToString())));
        var journal = new Journal(outputTopic);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(kit.Logs);
        builder.Services.AddSingleton(journal);
        builder.Services.AddExactlyOnceProcessor<string, string, string, string, DoublingHandler>(options =>
        {
            var settings = ExactlyOnceKit.Options(kit, input, group, "hosted-1");
            options.Consumer = settings.Consumer;
            options.Topics = settings.Topics;
            options.InstanceId = settings.InstanceId;
            options.MaxBatchSize = 10;
            options.TransactionCallTimeout = settings.TransactionCallTimeout;
            options.LagRefreshInterval = settings.LagRefreshInterval;
            options.Retry = settings.Retry;
        }).WithHealthCheck(tags: ["ready"]);
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var name = "kafka-consumer:" + typeof(DoublingHandler).FullName;
        var hosted = host.Services.GetServices<IHostedService>().OfType<IHostedKafkaConsumer>().Single();

        var beforeStart = (await health.CheckHealthAsync()).Entries[name];
        Assert.Equal(HealthStatus.Degraded, beforeStart.Status);
        Assert.Contains("ready", beforeStart.Tags);

        await host.StartAsync();
        await ConsumerTestKit.WaitUntil(
            () => ExactlyOnceKit.ReadAll(kit, outputTopic, 2, IsolationLevel.ReadCommitted).Count == 2 * (Inputs - 1),
            "every healthy input's two outputs are committed",
            () => $"{journal.Handled.Count} handled");
        await ConsumerTestKit.WaitUntil(
            () => health.CheckHealthAsync().GetAwaiter().GetResult().Entries[name].Status == HealthStatus.Healthy,
            "the running processor is healthy");
        var processor = Assert.IsType<ExactlyOnceProcessor<string, string, string, string>>(hosted.Current);
        Assert.Equal($"{group}-hosted-1", processor.TransactionalId);
        await host.StopAsync().WaitAsync(ConsumerTestKit.Patience);

        Assert.True(processor.Completion.IsCompletedSuccessfully, "host stop ends the processor without a fault");
        var afterStop = (await health.CheckHealthAsync()).Entries[name];
        Assert.Equal(HealthStatus.Unhealthy, afterStop.Status);
        Assert.Equal("Stopped", afterStop.Data["state"]);

        // Each healthy input's outputs exactly once, made by the handler of its own scope.
        var outputs = ExactlyOnceKit.ReadAll(kit, outputTopic, 2, IsolationLevel.ReadCommitted)
            .Select(result => Encoding.UTF8.GetString(result.Message.Value))
            .OrderBy(value => value, StringComparer.Ordinal)
            .ToList();
        var expected = Enumerable.Range(0, Inputs)
            .Where(i => i.ToString() != Poison)
            .SelectMany(i => new[] { $"a{i}", $"b{i}" })
            .OrderBy(value => value, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, outputs);
        Assert.True(journal.Scopes.Count >= Inputs, $"a new scope per message: {journal.Scopes.Count} handler instances for {Inputs} inputs");

        // The malformed input is dead-lettered inside a transaction, with the processor's group.
        var deadLetter = Assert.Single(ExactlyOnceKit.ReadAll(kit, input + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix, 2, IsolationLevel.ReadCommitted));
        Assert.Equal(Poison, Encoding.UTF8.GetString(deadLetter.Message.Value));
        Assert.Equal(group, DeadLetterMetadata.Read(deadLetter.Message.Headers).ConsumerGroup);
        Assert.Equal(FailureCategory.Permanent, DeadLetterMetadata.Read(deadLetter.Message.Headers).Category);
    }

    [Fact]
    public async Task A_hosted_processor_fenced_by_the_coordinator_stops_the_host_and_reports_unhealthy_with_the_error()
    {
        using var kit = new ConsumerTestKit(output);
        var input = kit.CreateTopic("hosted-eos-fenced", 1);
        var outputTopic = input + "-out";
        kit.Cluster.CreateTopic(outputTopic, 1, replicationFactor: 3);
        var group = "hosted-eos-fenced-" + Guid.NewGuid().ToString("N");
        kit.Produce(input, Enumerable.Range(0, 5).Select(i => ConsumerTestKit.Message("k", (100 + i).ToString(), i.ToString())));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(kit.Logs);
        builder.Services.AddSingleton(new Journal(outputTopic));
        builder.Services.AddExactlyOnceProcessor<string, string, string, string, DoublingHandler>(options =>
        {
            var settings = ExactlyOnceKit.Options(kit, input, group, "hosted-fenced");
            options.Consumer = settings.Consumer;
            options.Topics = settings.Topics;
            options.InstanceId = settings.InstanceId;
            options.TransactionCallTimeout = settings.TransactionCallTimeout;
        }).WithHealthCheck();
        using var host = builder.Build();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var health = host.Services.GetRequiredService<HealthCheckService>();
        kit.Cluster.PushRequestErrors(KafkaApi.EndTxn, ErrorCode.ProducerFenced);

        await host.StartAsync();
        await ConsumerTestKit.WaitUntil(() => stopping.IsCancellationRequested, "the fenced processor stops the host");
        var entry = (await health.CheckHealthAsync()).Entries["kafka-consumer:" + typeof(DoublingHandler).FullName];
        await host.StopAsync().WaitAsync(ConsumerTestKit.Patience);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("Faulted", entry.Data["state"]);
        Assert.True(Assert.IsType<KafkaException>(entry.Exception).Error.IsFatal);
        Assert.Contains(kit.Logs.Entries, e => e.Level == LogLevel.Critical && e.EventId == 1304);
        Assert.Contains(kit.Logs.Entries, e => e.Level >= LogLevel.Error && e.Exception is KafkaException { Error.IsFatal: true } && e.Category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_start_fails_on_invalid_processor_options_naming_each_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new Journal("unused"));
        builder.Services.AddExactlyOnceProcessor<string, string, string, string, DoublingHandler>(options =>
        {
            options.Consumer = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g", EnableAutoCommit = true };
            options.Topics.Add("orders");
            options.MaxBatchSize = 0;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, failure => failure.Contains("ExactlyOnceProcessorOptions.InstanceId", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("enable.auto.commit", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("ExactlyOnceProcessorOptions.MaxBatchSize", StringComparison.Ordinal));
        Assert.All(error.Failures, failure => Assert.StartsWith($"Exactly-once processor '{typeof(DoublingHandler).FullName}'", failure, StringComparison.Ordinal));
    }

    internal sealed class Journal(string outputTopic)
    {
        public string OutputTopic { get; } = outputTopic;

        public ConcurrentDictionary<string, int> Handled { get; } = new();

        public ConcurrentDictionary<DoublingHandler, byte> Scopes { get; } = new();
    }

    /// <summary>Two outputs per input; input <see cref="Poison"/> is malformed (permanent failure).</summary>
    internal sealed class DoublingHandler(Journal journal) : IExactlyOnceHandler<string, string, string, string>
    {
        public Task<IEnumerable<OutputMessage<string, string>>> HandleAsync(ConsumeResult<string, string> message, CancellationToken cancellationToken)
        {
            journal.Scopes.TryAdd(this, 0);
            journal.Handled.AddOrUpdate(message.Message.Value, 1, (_, count) => count + 1);
            if (message.Message.Value == Poison)
            {
                throw new FormatException($"{Poison} is malformed");
            }

            return Task.FromResult<IEnumerable<OutputMessage<string, string>>>([
                OutputMessage<string, string>.To(journal.OutputTopic, message.Message.Key, "a" + message.Message.Value),
                OutputMessage<string, string>.To(journal.OutputTopic, message.Message.Key, "b" + message.Message.Value)]);
        }
    }
}

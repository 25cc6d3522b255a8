using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Hosting;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Hosting;

public sealed class HostedConsumerTests(ITestOutputHelper output)
{
    private const int MessageCount = 200;
    private const int Partitions = 2;

    [Fact]
    public async Task Host_stop_finishes_in_flight_work_commits_offsets_and_closes_the_consumer()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("hosted", Partitions);
        var group = "hosted-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, MessageCount).Select(i => ConsumerTestKit.Message($"k{i % 5}", $"v{i}", i.ToString())));
        var journal = new Journal();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(kit.Logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddSingleton(journal);
        builder.Services.AddSingleton<IDeadLetterSink>(_ => new KafkaDeadLetterPublisher(kit.BootstrapServers, new KafkaDeadLetterPublisherOptions { ConsumerGroupId = group }));
        builder.Services.AddReliableKafkaConsumer<string, string, JournalHandler>(options =>
        {
            options.Consumer = kit.ConsumerConfig(group);
            options.Topics.Add(topic);
            options.MaxConcurrency = 4;
        });
        using var host = builder.Build();

        await host.StartAsync();
        await ConsumerTestKit.WaitUntil(() => journal.Handled.Count == MessageCount, "every message is handled", () => $"{journal.Handled.Count} handled");

        // One more message whose handling is still running when the host is asked to stop.
        journal.SlowId = "slow";
        kit.Produce(topic, [ConsumerTestKit.Message("k-slow", "slow", "slow")]);
        await ConsumerTestKit.WaitUntil(() => journal.SlowStarted.Task.IsCompleted, "the slow message is being handled");
        await host.StopAsync().WaitAsync(ConsumerTestKit.Patience);

        Assert.True(journal.SlowFinished, "the in-flight message finished before the consumer closed");
        Assert.Equal(1, kit.Logs.Count(1119));
        var ends = kit.EndOffsets(topic, Partitions);
        Assert.Equal(ends, kit.CommittedOffsets(group, topic, Partitions));
        Assert.Equal(MessageCount + 1, journal.Handled.Count);
        Assert.True(journal.Scopes.Count >= MessageCount, "a new scope per message");
        var service = host.Services.GetServices<IHostedService>().OfType<ReliableKafkaConsumerService<string, string, JournalHandler>>().Single();
        Assert.True(service.Consumer!.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_consumer_that_stops_on_a_fatal_error_stops_the_host()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("hosted-fatal", 1);
        var group = "hosted-fatal-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, [ConsumerTestKit.Message("k", "v", "1")]);
        var journal = new Journal();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(kit.Logs);
        builder.Services.AddSingleton(journal);
        builder.Services.AddSingleton<IDeadLetterSink, UnusedSink>();
        builder.Services.AddReliableKafkaConsumer<string, string, JournalHandler>(options =>
        {
            options.Consumer = kit.ConsumerConfig(group);
            options.Consumer.GroupInstanceId = "static-member";
            options.Topics.Add(topic);
        });
        using var host = builder.Build();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

        await host.StartAsync();
        await ConsumerTestKit.WaitUntil(() => journal.Handled.Count == 1, "the message is handled");
        kit.Cluster.PushRequestErrors(Reliability.Testing.KafkaApi.Heartbeat, ErrorCode.FencedInstanceId, ErrorCode.FencedInstanceId, ErrorCode.FencedInstanceId);
        await ConsumerTestKit.WaitUntil(() => stopping.IsCancellationRequested, "the host stops");
        await host.StopAsync().WaitAsync(ConsumerTestKit.Patience);

        Assert.Contains(kit.Logs.Entries, e => e.Level == LogLevel.Critical && e.EventId == 1114);
        Assert.Contains(kit.Logs.Entries, e => e.Level >= LogLevel.Error && e.Exception is KafkaException { Error.IsFatal: true } && e.Category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_start_fails_on_invalid_options_naming_each_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new Journal());
        builder.Services.AddSingleton<IDeadLetterSink, UnusedSink>();
        builder.Services.AddReliableKafkaConsumer<string, string, JournalHandler>(options =>
        {
            options.Consumer = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g", AutoOffsetReset = AutoOffsetReset.Earliest };
            options.Topics.Add("orders");
            options.MaxInFlight = 0;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, failure => failure.Contains("enable.auto.offset.store", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("ReliableConsumerOptions.MaxInFlight", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_dead_letter_sink_is_reported_when_the_service_is_created()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new Journal());
        services.AddReliableKafkaConsumer<string, string, JournalHandler>();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetServices<IHostedService>().ToList());

        Assert.Contains(nameof(IDeadLetterSink), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_registered_under_the_handler_name_with_a_validator_and_the_handler_is_scoped()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Journal());
        services.AddReliableKafkaConsumer<string, string, JournalHandler>(options =>
        {
            options.Consumer = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g", EnableAutoOffsetStore = false, AutoOffsetReset = AutoOffsetReset.Earliest };
            options.Topics.Add("orders");
            options.MaxConcurrency = 3;
        });
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<ReliableConsumerOptions>>().Get(typeof(JournalHandler).FullName);

        Assert.Equal(3, options.MaxConcurrency);
        Assert.Contains(provider.GetServices<IValidateOptions<ReliableConsumerOptions>>(), v => v is ReliableConsumerOptionsValidator);
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        Assert.Same(first.ServiceProvider.GetService<JournalHandler>(), first.ServiceProvider.GetService<JournalHandler>());
        Assert.NotSame(first.ServiceProvider.GetService<JournalHandler>(), second.ServiceProvider.GetService<JournalHandler>());
    }

    internal sealed class Journal
    {
        public ConcurrentDictionary<string, int> Handled { get; } = new();

        public ConcurrentDictionary<JournalHandler, byte> Scopes { get; } = new();

        public string? SlowId { get; set; }

        public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool SlowFinished;
    }

    internal sealed class JournalHandler(Journal journal) : IKafkaMessageHandler<string, string>
    {
        public async Task HandleAsync(ConsumeResult<string, string> message, CancellationToken cancellationToken)
        {
            journal.Scopes.TryAdd(this, 0);
            var id = ConsumerTestKit.IdOf(message.Message.Headers);
            if (id == journal.SlowId)
            {
                journal.SlowStarted.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                journal.SlowFinished = true;
            }

            journal.Handled.AddOrUpdate(id, 1, (_, count) => count + 1);
        }
    }

    private sealed class UnusedSink : IDeadLetterSink
    {
        public Task PublishAsync<TKey, TValue>(ConsumeResult<TKey, TValue> result, Exception exception, FailureCategory category = FailureCategory.Permanent, int attempts = 1, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("not used: the host never starts");
    }
}

using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Hosting;
using KafkaAnalyzers.Reliability.RetryTopics;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using static KafkaAnalyzers.Reliability.Tests.RetryTopics.RetryTopicKit;

namespace KafkaAnalyzers.Reliability.Tests.RetryTopics;

public sealed class HostedRetryTopicTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_hosted_consumer_uses_retry_topics_when_its_options_turn_them_on()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("hosted-retries", 2);
        kit.CreateTiers(topic, 2, tiers: 2);
        var group = "hosted-retries-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, 30).Select(i => ConsumerTestKit.Message($"k{i % 3}", $"v{i}", i.ToString())));
        var ledger = new Ledger();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(kit.Logs);
        builder.Services.AddSingleton(ledger);
        builder.Services.AddSingleton<IDeadLetterSink>(_ => new KafkaDeadLetterPublisher(kit.BootstrapServers, new KafkaDeadLetterPublisherOptions { ConsumerGroupId = group }));
        builder.Services.AddReliableKafkaConsumer<string, string, LedgerHandler>(options =>
        {
            options.Consumer = kit.ConsumerConfig(group);
            options.Topics.Add(topic);
            options.Retry.MaxAttempts = 1;
            options.UseRetryTopics(Ms(200), Ms(400));
        });
        using var host = builder.Build();

        await host.StartAsync();
        await kit.WaitUntilCommittedToEnd(group, 2, () => $"{ledger.Handled.Count} handled", topic, RetryTopicOptions.DefaultTopicName(topic, 1), RetryTopicOptions.DefaultTopicName(topic, 2));
        await host.StopAsync().WaitAsync(ConsumerTestKit.Patience);

        // Every 7th message fails once and succeeds from tier 1.
        Assert.Equal(Enumerable.Range(0, 30).ToHashSet(), ledger.Handled.Keys.ToHashSet());
        Assert.All(ledger.Handled, pair => Assert.Equal(pair.Key % 7 == 0 ? RetryTopicOptions.DefaultTopicName(topic, 1) : topic, pair.Value));
        Assert.Empty(kit.ReadAll(topic + ".dlq", 2));
    }

    [Fact]
    public async Task Host_start_fails_on_invalid_retry_topic_settings_naming_each_one()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new Ledger());
        builder.Services.AddSingleton<IDeadLetterSink>(_ => new KafkaDeadLetterPublisher("localhost:9092"));
        builder.Services.AddReliableKafkaConsumer<string, string, LedgerHandler>(options =>
        {
            options.Consumer = Reliability.Configuration.KafkaPresets.AtLeastOnceConsumer("localhost:9092", "g");
            options.Topics.Add("orders");
            options.RetryTopics.Enabled = true;
            options.RetryTopics.Delays = [];
            options.RetryTopics.AttemptsPerTier = 0;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, failure => failure.Contains("ReliableConsumerOptions.RetryTopics.Delays must list 1 to 20 tier delays", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("ReliableConsumerOptions.RetryTopics.AttemptsPerTier", StringComparison.Ordinal));
    }

    public sealed class Ledger
    {
        public ConcurrentDictionary<int, string> Handled { get; } = new();

        public ConcurrentDictionary<int, int> Calls { get; } = new();
    }

    public sealed class LedgerHandler(Ledger ledger) : IKafkaMessageHandler<string, string>
    {
        public Task HandleAsync(ConsumeResult<string, string> message, CancellationToken cancellationToken)
        {
            var id = int.Parse(ConsumerTestKit.IdOf(message.Message.Headers));
            if (ledger.Calls.AddOrUpdate(id, 1, (_, n) => n + 1) == 1 && id % 7 == 0)
            {
                throw new TimeoutException($"ledger {id} busy");
            }

            ledger.Handled[id] = message.Topic;
            return Task.CompletedTask;
        }
    }
}

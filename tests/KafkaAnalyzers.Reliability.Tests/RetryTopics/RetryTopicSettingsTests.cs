using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.RetryTopics;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Xunit.Abstractions;
using static KafkaAnalyzers.Reliability.Tests.RetryTopics.RetryTopicKit;

namespace KafkaAnalyzers.Reliability.Tests.RetryTopics;

public sealed class RetryTopicSettingsTests(ITestOutputHelper output)
{
    private static ReliableConsumerOptions Options(Action<ReliableConsumerOptions> configure)
    {
        var options = new ReliableConsumerOptions
        {
            Consumer = KafkaPresets.AtLeastOnceConsumer("localhost:9092", "billing"),
            Topics = { "orders" },
        };
        options.RetryTopics.Enabled = true;
        configure(options);
        return options;
    }

    [Theory]
    [InlineData("no delays", "RetryTopics.Delays must list 1 to 20 tier delays")]
    [InlineData("negative delay", "RetryTopics.Delays[1] must be between 10 ms and 1 day")]
    [InlineData("attempts", "RetryTopics.AttemptsPerTier must be between 1 and 100")]
    [InlineData("same name", "is 'orders.retry', the same as for ('orders', 1); every tier needs its own topic")]
    [InlineData("source name", "is 'orders', which is a source topic or a dead-letter topic")]
    [InlineData("dead-letter name", "is 'orders.dlq', which is a source topic or a dead-letter topic")]
    [InlineData("illegal name", "is 'orders retry 1', not a legal topic name")]
    [InlineData("throwing name", "RetryTopics.TopicName threw for ('orders', 1): no names today")]
    [InlineData("pattern", "needs literal topic names: a pattern subscription (^orders-.*)")]
    [InlineData("cooperative", "KeepKeyOrder needs the range assignor (partition.assignment.strategy unset or starting with 'range')")]
    [InlineData("consumer protocol", "KeepKeyOrder needs the classic group protocol")]
    [InlineData("weak producer", "RetryTopics.Producer: ")]
    [InlineData("tier attempts open the breaker", "CircuitBreaker.MinimumThroughput (5) must be greater than ReliableConsumerOptions.RetryTopics.AttemptsPerTier (5)")]
    public async Task Invalid_retry_topic_settings_are_refused_with_the_setting_named(string @case, string expected)
    {
        var options = Options(o =>
        {
            switch (@case)
            {
                case "no delays": o.RetryTopics.Delays = []; break;
                case "negative delay": o.RetryTopics.Delays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1)]; break;
                case "attempts": o.RetryTopics.AttemptsPerTier = 0; break;
                case "same name": o.RetryTopics.TopicName = (topic, _) => topic + ".retry"; break;
                case "source name": o.RetryTopics.TopicName = (topic, _) => topic; break;
                case "dead-letter name": o.RetryTopics.TopicName = (topic, tier) => tier == 1 ? topic + ".dlq" : $"{topic}.r{tier}"; break;
                case "illegal name": o.RetryTopics.TopicName = (topic, tier) => $"{topic} retry {tier}"; break;
                case "throwing name": o.RetryTopics.TopicName = (_, _) => throw new InvalidOperationException("no names today"); break;
                case "pattern": o.Topics = ["^orders-.*"]; break;
                case "cooperative": o.RetryTopics.KeepKeyOrder = true; o.Consumer.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky; break;
                case "consumer protocol": o.RetryTopics.KeepKeyOrder = true; o.Consumer.Set("group.protocol", "consumer"); break;
                case "tier attempts open the breaker": o.RetryTopics.AttemptsPerTier = 5; o.CircuitBreaker.MinimumThroughput = 5; o.Retry.MaxAttempts = 1; break;
                case "weak producer": o.RetryTopics.Producer = new ProducerConfig { BootstrapServers = "localhost:9092", Acks = Acks.Leader }; break;
            }
        });

        await using var sink = new KafkaDeadLetterPublisher("localhost:9092");
        var failure = Assert.Throws<ArgumentException>(() => new ReliableConsumer<string, string>(options, Handle, sink));

        Assert.Contains(expected, failure.Message);
    }

    [Fact]
    public void Retry_topics_off_ignore_the_retry_settings_and_the_defaults_are_valid()
    {
        var off = Options(o =>
        {
            o.RetryTopics.Enabled = false;
            o.RetryTopics.Delays = [];
        });
        var defaults = Options(_ => { });

        Assert.Empty(off.Validate());
        Assert.Empty(defaults.Validate());
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)], defaults.RetryTopics.Delays);
        Assert.Equal("orders.retry.3", defaults.RetryTopics.TopicName("orders", 3));
    }

    [Fact]
    public async Task Start_fails_naming_each_missing_tier_topic_when_creation_is_off()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("invoices", 2);
        kit.Cluster.CreateTopic(RetryTopicOptions.DefaultTopicName(topic, 1), 2, replicationFactor: 3);
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, "missing-" + Guid.NewGuid().ToString("N"), o => o.UseRetryTopics(Ms(100), Ms(200), Ms(300))),
            (_, _) => Task.CompletedTask,
            kit.DeadLetterPublisher("g"));

        var failure = Assert.Throws<InvalidOperationException>(consumer.Start);

        Assert.Contains($"Retry topics are missing on {kit.BootstrapServers}: {topic}.retry.2, {topic}.retry.3.", failure.Message);
        Assert.Contains("CreateMissingTopics", failure.Message);
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => consumer.Completion));
    }

    [Fact]
    public async Task Start_fails_clearly_when_missing_tier_topics_cannot_be_created()
    {
        // librdkafka's mock cluster has no controller for CreateTopics: the request times out, as it would for a
        // cluster that never answers it.
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("receipts", 2);
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, "create-" + Guid.NewGuid().ToString("N"), o =>
            {
                o.UseRetryTopics(Ms(100));
                o.RetryTopics.CreateMissingTopics = true;
                o.RetryTopics.TopicSetupTimeout = TimeSpan.FromSeconds(1);
            }),
            (_, _) => Task.CompletedTask,
            kit.DeadLetterPublisher("g"));

        var failure = Assert.Throws<InvalidOperationException>(consumer.Start);

        Assert.Contains($"Could not create the retry topics {topic}.retry.1 on {kit.BootstrapServers} within 1 s", failure.Message);
        Assert.Contains("Create them yourself", failure.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => consumer.Completion);
    }

    [Fact]
    public async Task A_tier_topic_whose_source_topic_is_missing_cannot_be_created_and_says_why()
    {
        using var kit = new ConsumerTestKit(output);
        var consumer = kit.Consumer<string, string>(
            kit.Options("never-created-" + Guid.NewGuid().ToString("N"), "nosource-" + Guid.NewGuid().ToString("N"), o =>
            {
                o.UseRetryTopics(Ms(100));
                o.RetryTopics.CreateMissingTopics = true;
            }),
            (_, _) => Task.CompletedTask,
            kit.DeadLetterPublisher("g"));

        var failure = Assert.Throws<InvalidOperationException>(consumer.Start);

        Assert.Contains("cannot be created because its source topic", failure.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => consumer.Completion);
    }

    private static Task Handle(ConsumeResult<string, string> message, CancellationToken cancellationToken) => Task.CompletedTask;
}

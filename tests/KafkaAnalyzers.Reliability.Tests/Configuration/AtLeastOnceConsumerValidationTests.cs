using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;

namespace KafkaAnalyzers.Reliability.Tests.Configuration;

/// <summary>Pure unit tests; building a consumer does not connect.</summary>
public sealed class AtLeastOnceConsumerValidationTests
{
    private const string Servers = "localhost:9092";

    [Fact]
    public void Preset_passes_and_builds_with_the_store_after_processing_settings()
    {
        var config = KafkaPresets.AtLeastOnceConsumer(Servers, "billing");

        Assert.Empty(KafkaConfigValidator.FindAtLeastOnceConsumerProblems(config));
        Assert.False(config.EnableAutoOffsetStore);
        Assert.True(config.EnableAutoCommit);
        Assert.Equal(AutoOffsetReset.Earliest, config.AutoOffsetReset);
        Assert.False(config.EnablePartitionEof);
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
    }

    [Fact]
    public void Defaults_are_named_as_unset()
    {
        var config = new ConsumerConfig { BootstrapServers = Servers, GroupId = "billing" };

        var problems = KafkaConfigValidator.FindAtLeastOnceConsumerProblems(config);

        Assert.Equal(["enable.auto.offset.store", "auto.offset.reset"], problems.Select(problem => problem.Key));
        Assert.StartsWith("enable.auto.offset.store (ConsumerConfig.EnableAutoOffsetStore) is not set (librdkafka default true)", problems[0].Message);
        Assert.StartsWith("auto.offset.reset (ConsumerConfig.AutoOffsetReset) is not set (librdkafka default latest)", problems[1].Message);
    }

    [Fact]
    public void Auto_commit_off_or_disabled_by_a_zero_interval_is_refused()
    {
        var off = KafkaPresets.AtLeastOnceConsumer(Servers, "g");
        off.EnableAutoCommit = false;
        var zero = KafkaPresets.AtLeastOnceConsumer(Servers, "g");
        zero.AutoCommitIntervalMs = 0;

        Assert.StartsWith("enable.auto.commit (ConsumerConfig.EnableAutoCommit) is false", Assert.Single(KafkaConfigValidator.FindAtLeastOnceConsumerProblems(off)).Message);
        Assert.StartsWith("auto.commit.interval.ms (ConsumerConfig.AutoCommitIntervalMs) is 0, which disables auto-commit", Assert.Single(KafkaConfigValidator.FindAtLeastOnceConsumerProblems(zero)).Message);
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("largest", true)]
    [InlineData("end", true)]
    [InlineData("earliest", false)]
    [InlineData("smallest", false)]
    [InlineData("beginning", false)]
    [InlineData("error", false)]
    public void Offset_reset_that_skips_messages_is_refused_under_every_spelling(string value, bool refused)
    {
        var config = KafkaPresets.AtLeastOnceConsumer(Servers, "g");
        config.Set("auto.offset.reset", value);

        var problems = KafkaConfigValidator.FindAtLeastOnceConsumerProblems(config);

        Assert.Equal(refused, problems.Any(problem => problem.Message.StartsWith($"auto.offset.reset (ConsumerConfig.AutoOffsetReset) is {value};", StringComparison.Ordinal)));
        Assert.Equal(refused ? 1 : 0, problems.Count);
    }

    [Fact]
    public void Librdkafka_boolean_spellings_are_understood()
    {
        var config = KafkaPresets.AtLeastOnceConsumer(Servers, "g");
        config.Set("enable.auto.offset.store", "F");
        config.Set("enable.auto.commit", "1");

        Assert.Empty(KafkaConfigValidator.FindAtLeastOnceConsumerProblems(config));
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
    }

    [Fact]
    public void Missing_group_is_refused_as_build_would()
    {
        var config = KafkaPresets.AtLeastOnceConsumer(Servers, "g");
        config.GroupId = null;

        Assert.StartsWith("group.id (ConsumerConfig.GroupId) is not set", Assert.Single(KafkaConfigValidator.FindAtLeastOnceConsumerProblems(config)).Message);
        Assert.Throws<ArgumentException>(() => new ConsumerBuilder<Ignore, string>(config).Build());
    }

    [Fact]
    public void Poll_interval_below_session_timeout_is_refused_as_build_would()
    {
        var config = KafkaPresets.AtLeastOnceConsumer(Servers, "g");
        config.MaxPollIntervalMs = 10_000;

        var problem = Assert.Single(KafkaConfigValidator.FindAtLeastOnceConsumerProblems(config));

        Assert.Equal("max.poll.interval.ms (ConsumerConfig.MaxPollIntervalMs) is 10000 ms, below session.timeout.ms (ConsumerConfig.SessionTimeoutMs) (45000 ms); Build() throws (max.poll.interval.ms must be >= session.timeout.ms)", problem.Message);
        var failure = Assert.Throws<InvalidOperationException>(() => new ConsumerBuilder<Ignore, string>(config).Build());
        Assert.Contains("`max.poll.interval.ms`must be >= `session.timeout.ms`", failure.Message);
    }

    [Fact]
    public void Validate_throws_with_every_problem()
    {
        var config = new ConsumerConfig { BootstrapServers = Servers };

        var refusal = Assert.Throws<KafkaConfigurationException>(() => KafkaConfigValidator.ValidateAtLeastOnceConsumer(config));

        Assert.Equal(["group.id", "enable.auto.offset.store", "auto.offset.reset"], refusal.Problems.Select(problem => problem.Key));
        Assert.StartsWith("This configuration is not safe for an at-least-once consumer (3 problems):", refusal.Message);
    }
}

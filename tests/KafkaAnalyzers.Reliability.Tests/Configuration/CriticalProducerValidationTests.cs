using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;

namespace KafkaAnalyzers.Reliability.Tests.Configuration;

/// <summary>
/// Pure unit tests (no cluster needed: building a producer does not connect). Where the validator says
/// Build() throws, the test builds the same configuration to prove it.
/// </summary>
public sealed class CriticalProducerValidationTests
{
    private const string Servers = "localhost:9092";

    [Fact]
    public void Preset_passes_and_builds()
    {
        var config = KafkaPresets.CriticalProducer(Servers);

        Assert.Empty(KafkaConfigValidator.FindCriticalProducerProblems(config));
        using var producer = new ProducerBuilder<Null, string>(config).Build();
    }

    [Fact]
    public void Preset_refuses_blank_bootstrap_servers()
    {
        Assert.Throws<ArgumentException>(() => KafkaPresets.CriticalProducer(" "));
    }

    [Fact]
    public void Acks_leader_names_key_and_property_and_build_also_throws()
    {
        var config = KafkaPresets.CriticalProducer(Servers);
        config.Acks = Acks.Leader;

        var problem = Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(config));

        Assert.StartsWith("acks (ProducerConfig.Acks) is 1; critical producers need all", problem.Message);
        Assert.Contains("Build() also throws", problem.Message);
        Assert.Equal(("acks", "ProducerConfig.Acks", "1"), (problem.Key, problem.Property, problem.Value));
        AssertBuildThrows(config, "`acks` must be set to `all`");
    }

    [Fact]
    public void Alias_set_through_Set_is_read_although_the_typed_getter_is_null()
    {
        var config = KafkaPresets.CriticalProducer(Servers);
        config.Acks = null;
        config.Set("request.required.acks", "0");
        Assert.Null(config.Acks);

        var problem = Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(config));

        Assert.StartsWith("request.required.acks (ProducerConfig.Acks) is 0;", problem.Message);
    }

    [Fact]
    public void Last_alias_applied_wins_as_in_build()
    {
        var weakLast = new ProducerConfig { BootstrapServers = Servers, EnableIdempotence = true, Acks = Acks.All };
        weakLast.Set("request.required.acks", "1");
        var strongLast = new ProducerConfig { BootstrapServers = Servers, EnableIdempotence = true };
        strongLast.Set("request.required.acks", "1");
        strongLast.Acks = Acks.All;

        Assert.Contains(KafkaConfigValidator.FindCriticalProducerProblems(weakLast), problem => problem.Key == "request.required.acks");
        AssertBuildThrows(weakLast, "`acks` must be set to `all`");
        Assert.Empty(KafkaConfigValidator.FindCriticalProducerProblems(strongLast));
        using var builds = new ProducerBuilder<Null, string>(strongLast).Build();
    }

    [Fact]
    public void Plain_dictionary_given_to_a_builder_is_validated()
    {
        var pairs = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = Servers,
            ["enable.idempotence"] = "true",
            ["retries"] = "0",
        };

        var refusal = Assert.Throws<KafkaConfigurationException>(() => KafkaConfigValidator.ValidateCriticalProducer(pairs));

        Assert.Contains("retries (ProducerConfig.MessageSendMaxRetries) is 0", refusal.Message);
        AssertBuildThrows(pairs, "`retries` must be set >= 1");
    }

    [Fact]
    public void Idempotence_left_unset_is_named_with_its_default()
    {
        var config = new ProducerConfig { BootstrapServers = Servers };

        var problem = Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(config));

        Assert.StartsWith("enable.idempotence (ProducerConfig.EnableIdempotence) is not set (librdkafka default false)", problem.Message);
        Assert.Null(problem.Value);
    }

    [Fact]
    public void Transactional_id_implies_idempotence()
    {
        var config = new ProducerConfig { BootstrapServers = Servers, TransactionalId = "payments-1" };

        Assert.Empty(KafkaConfigValidator.FindCriticalProducerProblems(config));
    }

    [Fact]
    public void Transactional_id_with_idempotence_off_is_refused_as_build_would()
    {
        var config = new ProducerConfig { BootstrapServers = Servers, TransactionalId = "payments-1", EnableIdempotence = false };

        var problems = KafkaConfigValidator.FindCriticalProducerProblems(config);

        Assert.Contains(problems, problem => problem.Message.StartsWith("transactional.id (ProducerConfig.TransactionalId) is set while enable.idempotence", StringComparison.Ordinal));
        AssertBuildThrows(config, "`transactional.id` requires `enable.idempotence=true`");
    }

    [Theory]
    [InlineData("max.in.flight")]
    [InlineData("max.in.flight.requests.per.connection")]
    public void More_than_five_in_flight_is_refused_under_either_key(string key)
    {
        var config = KafkaPresets.CriticalProducer(Servers);
        config.MaxInFlight = null;
        config.Set(key, "6");

        var problem = Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(config));

        Assert.StartsWith($"{key} (ProducerConfig.MaxInFlight) is 6; an idempotent producer allows at most 5", problem.Message);
        AssertBuildThrows(config, "`max.in.flight` must be set <= 5");
    }

    [Fact]
    public void Delivery_timeout_alias_not_above_linger_is_refused_as_build_would()
    {
        var config = KafkaPresets.CriticalProducer(Servers);
        config.MessageTimeoutMs = null;
        config.Set("delivery.timeout.ms", "15000");
        config.Set("queue.buffering.max.ms", "20000");

        var problem = Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(config));

        Assert.Equal("delivery.timeout.ms (ProducerConfig.MessageTimeoutMs) is 15000 ms, not greater than linger.ms (20000 ms); Build() throws", problem.Message);
        AssertBuildThrows(config, "`message.timeout.ms` must be greater than `linger.ms`");
    }

    [Theory]
    [InlineData(0, "is 0, which never times out")]
    [InlineData(5_000, "is 5000 ms; a critical producer needs at least 30005 ms")]
    public void Delivery_timeout_that_hides_or_causes_failures_is_refused(int timeoutMs, string expected)
    {
        var config = KafkaPresets.CriticalProducer(Servers);
        config.MessageTimeoutMs = timeoutMs;

        var problem = Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(config));

        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void Gapless_guarantee_without_idempotence_is_refused_as_build_would()
    {
        var config = new ProducerConfig { BootstrapServers = Servers, EnableIdempotence = false, EnableGaplessGuarantee = true };

        Assert.Contains(KafkaConfigValidator.FindCriticalProducerProblems(config), problem => problem.Key == "enable.gapless.guarantee");
        AssertBuildThrows(config, "`enable.gapless.guarantee` requires `enable.idempotence`");
    }

    [Fact]
    public void Delivery_reports_off_or_without_status_are_refused()
    {
        var off = KafkaPresets.CriticalProducer(Servers);
        off.EnableDeliveryReports = false;
        var noStatus = KafkaPresets.CriticalProducer(Servers);
        noStatus.DeliveryReportFields = "key,value";
        var withStatus = KafkaPresets.CriticalProducer(Servers);
        withStatus.DeliveryReportFields = "key,status";

        Assert.StartsWith("dotnet.producer.enable.delivery.reports (ProducerConfig.EnableDeliveryReports) is false", Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(off)).Message);
        Assert.StartsWith("dotnet.producer.delivery.report.fields (ProducerConfig.DeliveryReportFields) is 'key,value'", Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(noStatus)).Message);
        Assert.Empty(KafkaConfigValidator.FindCriticalProducerProblems(withStatus));
    }

    [Fact]
    public void Unparseable_value_is_refused_as_build_would()
    {
        var config = KafkaPresets.CriticalProducer(Servers);
        config.Set("acks", "most");

        var problem = Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(config));

        Assert.Equal("acks (ProducerConfig.Acks) is 'most', which librdkafka rejects (valid: all, or -1..1000)", problem.Message);
        Assert.Throws<ArgumentException>(() => new ProducerBuilder<Null, string>(config).Build());
    }

    [Fact]
    public void Missing_bootstrap_servers_is_refused_unless_a_mock_cluster_is_configured()
    {
        var missing = new ProducerConfig { EnableIdempotence = true };
        var mock = new ProducerConfig { EnableIdempotence = true };
        mock.Set("test.mock.num.brokers", "3");

        Assert.StartsWith("bootstrap.servers (ClientConfig.BootstrapServers) is not set", Assert.Single(KafkaConfigValidator.FindCriticalProducerProblems(missing)).Message);
        Assert.Empty(KafkaConfigValidator.FindCriticalProducerProblems(mock));
    }

    [Fact]
    public void Exception_lists_every_problem()
    {
        var config = new ProducerConfig { BootstrapServers = Servers, Acks = Acks.None, MessageSendMaxRetries = 0, MessageTimeoutMs = 1000 };

        var refusal = Assert.Throws<KafkaConfigurationException>(() => KafkaConfigValidator.ValidateCriticalProducer(config));

        Assert.Equal(["enable.idempotence", "acks", "message.send.max.retries", "message.timeout.ms"], refusal.Problems.Select(problem => problem.Key));
        Assert.StartsWith("This configuration is not safe for a critical producer (4 problems):", refusal.Message);
        Assert.All(refusal.Problems, problem => Assert.Contains(problem.Message, refusal.Message));
    }

    private static void AssertBuildThrows(IEnumerable<KeyValuePair<string, string>> config, string librdkafkaMessage)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new ProducerBuilder<Null, string>(config).Build());
        Assert.Contains(librdkafkaMessage, failure.Message);
    }
}

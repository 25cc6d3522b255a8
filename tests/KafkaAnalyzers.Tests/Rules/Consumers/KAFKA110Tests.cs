using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA110: consumer configurations that Build() (or Subscribe) rejects.</summary>
public class KAFKA110Tests
{
    private const string Rule = "KAFKA110";

    private static DiagnosticResult MaxPoll(int marker, long maxPoll, long session)
        => Diagnostic(Descriptors.KAFKA110_ConsumerConfigRejected).WithLocation(marker)
            .WithArguments($"Build() throws: max.poll.interval.ms ({maxPoll} ms) must not be below session.timeout.ms ({session} ms)");

    private static DiagnosticResult NoGroup(int marker)
        => Diagnostic(Descriptors.KAFKA110_ConsumerConfigRejected).WithLocation(marker)
            .WithArguments("Build() throws: this consumer configuration sets no GroupId ('group.id' configuration parameter is required)");

    [Fact]
    public Task Flags_max_poll_interval_below_the_session_timeout()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 30000, {|#0:MaxPollIntervalMs = 10000|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, MaxPoll(0, 10000, 30000));

    [Fact]
    public Task Flags_max_poll_interval_below_the_default_session_timeout()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    var config = new Dictionary<string, string> { ["group.id"] = "g", {|#0:["max.poll.interval.ms"] = "20000"|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, MaxPoll(0, 20000, 45000));

    [Fact]
    public Task Flags_a_consumer_configuration_without_a_group_id()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    var config = {|#0:new ConsumerConfig { BootstrapServers = "b:9092", EnableAutoCommit = false }|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Assign(new TopicPartitionOffset("t", 0, Offset.Beginning));
                }
            }
            """, NoGroup(0));

    [Fact]
    public Task Flags_an_empty_group_id_on_a_subscribing_consumer()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { BootstrapServers = "b:9092", {|#0:GroupId = ""|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("t");
                }
            }
            """, Diagnostic(Descriptors.KAFKA110_ConsumerConfigRejected).WithLocation(0).WithArguments("Subscribe fails: this consumer subscribes with an empty GroupId"));

    [Fact]
    public Task Fix_raises_the_max_poll_interval_to_the_session_timeout()
        => VerifyFixAsync(Rule, """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 30000, {|#0:MaxPollIntervalMs = 10000|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, new[] { MaxPoll(0, 10000, 30000) }, """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 30000, MaxPollIntervalMs = 30000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_adds_a_max_poll_interval_when_only_the_session_timeout_is_set_above_the_default()
        => VerifyFixAsync(Rule, """
            class Service
            {
                void Run()
                {
                    var config = {|#1:new ConsumerConfig { GroupId = "g", {|#0:SessionTimeoutMs = 600000|} }|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, new[] { MaxPoll(0, 300000, 600000).WithLocation(1) }, """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 600000, MaxPollIntervalMs = 600000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_for_library_defaults()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" }).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_max_poll_equals_the_session_timeout()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 30000, MaxPollIntervalMs = 30000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_group_id_comes_from_configuration()
        => VerifyAsync(Rule, """
            using Microsoft.Extensions.Configuration;

            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig { BootstrapServers = "b:9092" };
                    configuration.GetSection("Kafka").Bind(config);
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_group_id_is_set_later()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(string group)
                {
                    var config = new ConsumerConfig { BootstrapServers = "b:9092" };
                    config.GroupId = group;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_configuration_is_returned_rather_than_built()
        => VerifyAsync(Rule, """
            class Settings
            {
                public static ConsumerConfig Base() => new ConsumerConfig { BootstrapServers = "b:9092" };
            }
            """);

    [Fact]
    public Task Silent_for_an_empty_group_id_on_a_manually_assigned_consumer()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "" }).Build();
                    consumer.Assign(new TopicPartitionOffset("t", 0, Offset.Beginning));
                }
            }
            """);

    [Fact]
    public Task Silent_for_the_next_generation_group_protocol()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", MaxPollIntervalMs = 10000 };
                    config.Set("group.protocol", "consumer");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    /// <summary>
    /// confluent-kafka-dotnet test/Confluent.Kafka.UnitTests/Consumer.cs:32: the test checks that a consumer
    /// without group.id does not build. Build() inside a lambda handed to Assert.Throws is meant to be rejected.
    /// </summary>
    [Fact]
    public Task Silent_inside_Assert_Throws_confluent_UnitTests_Consumer_Constructor()
        => VerifyAsync(Rule, """
            public static class Assert
            {
                public static T Throws<T>(Action testCode) where T : Exception => throw new InvalidOperationException();
                public static T Throws<T>(Func<object> testCode) where T : Exception => throw new InvalidOperationException();
                public static void Contains(string expected, string actual) { }
            }

            public class ConsumerTests
            {
                public void Constructor()
                {
                    var config = new ConsumerConfig();
                    var e = Assert.Throws<ArgumentException>(() => { var c = new ConsumerBuilder<byte[], byte[]>(config).Build(); });
                    Assert.Contains("group.id", e.Message);
                    Assert.Throws<ArgumentException>(() => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 30000, MaxPollIntervalMs = 10000 }).Build());
                }
            }
            """);

    /// <summary>The twin of the Assert.Throws test: the same configurations built outside an assertion, or in a lambda handed to something else, still report.</summary>
    [Fact]
    public Task Flags_the_same_configurations_outside_a_throws_assertion()
        => VerifyAsync(Rule, """
            public static class Assert
            {
                public static void Contains(string expected, string actual) { }
            }

            public class ConsumerTests
            {
                public void Constructor()
                {
                    var config = {|#0:new ConsumerConfig()|};
                    var c = new ConsumerBuilder<byte[], byte[]>(config).Build();
                    Task.Run(() => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 30000, {|#1:MaxPollIntervalMs = 10000|} }).Build());
                }
            }
            """, NoGroup(0), MaxPoll(1, 10000, 30000));

    [Fact]
    public Task Silent_for_producer_configurations()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run()
                {
                    using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = "b:9092", EnableIdempotence = true }).Build();
                }
            }
            """);
}

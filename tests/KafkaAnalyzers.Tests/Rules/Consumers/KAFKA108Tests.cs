using KafkaAnalyzers.CodeFixes.Consumers;
using KafkaAnalyzers.Consumers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using VerifyCS = KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Consumers.ConsumerConfigurationAnalyzer, KafkaAnalyzers.CodeFixes.Consumers.ConsumerConfigurationCodeFixProvider>;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA108: session.timeout.ms less than three heartbeat intervals.</summary>
public class KAFKA108Tests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using Confluent.Kafka;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Options;

        """;

    private static DiagnosticResult Expected(int marker, long session, long heartbeat)
        => VerifyCS.Diagnostic(Descriptors.KAFKA108_HeartbeatNotAThirdOfSession).WithLocation(marker).WithArguments(session.ToString(), heartbeat.ToString());

    /// <summary>Reported at the session write, with the configuration creation the fix adds the heartbeat to.</summary>
    private static DiagnosticResult Expected(int marker, long session, long heartbeat, int creationMarker)
        => Expected(marker, session, heartbeat).WithLocation(creationMarker);

    /// <summary>The diagnostic is reported and no fix is offered.</summary>
    private static async Task VerifyNoFix(string body, params DiagnosticResult[] expected)
    {
        var test = new Verifiers.CSharpCodeFixVerifier<ConsumerConfigurationAnalyzer, ConsumerConfigurationCodeFixProvider>.Test
        {
            TestCode = Usings + body,
            FixedCode = Usings + body,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static Task Verify(string body, params DiagnosticResult[] expected) => VerifyCS.VerifyAnalyzerAsync(Usings + body, expected);

    private static Task VerifyFix(string body, DiagnosticResult[] expected, string fixedBody)
        => VerifyCS.VerifyCodeFixAsync(Usings + body, expected, Usings + fixedBody);

    // ---- test code that expects Build() to throw --------------------------------------------------

    /// <summary>A configuration built inside Assert.Throws (confluent-kafka-dotnet's UnitTests shape) never runs: silent, as KAFKA110.</summary>
    [Fact]
    public Task Silent_inside_Assert_Throws()
        => Verify("""
            public static class Assert
            {
                public static T Throws<T>(Func<object> testCode) where T : Exception => throw new InvalidOperationException();
            }

            public class ConsumerTests
            {
                public void Rejects_a_consumer_without_group()
                {
                    Assert.Throws<ArgumentException>(() => new ConsumerBuilder<string, string>(new ConsumerConfig { SessionTimeoutMs = 6000, HeartbeatIntervalMs = 3000 }).Build());
                }
            }
            """);

    /// <summary>The twin of <see cref="Silent_inside_Assert_Throws"/>: the same configuration in a lambda handed to something else still reports.</summary>
    [Fact]
    public Task Flags_the_same_configuration_in_a_lambda_that_is_not_a_throws_assertion()
        => Verify("""
            public class ConsumerTests
            {
                public void Starts_a_consumer()
                {
                    System.Threading.Tasks.Task.Run(() => new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 3000|} }).Build());
                }
            }
            """, Expected(0, 6000, 3000));

    // ---- positives ------------------------------------------------------------------------------

    [Fact]
    public Task Flags_heartbeat_in_object_initializer()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { BootstrapServers = "b:9092", GroupId = "g", SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 3000|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task Flags_heartbeat_assigned_after_creation()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.SessionTimeoutMs = 10000;
                    {|#0:config.HeartbeatIntervalMs = 5000|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 10000, 5000));

    [Fact]
    public Task Flags_heartbeat_above_a_third_of_the_default_session_timeout()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", {|#0:HeartbeatIntervalMs = 20000|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 45000, 20000));

    [Fact]
    public Task Flags_session_timeout_below_three_default_heartbeats_at_the_session_write()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = {|#1:new ConsumerConfig { GroupId = "g", {|#0:SessionTimeoutMs = 6000|} }|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000, 1));

    [Fact]
    public Task Flags_half_the_session_timeout()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 30000, {|#0:HeartbeatIntervalMs = 15000|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 30000, 15000));

    [Fact]
    public Task Flags_one_millisecond_short_of_three_heartbeats()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 8999, {|#0:HeartbeatIntervalMs = 3000|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 8999, 3000));

    [Fact]
    public Task Flags_string_keys_set_on_the_config()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.Set("session.timeout.ms", "6000");
                    {|#0:config.Set("heartbeat.interval.ms", "2500")|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 2500));

    [Fact]
    public Task Flags_dictionary_with_indexer_initializer()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string>
                    {
                        ["group.id"] = "g",
                        ["session.timeout.ms"] = "10000",
                        {|#0:["heartbeat.interval.ms"] = "4000"|},
                    };
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """, Expected(0, 10000, 4000));

    [Fact]
    public Task Flags_dictionary_collection_initializer_and_add()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { { "group.id", "g" }, { "session.timeout.ms", "7000" } };
                    {|#0:settings.Add("heartbeat.interval.ms", "3000")|};
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """, Expected(0, 7000, 3000));

    [Fact]
    public Task Flags_key_value_pair_list()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var pairs = new List<KeyValuePair<string, string>>
                    {
                        new("group.id", "g"),
                        KeyValuePair.Create("session.timeout.ms", "6000"),
                        {|#0:new KeyValuePair<string, string>("heartbeat.interval.ms", "5000")|},
                    };
                    using var consumer = new ConsumerBuilder<string, string>(pairs).Build();
                }
            }
            """, Expected(0, 6000, 5000));

    [Fact]
    public Task Flags_wrapped_dictionary()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "g" };
                    var config = new ConsumerConfig(settings) { SessionTimeoutMs = 6000 };
                    {|#0:settings["heartbeat.interval.ms"] = "3000"|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task Flags_field_config_set_up_in_the_constructor()
        => Verify("""
            class Service
            {
                private readonly ConsumerConfig _config;

                public Service(IConfiguration configuration)
                {
                    _config = new ConsumerConfig { BootstrapServers = configuration["Kafka:Servers"], GroupId = "orders" };
                    _config.SessionTimeoutMs = 6000;
                    {|#0:_config.HeartbeatIntervalMs = 3000|};
                }

                public IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(_config).Build();
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task Flags_field_initializer_in_a_background_service()
        => Verify("""
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Hosting;

            sealed class OrdersWorker : BackgroundService
            {
                private readonly ConsumerConfig _config = {|#1:new()
                {
                    GroupId = "orders",
                    {|#0:SessionTimeoutMs = 5000|},
                }|};

                protected override Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    using var consumer = new ConsumerBuilder<string, string>(_config).Build();
                    return Task.CompletedTask;
                }
            }
            """, Expected(0, 5000, 3000, 1));

    [Fact]
    public Task Flags_config_copied_from_a_shared_client_config()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var shared = new ClientConfig { BootstrapServers = "b:9092" };
                    var config = new ConsumerConfig(shared) { GroupId = "g", SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 2500|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 2500));

    [Fact]
    public Task Flags_settings_inherited_through_a_copy()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var baseline = new ConsumerConfig { SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 3000|} };
                    var config = new ConsumerConfig(baseline) { GroupId = "g" };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task Flags_config_returned_from_a_static_factory_when_both_are_written()
        => Verify("""
            static class KafkaConfigs
            {
                public static ConsumerConfig Orders() => new ConsumerConfig { GroupId = "orders", SessionTimeoutMs = 10000, {|#0:HeartbeatIntervalMs = 5000|} };
            }
            """, Expected(0, 10000, 5000));

    [Fact]
    public Task Flags_consumer_built_in_a_DI_registration_lambda()
        => Verify("""
            class Registration
            {
                public Func<IServiceProvider, IConsumer<string, string>> Factory(IConfiguration configuration) => _ =>
                {
                    var config = {|#1:new ConsumerConfig
                    {
                        BootstrapServers = configuration["Kafka:BootstrapServers"],
                        GroupId = configuration["Kafka:GroupId"],
                        {|#0:SessionTimeoutMs = 6000|},
                    }|};
                    return new ConsumerBuilder<string, string>(config).Build();
                };
            }
            """, Expected(0, 6000, 3000, 1));

    [Fact]
    public Task Flags_constant_values()
        => Verify("""
            class Service
            {
                private const int SessionMs = 6000;
                private const int HeartbeatMs = SessionMs / 2;

                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = SessionMs, {|#0:HeartbeatIntervalMs = HeartbeatMs|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task Flags_once_when_one_config_reaches_two_consumers()
        => Verify("""
            class Service
            {
                private readonly ConsumerConfig _config = new() { GroupId = "g", SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 3000|} };

                public IConsumer<string, string> First() => new ConsumerBuilder<string, string>(_config).Build();

                public IConsumer<byte[], byte[]> Second() => new ConsumerBuilder<byte[], byte[]>(_config).Build();
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task Flags_consumer_built_from_a_client_config()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ClientConfig { BootstrapServers = "b:9092" };
                    config.Set("group.id", "g");
                    {|#0:config.Set("session.timeout.ms", "6000")|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task Flags_when_group_protocol_is_explicitly_classic()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", GroupProtocol = GroupProtocol.Classic, SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 3000|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public async Task Flags_top_level_statements()
    {
        var test = new Verifiers.CSharpAnalyzerVerifier<ConsumerConfigurationAnalyzer>.Test
        {
            TestCode = Usings + """
                var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 3000|} };
                using var consumer = new ConsumerBuilder<string, string>(config).Build();
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Expected(0, 6000, 3000));
        await test.RunAsync();
    }

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_session_is_exactly_three_heartbeats()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 9000, HeartbeatIntervalMs = 3000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_with_librdkafka_defaults()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { BootstrapServers = "b:9092", GroupId = "g" };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_session_timeout_raised_above_default_heartbeats()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 30000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_heartbeat_lowered_below_a_third_of_default_session()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", HeartbeatIntervalMs = 1000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_config_bound_from_configuration()
        => Verify("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig { SessionTimeoutMs = 6000, HeartbeatIntervalMs = 3000 };
                    configuration.GetSection("Kafka").Bind(config);
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_heartbeat_unset_on_a_config_bound_from_configuration()
        => Verify("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = configuration.GetSection("Kafka").Get<ConsumerConfig>()!;
                    config.SessionTimeoutMs = 6000;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_heartbeat_read_from_configuration()
        => Verify("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 6000, HeartbeatIntervalMs = configuration.GetValue<int>("Kafka:HeartbeatMs") };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_session_read_from_an_environment_variable()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", HeartbeatIntervalMs = 3000 };
                    config.SessionTimeoutMs = int.Parse(Environment.GetEnvironmentVariable("KAFKA_SESSION_TIMEOUT_MS") ?? "45000");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_config_is_a_parameter()
        => Verify("""
            class Service
            {
                IConsumer<string, string> Create(ConsumerConfig config)
                {
                    config.SessionTimeoutMs = 6000;
                    return new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_config_comes_from_options()
        => Verify("""
            class Service
            {
                private readonly IOptions<ConsumerConfig> _options;

                public Service(IOptions<ConsumerConfig> options) => _options = options;

                public IConsumer<string, string> Create()
                {
                    _options.Value.HeartbeatIntervalMs = 20000;
                    return new ConsumerBuilder<string, string>(_options.Value).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_session_written_on_some_paths_only()
        => Verify("""
            class Service
            {
                void Run(bool lowLatency)
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    if (lowLatency)
                    {
                        config.SessionTimeoutMs = 6000;
                    }

                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_session_chosen_by_a_conditional_expression()
        => Verify("""
            class Service
            {
                void Run(bool lowLatency)
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = lowLatency ? 6000 : 45000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_only_the_session_is_set_on_a_config_handed_off()
        => Verify("""
            static class KafkaConfigs
            {
                public static ConsumerConfig Orders() => new ConsumerConfig { GroupId = "orders", SessionTimeoutMs = 6000 };
            }
            """);

    [Fact]
    public Task Silent_when_config_is_passed_to_unknown_code_before_the_builder()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 6000 };
                    ApplyOverrides(config);
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }

                static void ApplyOverrides(ConsumerConfig config) => config.HeartbeatIntervalMs = 1000;
            }
            """);

    [Fact]
    public Task Silent_when_config_comes_from_a_helper_method()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = Create();
                    config.SessionTimeoutMs = 6000;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }

                static ConsumerConfig Create() => new() { GroupId = "g", HeartbeatIntervalMs = 1000 };
            }
            """);

    [Fact]
    public Task Silent_when_field_config_is_retuned_outside_the_constructor()
        => Verify("""
            class Service
            {
                private readonly ConsumerConfig _config = new() { GroupId = "g", SessionTimeoutMs = 6000, HeartbeatIntervalMs = 3000 };

                public void Tune() => _config.HeartbeatIntervalMs = 1000;

                public IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(_config).Build();
            }
            """);

    [Fact]
    public Task Silent_when_dictionary_filled_from_a_loop()
        => Verify("""
            class Service
            {
                void Run(IDictionary<string, string> overrides)
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "g", ["session.timeout.ms"] = "6000" };
                    foreach (var pair in overrides)
                    {
                        settings[pair.Key] = pair.Value;
                    }

                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_the_next_generation_group_protocol()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", GroupProtocol = GroupProtocol.Consumer, SessionTimeoutMs = 6000, HeartbeatIntervalMs = 3000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_the_next_generation_group_protocol_set_by_key()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "g", ["group.protocol"] = "CONSUMER", ["heartbeat.interval.ms"] = "20000" };
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_producer_configuration()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { BootstrapServers = "b:9092" };
                    config.Set("session.timeout.ms", "6000");
                    config.Set("heartbeat.interval.ms", "3000");
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_an_admin_client_configuration()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "b:9092", ["session.timeout.ms"] = "6000" };
                    using var admin = new AdminClientBuilder(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_values_librdkafka_rejects()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "g", ["session.timeout.ms"] = "six seconds", ["heartbeat.interval.ms"] = "3000" };
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 0 };
                    using var other = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_public_field_config()
        => Verify("""
            class Service
            {
                public ConsumerConfig Config = new() { GroupId = "g", SessionTimeoutMs = 6000 };

                public IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(Config).Build();
            }
            """);

    [Fact]
    public Task Silent_when_an_unset_heartbeat_meets_a_config_from_an_options_class()
        => Verify("""
            sealed class KafkaOptions
            {
                public string BootstrapServers { get; set; } = "";
                public int SessionTimeoutMs { get; set; } = 6000;
            }

            class Service
            {
                private readonly KafkaOptions _options;

                public Service(IOptions<KafkaOptions> options) => _options = options.Value;

                public IConsumer<string, string> Create()
                {
                    var config = new ConsumerConfig { BootstrapServers = _options.BootstrapServers, GroupId = "g", SessionTimeoutMs = _options.SessionTimeoutMs };
                    return new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_a_later_write_fixes_the_heartbeat()
        => Verify("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 6000, HeartbeatIntervalMs = 3000 };
                    config.HeartbeatIntervalMs = 2000;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_shared_template_whose_copy_lowers_the_heartbeat()
        => Verify("""
            class Service
            {
                private static readonly ConsumerConfig Template = new() { SessionTimeoutMs = 6000, HeartbeatIntervalMs = 3000 };

                public IConsumer<string, string> Create()
                {
                    var config = new ConsumerConfig(Template) { GroupId = "g", HeartbeatIntervalMs = 2000 };
                    return new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Flags_a_shared_template_that_is_also_handed_out()
        => Verify("""
            class Service
            {
                private static readonly ConsumerConfig Template = new() { SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 3000|} };

                public static ConsumerConfig Defaults => Template;

                public IConsumer<string, string> Create()
                {
                    var config = new ConsumerConfig(Template) { GroupId = "g", HeartbeatIntervalMs = 2000 };
                    return new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    // ---- fixes ----------------------------------------------------------------------------------

    [Fact]
    public Task Fix_sets_the_typed_heartbeat_to_a_third_of_the_session_keeping_comments()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SessionTimeoutMs = 10000, // tuned for fast failover
                        // keep heartbeats frequent
                        {|#0:HeartbeatIntervalMs = 5000|}, // was 5 s
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { Expected(0, 10000, 5000) },
            """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SessionTimeoutMs = 10000, // tuned for fast failover
                        // keep heartbeats frequent
                        HeartbeatIntervalMs = 3333, // was 5 s
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_sets_a_string_key_heartbeat_as_a_string()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.Set("session.timeout.ms", "6000");
                    {|#0:config.Set("heartbeat.interval.ms", "2500")|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { Expected(0, 6000, 2500) },
            """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.Set("session.timeout.ms", "6000");
                    config.Set("heartbeat.interval.ms", "2000");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_lowers_a_heartbeat_against_the_default_session_timeout()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "g", {|#0:["heartbeat.interval.ms"] = "20000"|} };
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """,
            new[] { Expected(0, 45000, 20000) },
            """
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "g", ["heartbeat.interval.ms"] = "15000" };
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_adds_the_heartbeat_to_the_config_initializer_when_it_is_unset()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var config = {|#1:new ConsumerConfig
                    {
                        GroupId = "g",
                        {|#0:SessionTimeoutMs = 6000|}, // fast failover
                    }|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { Expected(0, 6000, 3000, 1) },
            """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SessionTimeoutMs = 6000, // fast failover
                        HeartbeatIntervalMs = 2000,
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_adds_an_initializer_when_the_config_has_none()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var config = {|#1:new ConsumerConfig()|};
                    config.GroupId = "g";
                    {|#0:config.SessionTimeoutMs = 7500|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { Expected(0, 7500, 3000, 1) },
            """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { HeartbeatIntervalMs = 2500 };
                    config.GroupId = "g";
                    config.SessionTimeoutMs = 7500;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_adds_the_heartbeat_key_to_a_dictionary()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var settings = {|#1:new Dictionary<string, string> { { "group.id", "g" } }|};
                    {|#0:settings["session.timeout.ms"] = "6000"|};
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """,
            new[] { Expected(0, 6000, 3000, 1) },
            """
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { { "group.id", "g" }, { "heartbeat.interval.ms", "2000" } };
                    settings["session.timeout.ms"] = "6000";
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_adds_the_heartbeat_to_a_field_config()
        => VerifyFix("""
            class Service
            {
                private readonly ConsumerConfig _config = {|#1:new() { GroupId = "g", {|#0:SessionTimeoutMs = 6000|} }|};

                public IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(_config).Build();
            }
            """,
            new[] { Expected(0, 6000, 3000, 1) },
            """
            class Service
            {
                private readonly ConsumerConfig _config = new() { GroupId = "g", SessionTimeoutMs = 6000, HeartbeatIntervalMs = 2000 };

                public IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(_config).Build();
            }
            """);

    [Fact]
    public Task No_fix_when_the_heartbeat_cannot_be_added_to_a_pair_list()
        => VerifyNoFix("""
            class Service
            {
                void Run()
                {
                    var pairs = new List<KeyValuePair<string, string>> { new("group.id", "g"), {|#0:new("session.timeout.ms", "6000")|} };
                    using var consumer = new ConsumerBuilder<string, string>(pairs).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task No_fix_when_the_config_type_has_no_heartbeat_property()
        => VerifyNoFix("""
            class Service
            {
                void Run()
                {
                    var config = new ClientConfig();
                    config.Set("group.id", "g");
                    {|#0:config.Set("session.timeout.ms", "6000")|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task No_fix_when_a_later_null_removed_the_heartbeat()
        => VerifyNoFix("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", {|#0:SessionTimeoutMs = 6000|}, HeartbeatIntervalMs = 2000 };
                    config.HeartbeatIntervalMs = null;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, 6000, 3000));

    [Fact]
    public Task Fix_all_corrects_every_consumer_in_the_document()
        => VerifyFix("""
            class Service
            {
                private readonly ConsumerConfig _orders = new() { GroupId = "orders", SessionTimeoutMs = 6000, {|#0:HeartbeatIntervalMs = 3000|} };

                public IConsumer<string, string> Orders() => new ConsumerBuilder<string, string>(_orders).Build();

                public IConsumer<string, string> Payments()
                {
                    var config = {|#3:new ConsumerConfig { GroupId = "payments", {|#1:SessionTimeoutMs = 8000|} }|};
                    return new ConsumerBuilder<string, string>(config).Build();
                }

                public IConsumer<string, string> Audit()
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "audit", {|#2:["heartbeat.interval.ms"] = "16000"|} };
                    return new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """,
            new[] { Expected(0, 6000, 3000), Expected(1, 8000, 3000, 3), Expected(2, 45000, 16000) },
            """
            class Service
            {
                private readonly ConsumerConfig _orders = new() { GroupId = "orders", SessionTimeoutMs = 6000, HeartbeatIntervalMs = 2000 };

                public IConsumer<string, string> Orders() => new ConsumerBuilder<string, string>(_orders).Build();

                public IConsumer<string, string> Payments()
                {
                    var config = new ConsumerConfig { GroupId = "payments", SessionTimeoutMs = 8000, HeartbeatIntervalMs = 2666 };
                    return new ConsumerBuilder<string, string>(config).Build();
                }

                public IConsumer<string, string> Audit()
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "audit", ["heartbeat.interval.ms"] = "15000" };
                    return new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """);
}

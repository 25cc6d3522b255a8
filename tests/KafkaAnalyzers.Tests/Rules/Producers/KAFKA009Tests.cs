using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.ProducerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA009: retries disabled, or a delivery timeout too short to retry within.</summary>
public class KAFKA009Tests
{
    private static readonly string[] Rule = { "KAFKA009" };

    private static readonly string[] AllRules = { "KAFKA001", "KAFKA002", "KAFKA003", "KAFKA009" };

    private const string RequestTimeoutHint = "remove the override, or lower request.timeout.ms so a retry fits";

    private static DiagnosticResult TooLow(int location, string why, string fix = "remove the override")
        => Diagnostic(Descriptors.KAFKA009_RetriesOrTimeoutTooLow).WithLocation(location).WithArguments(why, fix);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync(Rule, ProducerSources.Usings + source, expected);

    private static Task VerifyInRun(string body, params DiagnosticResult[] expected) => Verify($$"""
        class Service
        {
            void Run()
            {
        {{body}}
            }
        }
        """, expected);

    // ---- retries disabled -----------------------------------------------------------------------

    [Fact]
    public Task Flags_retries_zero_in_object_initializer() => VerifyInRun("""
        var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:MessageSendMaxRetries = 0|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"));

    [Fact]
    public Task Flags_retries_zero_assigned_after_creation() => VerifyInRun("""
        var config = new ProducerConfig { MessageSendMaxRetries = 5 };
        {|#0:config.MessageSendMaxRetries = 0|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"));

    [Fact]
    public Task Flags_retries_alias_zero_with_set() => VerifyInRun("""
        var config = new ProducerConfig();
        {|#0:config.Set("retries", "0")|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, TooLow(0, "'retries' is 0, so nothing is retried"));

    [Fact]
    public Task Flags_message_send_max_retries_zero_in_dictionary() => VerifyInRun("""
        var settings = new Dictionary<string, string> { { "bootstrap.servers", "localhost:9092" }, {|#0:{ "message.send.max.retries", "0" }|} };
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """, TooLow(0, "'message.send.max.retries' is 0, so nothing is retried"));

    [Fact]
    public Task Flags_retries_zero_in_pair_array() => VerifyInRun("""
        var settings = new[] { new KeyValuePair<string, string>("bootstrap.servers", "localhost:9092"), {|#0:new KeyValuePair<string, string>("retries", "0")|} };
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """, TooLow(0, "'retries' is 0, so nothing is retried"));

    [Fact]
    public Task Flags_retries_zero_when_idempotence_is_unknown() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig();
                configuration.GetSection("Kafka").Bind(config);
                {|#0:config.MessageSendMaxRetries = 0|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"));

    // ---- delivery timeout too short -------------------------------------------------------------

    [Fact]
    public Task Flags_message_timeout_below_default_request_timeout_plus_linger() => VerifyInRun("""
        var config = new ProducerConfig { {|#0:MessageTimeoutMs = 20000|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, TooLow(0, "MessageTimeoutMs is 20000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint));

    [Fact]
    public Task Flags_delivery_timeout_alias_in_dictionary() => VerifyInRun("""
        var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092" };
        {|#0:settings["delivery.timeout.ms"] = "5000"|};
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """, TooLow(0, "'delivery.timeout.ms' is 5000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint));

    [Fact]
    public Task Flags_message_timeout_below_explicit_request_timeout_plus_linger() => VerifyInRun("""
        var config = new ProducerConfig { RequestTimeoutMs = 60000, LingerMs = 100 };
        {|#0:config.Set("message.timeout.ms", "45000")|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, TooLow(0, "'message.timeout.ms' is 45000 ms, less than one request timeout plus linger (60100 ms)", RequestTimeoutHint));

    [Fact]
    public Task Flags_message_timeout_under_ten_seconds_with_short_request_timeout() => VerifyInRun("""
        var config = new ProducerConfig { RequestTimeoutMs = 1000, {|#0:MessageTimeoutMs = 5000|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, TooLow(0, "MessageTimeoutMs is 5000 ms, under 10 seconds"));

    [Fact]
    public Task Flags_message_timeout_under_ten_seconds_when_request_timeout_is_unknown() => Verify("""
        class Service
        {
            void Run(IOptions<ProducerConfig> options)
            {
                var config = new ProducerConfig(options.Value) { {|#0:MessageTimeoutMs = 2000|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, TooLow(0, "MessageTimeoutMs is 2000 ms, under 10 seconds"));

    [Fact]
    public Task Flags_retries_and_timeout_together() => VerifyInRun("""
        var config = new ProducerConfig
        {
            BootstrapServers = "localhost:9092",
            {|#0:MessageSendMaxRetries = 0|},
            {|#1:MessageTimeoutMs = 1000|},
        };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """,
        TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"),
        TooLow(1, "MessageTimeoutMs is 1000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint));

    [Fact]
    public Task Flags_delivery_timeout_chosen_under_an_upstream_deadline_in_a_registration_lambda() => VerifyAsync(Rule, ProducerSources.Usings + """
        var services = (IServiceCollection)null!;
        services.AddSingleton(sp =>
        {
            var config = new ProducerConfig
            {
                BootstrapServers = "localhost:9092",
                Acks = Acks.All,
                EnableIdempotence = true,
                LingerMs = 20,
                // must stay under the caller's 30 s upload deadline
                {|#0:MessageTimeoutMs = 20_000|},
                MessageSendMaxRetries = 10,
            };
            return new ProducerBuilder<string, string>(config).Build();
        });
        """, editorConfig: null, OutputKind.ConsoleApplication,
        TooLow(0, "MessageTimeoutMs is 20000 ms, less than one request timeout plus linger (30020 ms)", RequestTimeoutHint));

    [Fact]
    public Task Silent_for_delivery_timeout_under_a_deadline_when_request_timeout_leaves_room_to_retry() => VerifyInRun("""
        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            LingerMs = 20,
            RequestTimeoutMs = 5000,
            MessageTimeoutMs = 20_000,
        };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    // ---- where the configuration lives ----------------------------------------------------------

    [Fact]
    public Task Flags_field_config_set_up_in_constructor() => Verify("""
        sealed class AuditPublisher
        {
            private readonly ProducerConfig _config;

            public AuditPublisher()
            {
                _config = new ProducerConfig { BootstrapServers = "localhost:9092", EnableIdempotence = true };
                {|#0:_config.MessageTimeoutMs = 3000|};
            }

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """, TooLow(0, "MessageTimeoutMs is 3000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint));

    [Fact]
    public Task Flags_static_field_config() => Verify("""
        static class Producers
        {
            private static readonly ProducerConfig Config = new() { BootstrapServers = "localhost:9092", {|#0:MessageSendMaxRetries = 0|} };

            public static IProducer<string, string> Create() => new ProducerBuilder<string, string>(Config).Build();
        }
        """, TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"));

    [Fact]
    public Task Flags_in_dependency_injection_registration_lambda() => Verify("""
        static class KafkaRegistration
        {
            public static IServiceCollection AddAuditProducer(this IServiceCollection services)
                => services.AddSingleton(_ =>
                {
                    var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                    {|#0:config.Set("delivery.timeout.ms", "1000")|};
                    return new ProducerBuilder<string, string>(config).Build();
                });
        }
        """, TooLow(0, "'delivery.timeout.ms' is 1000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint));

    [Fact]
    public Task Flags_in_background_service() => Verify("""
        sealed class AuditPublisher : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:MessageSendMaxRetries = 0|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                await producer.ProduceAsync("audit", new Message<string, string> { Value = "started" }, stoppingToken);
            }
        }
        """, TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"));

    [Fact]
    public Task Flags_in_top_level_statements() => VerifyAsync(Rule, ProducerSources.Usings + """
        var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:MessageTimeoutMs = 500|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, editorConfig: null, OutputKind.ConsoleApplication, TooLow(0, "MessageTimeoutMs is 500 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint));

    [Fact]
    public Task Flags_copy_that_inherits_retries_zero() => VerifyInRun("""
        var client = new ProducerConfig { {|#0:MessageSendMaxRetries = 0|} };
        var config = new ProducerConfig(client) { BootstrapServers = "localhost:9092" };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"));

    [Fact]
    public Task Flags_even_when_the_producer_sends_only_to_lossy_topics() => VerifyAsync(Rule, ProducerSources.Usings + """
        class MetricsReporter
        {
            void Report()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:MessageSendMaxRetries = 0|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("metrics.cpu", new Message<string, string> { Value = "0.5" });
            }
        }
        """, EditorConfigLossyTopics, TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"));

    // ---- silent: safe values --------------------------------------------------------------------

    [Theory]
    [InlineData("BootstrapServers = \"localhost:9092\"")]
    [InlineData("MessageSendMaxRetries = 1")]
    [InlineData("MessageSendMaxRetries = 10")]
    [InlineData("MessageSendMaxRetries = null")]
    [InlineData("MessageTimeoutMs = 0")]
    [InlineData("MessageTimeoutMs = 30005")]
    [InlineData("MessageTimeoutMs = 120000")]
    [InlineData("MessageTimeoutMs = null")]
    [InlineData("RequestTimeoutMs = 5000, MessageTimeoutMs = 10000")]
    [InlineData("RequestTimeoutMs = 5000, LingerMs = 100, MessageTimeoutMs = 15000")]
    public Task Silent_for_safe_retries_and_timeouts(string setting) => VerifyInRun($$"""
        var config = new ProducerConfig { {{setting}} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Theory]
    [InlineData("retries", "3")]
    [InlineData("message.send.max.retries", "2147483647")]
    [InlineData("delivery.timeout.ms", "0")]
    [InlineData("delivery.timeout.ms", "300000")]
    [InlineData("message.timeout.ms", "60000")]
    public Task Silent_for_safe_string_settings(string key, string value) => VerifyInRun($$"""
        var settings = new Dictionary<string, string> { ["{{key}}"] = "{{value}}" };
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """);

    [Fact]
    public Task Silent_when_retries_zero_is_overwritten() => VerifyInRun("""
        var config = new ProducerConfig { MessageSendMaxRetries = 0 };
        config.Set("retries", "5");
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_when_short_timeout_is_removed_from_the_dictionary() => VerifyInRun("""
        var settings = new Dictionary<string, string> { ["message.timeout.ms"] = "1000" };
        settings.Remove("message.timeout.ms");
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """);

    // ---- silent: settings the analyzer cannot see -----------------------------------------------

    [Fact]
    public Task Silent_when_retries_come_from_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig { MessageSendMaxRetries = 0, MessageTimeoutMs = 1000 };
                configuration.GetSection("Kafka").Bind(config);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_timeout_is_a_variable() => Verify("""
        class Service
        {
            void Run(int timeoutMs, int retries)
            {
                var config = new ProducerConfig { MessageTimeoutMs = timeoutMs, MessageSendMaxRetries = retries };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_conditional_writes() => Verify("""
        class Service
        {
            void Run(bool failFast)
            {
                var config = new ProducerConfig();
                if (failFast)
                {
                    config.MessageSendMaxRetries = 0;
                    config.MessageTimeoutMs = 1000;
                }

                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_ten_second_timeout_when_request_timeout_is_unknown() => Verify("""
        class Service
        {
            void Run(IOptions<ProducerConfig> options)
            {
                var config = new ProducerConfig(options.Value) { MessageTimeoutMs = 15000 };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_options_value_and_parameters() => Verify("""
        class Service
        {
            IProducer<string, string> FromOptions(IOptions<ProducerConfig> options) => new ProducerBuilder<string, string>(options.Value).Build();

            IProducer<string, string> FromParameter(ProducerConfig config) => new ProducerBuilder<string, string>(config).Build();
        }
        """);

    [Fact]
    public Task Silent_when_config_is_passed_to_unknown_code_before_build() => Verify("""
        class Service
        {
            void Run(Action<ProducerConfig> customize)
            {
                var config = new ProducerConfig { MessageSendMaxRetries = 0 };
                customize(config);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_dictionary_filled_in_a_loop() => Verify("""
        class Service
        {
            void Run(IEnumerable<KeyValuePair<string, string>> overrides)
            {
                var settings = new Dictionary<string, string> { ["retries"] = "0" };
                foreach (var pair in overrides)
                {
                    settings[pair.Key] = pair.Value;
                }

                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_short_timeout_is_reset_to_null() => VerifyInRun("""
        var config = new ProducerConfig { MessageTimeoutMs = 1000 };
        config.MessageTimeoutMs = null;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_when_overrides_are_written_after_build() => VerifyInRun("""
        var config = new ProducerConfig();
        using var producer = new ProducerBuilder<string, string>(config).Build();
        config.MessageSendMaxRetries = 0;
        config.MessageTimeoutMs = 1000;
        producer.Flush(TimeSpan.FromSeconds(5));
        """);

    [Fact]
    public Task Silent_for_timeout_above_a_raised_request_timeout_plus_linger() => VerifyInRun("""
        var config = new ProducerConfig { RequestTimeoutMs = 60000, LingerMs = 50, MessageTimeoutMs = 120000 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_transactional_timeout_equal_to_transaction_timeout() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "audit-tx", MessageTimeoutMs = 60000 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_when_retries_come_from_a_configuration_value() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig
                {
                    MessageSendMaxRetries = configuration.GetValue<int>("Kafka:Retries"),
                    MessageTimeoutMs = int.TryParse(configuration["Kafka:TimeoutMs"], out var ms) ? ms : 1000,
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_timeout_written_in_a_lambda() => Verify("""
        class Service
        {
            void Run(Action<Action> onStartup)
            {
                var config = new ProducerConfig();
                onStartup(() => config.MessageTimeoutMs = 1000);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_field_timeout_is_changed_outside_the_constructor() => Verify("""
        class Publisher
        {
            private readonly ProducerConfig _config = new() { MessageTimeoutMs = 1000 };

            public void UseDefaults() => _config.MessageTimeoutMs = null;

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """);

    [Fact]
    public Task Silent_for_config_a_unit_test_only_inspects() => Verify("""
        class ConfigTests
        {
            public void Retries_round_trip()
            {
                var config = new ProducerConfig { MessageSendMaxRetries = 0, MessageTimeoutMs = 1000 };
                if (config.Get("message.send.max.retries") != "0")
                {
                    throw new InvalidOperationException();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_in_generated_code() => VerifyAsync(Rule, "// <auto-generated/>\n" + ProducerSources.Usings + """
        class GeneratedProducerFactory
        {
            IProducer<string, string> Create() => new ProducerBuilder<string, string>(new ProducerConfig { MessageSendMaxRetries = 0 }).Build();
        }
        """);

    // ---- no two rules for one mistake ----------------------------------------------------------

    [Fact]
    public Task Retries_zero_with_idempotence_is_only_the_build_error() => VerifyAsync(AllRules, ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true };
                {|#0:config.Set("retries", "0")|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Diagnostic(Descriptors.KAFKA003_ProducerConfigRejected).WithLocation(0).WithArguments("enable.idempotence requires retries >= 1, but retries is 0"));

    [Fact]
    public Task Timeout_not_above_linger_is_only_the_build_error() => VerifyAsync(AllRules, ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 500 };
                {|#0:config.MessageTimeoutMs = 400|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Diagnostic(Descriptors.KAFKA003_ProducerConfigRejected).WithLocation(0).WithArguments("message.timeout.ms (400) must be greater than linger.ms (500)"));

    [Fact]
    public Task Retries_zero_on_transactional_producer_is_only_the_build_error() => VerifyAsync(AllRules, ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { TransactionalId = "audit-tx", {|#0:MessageSendMaxRetries = 0|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Diagnostic(Descriptors.KAFKA003_ProducerConfigRejected).WithLocation(0).WithArguments("transactional.id turns on idempotence, which requires retries >= 1, but retries is 0"));

    // ---- fix: remove the override ---------------------------------------------------------------

    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource)
        => VerifyFixAsync(Rule, ProducerSources.Usings + source, expected, ProducerSources.Usings + fixedSource);

    [Fact]
    public Task Fix_removes_override_from_single_line_initializer() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:MessageSendMaxRetries = 0|}, LingerMs = 5 };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried") }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", LingerMs = 5 };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_last_override_from_multi_line_initializer_keeping_comments() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092", // the cluster
                    // fail fast: the caller retries
                    {|#0:MessageTimeoutMs = 5000|}
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { TooLow(0, "MessageTimeoutMs is 5000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092" // the cluster
                    // fail fast: the caller retries
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_statement_keeping_its_comment() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                {|#0:config.MessageSendMaxRetries = 0|}; // no retries: duplicates hurt more
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried") }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                // no retries: duplicates hurt more
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_set_call_and_dictionary_writes() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig();
                {|#0:config.Set("retries", "0")|};
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var collection = new Dictionary<string, string>
                {
                    { "bootstrap.servers", "localhost:9092" },
                    {|#1:{ "delivery.timeout.ms", "5000" }|},
                    { "linger.ms", "5" },
                };
                using var p2 = new ProducerBuilder<string, string>(collection).Build();

                var indexers = new Dictionary<string, string> { {|#2:["message.send.max.retries"] = "0"|} };
                using var p3 = new ProducerBuilder<string, string>(indexers).Build();

                var assigned = new Dictionary<string, string>();
                {|#3:assigned["message.timeout.ms"] = "1000"|};
                {|#4:assigned.Add("retries", "0")|};
                using var p4 = new ProducerBuilder<string, string>(assigned).Build();
            }
        }
        """, new[]
        {
            TooLow(0, "'retries' is 0, so nothing is retried"),
            TooLow(1, "'delivery.timeout.ms' is 5000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint),
            TooLow(2, "'message.send.max.retries' is 0, so nothing is retried"),
            TooLow(3, "'message.timeout.ms' is 1000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint),
            TooLow(4, "'retries' is 0, so nothing is retried"),
        }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig();
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var collection = new Dictionary<string, string>
                {
                    { "bootstrap.servers", "localhost:9092" },
                    { "linger.ms", "5" },
                };
                using var p2 = new ProducerBuilder<string, string>(collection).Build();

                var indexers = new Dictionary<string, string> { };
                using var p3 = new ProducerBuilder<string, string>(indexers).Build();

                var assigned = new Dictionary<string, string>();
                using var p4 = new ProducerBuilder<string, string>(assigned).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_pair_from_list_and_array() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var pairs = new List<KeyValuePair<string, string>> { new("bootstrap.servers", "localhost:9092") };
                pairs.Add({|#0:new("retries", "0")|});
                using var p1 = new ProducerBuilder<string, string>(pairs).Build();

                var array = new[]
                {
                    new KeyValuePair<string, string>("bootstrap.servers", "localhost:9092"),
                    {|#1:new KeyValuePair<string, string>("message.timeout.ms", "2000")|},
                };
                using var p2 = new ProducerBuilder<string, string>(array).Build();
            }
        }
        """, new[]
        {
            TooLow(0, "'retries' is 0, so nothing is retried"),
            TooLow(1, "'message.timeout.ms' is 2000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint),
        }, """
        class Service
        {
            void Run()
            {
                var pairs = new List<KeyValuePair<string, string>> { new("bootstrap.servers", "localhost:9092") };
                using var p1 = new ProducerBuilder<string, string>(pairs).Build();

                var array = new[]
                {
                    new KeyValuePair<string, string>("bootstrap.servers", "localhost:9092"),
                };
                using var p2 = new ProducerBuilder<string, string>(array).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_top_level_statement() => VerifyFixAsync(Rule, ProducerSources.Usings + """
        var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
        {|#0:config.MessageTimeoutMs = 1000|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, new[] { TooLow(0, "MessageTimeoutMs is 1000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint) }, ProducerSources.Usings + """
        var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, outputKind: OutputKind.ConsoleApplication);

    [Fact]
    public Task Fix_all_removes_every_override_in_the_document() => VerifyFix("""
        sealed class AuditPublisher
        {
            private readonly ProducerConfig _config;

            public AuditPublisher()
            {
                _config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    {|#0:MessageSendMaxRetries = 0|},
                    {|#1:MessageTimeoutMs = 2000|},
                    EnableIdempotence = false,
                };
            }

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();

            public static IProducer<string, string> CreateFast()
            {
                var config = new ProducerConfig();
                {|#2:config.Set("delivery.timeout.ms", "3000")|};
                {|#3:config.MessageSendMaxRetries = 0|};
                return new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[]
        {
            TooLow(0, "MessageSendMaxRetries is 0, so nothing is retried"),
            TooLow(1, "MessageTimeoutMs is 2000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint),
            TooLow(2, "'delivery.timeout.ms' is 3000 ms, less than one request timeout plus linger (30005 ms)", RequestTimeoutHint),
            TooLow(3, "MessageSendMaxRetries is 0, so nothing is retried"),
        }, """
        sealed class AuditPublisher
        {
            private readonly ProducerConfig _config;

            public AuditPublisher()
            {
                _config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    EnableIdempotence = false,
                };
            }

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();

            public static IProducer<string, string> CreateFast()
            {
                var config = new ProducerConfig();
                return new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task No_fix_when_removing_the_timeout_would_make_build_throw() => VerifyNoFixAsync(Rule, ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { LingerMs = 300000, RequestTimeoutMs = 5000, {|#0:MessageTimeoutMs = 302000|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, TooLow(0, "MessageTimeoutMs is 302000 ms, less than one request timeout plus linger (305000 ms)", RequestTimeoutHint));
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.ProducerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA003: producer settings that make ProducerBuilder.Build() throw.</summary>
public class KAFKA003Tests
{
    private static readonly string[] Rule = { "KAFKA003" };

    private static readonly string[] AllRules = { "KAFKA001", "KAFKA002", "KAFKA003", "KAFKA009" };

    private static DiagnosticResult Rejected(int location, string why) => Diagnostic(Descriptors.KAFKA003_ProducerConfigRejected).WithLocation(location).WithArguments(why);

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

    // ---- idempotence and acks -------------------------------------------------------------------

    [Fact]
    public Task Flags_leader_acks_with_idempotence_in_object_initializer() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, {|#0:Acks = Acks.Leader|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.idempotence requires acks=all, but acks is 1"));

    [Fact]
    public Task Flags_no_acks_with_idempotence_in_dictionary() => VerifyInRun("""
        var settings = new Dictionary<string, string> { { "enable.idempotence", "true" }, {|#0:{ "acks", "0" }|} };
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """, Rejected(0, "enable.idempotence requires acks=all, but acks is 0"));

    [Fact]
    public Task Flags_acks_two_with_idempotence() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true };
        {|#0:config.Set("request.required.acks", "2")|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.idempotence requires acks=all, but acks is 2"));

    [Fact]
    public Task Flags_leader_acks_assigned_after_idempotence_set_by_key() => VerifyInRun("""
        var config = new ProducerConfig();
        config.Set("enable.idempotence", "true");
        {|#0:config.Acks = Acks.Leader|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.idempotence requires acks=all, but acks is 1"));

    [Fact]
    public Task Flags_leader_acks_when_transactional_id_turns_on_idempotence() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", {|#0:Acks = Acks.Leader|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "transactional.id turns on idempotence, which requires acks=all, but acks is 1"));

    // ---- idempotence and max.in.flight ----------------------------------------------------------

    [Fact]
    public Task Flags_max_in_flight_above_five_with_idempotence() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, {|#0:MaxInFlight = 10|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.idempotence requires max.in.flight <= 5, but it is 10"));

    [Fact]
    public Task Flags_max_in_flight_canonical_key_above_five_with_idempotence() => VerifyInRun("""
        var settings = new List<KeyValuePair<string, string>>
        {
            new("enable.idempotence", "true"),
            {|#0:new("max.in.flight.requests.per.connection", "6")|},
        };
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """, Rejected(0, "enable.idempotence requires max.in.flight <= 5, but it is 6"));

    [Fact]
    public Task Flags_max_in_flight_above_five_on_transactional_producer() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx" };
        {|#0:config.Set("max.in.flight", "20")|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "transactional.id turns on idempotence, which requires max.in.flight <= 5, but it is 20"));

    // ---- idempotence and retries ----------------------------------------------------------------

    [Fact]
    public Task Flags_retries_zero_with_idempotence() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, {|#0:MessageSendMaxRetries = 0|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.idempotence requires retries >= 1, but retries is 0"));

    [Fact]
    public Task Flags_retries_alias_zero_with_idempotence() => VerifyInRun("""
        var settings = new Dictionary<string, string> { ["enable.idempotence"] = "true" };
        {|#0:settings["retries"] = "0"|};
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """, Rejected(0, "enable.idempotence requires retries >= 1, but retries is 0"));

    // ---- transactional.id and idempotence -------------------------------------------------------

    [Fact]
    public Task Flags_transactional_id_with_idempotence_false() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", {|#0:EnableIdempotence = false|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "transactional.id requires enable.idempotence=true, but it is set to false"));

    [Fact]
    public Task Flags_transactional_id_key_with_idempotence_false_key() => VerifyInRun("""
        var settings = new Dictionary<string, string> { ["transactional.id"] = "orders-tx" };
        {|#0:settings.Add("enable.idempotence", "false")|};
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """, Rejected(0, "transactional.id requires enable.idempotence=true, but it is set to false"));

    // ---- idempotence and queueing ---------------------------------------------------------------

    [Fact]
    public Task Flags_lifo_queuing_strategy_with_idempotence() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true };
        {|#0:config.Set("queuing.strategy", "lifo")|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.idempotence requires queuing.strategy=fifo, but it is lifo"));

    [Fact]
    public Task Flags_backpressure_threshold_above_one_with_idempotence() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, {|#0:QueueBufferingBackpressureThreshold = 10|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.idempotence requires queue.buffering.backpressure.threshold=1, but it is 10"));

    [Theory]
    [InlineData("config.Set(\"queuing.strategy\", \"fifo\");")]
    [InlineData("config.QueueBufferingBackpressureThreshold = 1;")]
    [InlineData("config.EnableIdempotence = false; config.QueueBufferingBackpressureThreshold = 10;")]
    public Task Silent_for_compatible_queueing_settings(string statements) => VerifyInRun($$"""
        var config = new ProducerConfig { EnableIdempotence = true };
        {{statements}}
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    // ---- enable.gapless.guarantee ---------------------------------------------------------------

    [Fact]
    public Task Flags_gapless_guarantee_when_idempotence_is_never_enabled() => VerifyInRun("""
        var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:EnableGaplessGuarantee = true|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.gapless.guarantee requires enable.idempotence=true"));

    [Fact]
    public Task Flags_gapless_guarantee_with_idempotence_false() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = false };
        {|#0:config.Set("enable.gapless.guarantee", "true")|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.gapless.guarantee requires enable.idempotence=true"));

    // ---- message.timeout.ms and linger.ms -------------------------------------------------------

    [Fact]
    public Task Flags_message_timeout_equal_to_linger() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 1000, {|#0:MessageTimeoutMs = 1000|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "message.timeout.ms (1000) must be greater than linger.ms (1000)"));

    [Fact]
    public Task Flags_message_timeout_below_fractional_linger() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 2000.5 };
        {|#0:config.MessageTimeoutMs = 2000|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "message.timeout.ms (2000) must be greater than linger.ms (2000.5)"));

    [Fact]
    public Task Flags_delivery_timeout_alias_below_queue_buffering_max_ms_alias() => VerifyInRun("""
        var settings = new Dictionary<string, string>
        {
            ["enable.idempotence"] = "true",
            ["queue.buffering.max.ms"] = "500",
            {|#0:["delivery.timeout.ms"] = "100"|},
        };
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """, Rejected(0, "message.timeout.ms (100) must be greater than linger.ms (500)"));

    [Fact]
    public Task Flags_linger_above_the_default_message_timeout() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, Acks = Acks.All, {|#0:LingerMs = 400000|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "message.timeout.ms (300000, the default) must be greater than linger.ms (400000)"));

    [Fact]
    public Task Flags_linger_not_below_the_transaction_timeout_on_transactional_producer() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", RequestTimeoutMs = 30000 };
        {|#0:config.Set("linger.ms", "60000")|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "message.timeout.ms (60000, from transaction.timeout.ms) must be greater than linger.ms (60000)"));

    [Fact]
    public Task Flags_message_timeout_above_transaction_timeout_on_transactional_producer() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", {|#0:MessageTimeoutMs = 120000|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "a transactional producer requires message.timeout.ms <= transaction.timeout.ms, but message.timeout.ms is 120000 and transaction.timeout.ms is 60000"));

    [Fact]
    public Task Flags_message_timeout_above_explicit_transaction_timeout() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", TransactionTimeoutMs = 10000, EnableIdempotence = true };
        {|#0:config.Set("delivery.timeout.ms", "30000")|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "a transactional producer requires message.timeout.ms <= transaction.timeout.ms, but message.timeout.ms is 30000 and transaction.timeout.ms is 10000"));

    // ---- where the configuration lives ----------------------------------------------------------

    [Fact]
    public Task Flags_field_config_set_up_in_constructor() => Verify("""
        sealed class PaymentPublisher
        {
            private readonly ProducerConfig _config;

            public PaymentPublisher(string servers)
            {
                _config = new ProducerConfig { BootstrapServers = servers, EnableIdempotence = true };
                {|#0:_config.MaxInFlight = 100|};
            }

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """, Rejected(0, "enable.idempotence requires max.in.flight <= 5, but it is 100"));

    [Fact]
    public Task Flags_in_dependency_injection_registration_lambda() => Verify("""
        static class KafkaRegistration
        {
            public static IServiceCollection AddPaymentProducer(this IServiceCollection services)
                => services.AddSingleton(_ => new ProducerBuilder<string, string>(new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    EnableIdempotence = true,
                    {|#0:Acks = Acks.Leader|},
                }).Build());
        }
        """, Rejected(0, "enable.idempotence requires acks=all, but acks is 1"));

    [Fact]
    public Task Flags_in_background_service() => Verify("""
        sealed class PaymentPublisher : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                var config = new ProducerConfig { TransactionalId = "payments-tx", {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.InitTransactions(TimeSpan.FromSeconds(30));
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
        }
        """, Rejected(0, "transactional.id requires enable.idempotence=true, but it is set to false"));

    [Fact]
    public Task Flags_in_top_level_statements() => VerifyAsync(Rule, ProducerSources.Usings + """
        var config = new ProducerConfig { EnableIdempotence = true, {|#0:MessageSendMaxRetries = 0|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, editorConfig: null, OutputKind.ConsoleApplication, Rejected(0, "enable.idempotence requires retries >= 1, but retries is 0"));

    [Fact]
    public Task Flags_static_config_factory() => Verify("""
        static class KafkaConfigs
        {
            public static ProducerConfig Payments() => new ProducerConfig { EnableIdempotence = true, {|#0:Acks = Acks.None|} };
        }
        """, Rejected(0, "enable.idempotence requires acks=all, but acks is 0"));

    [Fact]
    public Task Flags_copy_that_enables_idempotence_over_weak_acks() => VerifyInRun("""
        var client = new ClientConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
        var config = new ProducerConfig(client) { EnableIdempotence = true };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """, Rejected(0, "enable.idempotence requires acks=all, but acks is 1"));

    [Fact]
    public Task Flags_even_when_the_producer_sends_only_to_lossy_topics() => VerifyAsync(Rule, ProducerSources.Usings + """
        class MetricsReporter
        {
            void Report()
            {
                var config = new ProducerConfig { EnableIdempotence = true, {|#0:Acks = Acks.Leader|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("metrics.cpu", new Message<string, string> { Value = "0.5" });
            }
        }
        """, EditorConfigLossyTopics, Rejected(0, "enable.idempotence requires acks=all, but acks is 1"));

    [Fact]
    public Task Flags_two_conflicts_in_one_config() => VerifyInRun("""
        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            {|#0:Acks = Acks.Leader|},
            {|#1:MaxInFlight = 50|},
        };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """,
        Rejected(0, "enable.idempotence requires acks=all, but acks is 1"),
        Rejected(1, "enable.idempotence requires max.in.flight <= 5, but it is 50"));

    // ---- silent: compatible settings ------------------------------------------------------------

    [Theory]
    [InlineData("Acks = Acks.All")]
    [InlineData("Acks = null")]
    [InlineData("MaxInFlight = 5")]
    [InlineData("MaxInFlight = 1")]
    [InlineData("MessageSendMaxRetries = 1")]
    [InlineData("MessageSendMaxRetries = 10")]
    [InlineData("LingerMs = 100, MessageTimeoutMs = 100000")]
    [InlineData("LingerMs = 5000")]
    [InlineData("EnableGaplessGuarantee = true")]
    [InlineData("BootstrapServers = \"localhost:9092\"")]
    public Task Silent_for_idempotent_producer_with_compatible_setting(string setting) => VerifyInRun($$"""
        var config = new ProducerConfig { EnableIdempotence = true, {{setting}} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Theory]
    [InlineData("acks", "all")]
    [InlineData("acks", "-1")]
    [InlineData("request.required.acks", "all")]
    [InlineData("max.in.flight", "5")]
    [InlineData("retries", "3")]
    public Task Silent_for_idempotent_dictionary_with_compatible_setting(string key, string value) => VerifyInRun($$"""
        var settings = new Dictionary<string, string> { ["enable.idempotence"] = "true", ["{{key}}"] = "{{value}}" };
        using var producer = new ProducerBuilder<string, string>(settings).Build();
        """);

    [Theory]
    [InlineData("Acks = Acks.Leader")]
    [InlineData("MaxInFlight = 100")]
    [InlineData("MessageSendMaxRetries = 0")]
    [InlineData("EnableIdempotence = false, MaxInFlight = 100")]
    public Task Silent_for_settings_that_conflict_only_with_idempotence_when_it_is_off(string setting) => VerifyInRun($$"""
        var config = new ProducerConfig { {{setting}} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_transactional_producer_with_idempotence_true() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", EnableIdempotence = true, Acks = Acks.All, MaxInFlight = 5 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_when_idempotence_is_reset_to_null() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, Acks = Acks.Leader };
        config.EnableIdempotence = null;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_when_the_conflict_is_written_after_build() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        config.Acks = Acks.Leader;
        producer.Flush(TimeSpan.FromSeconds(5));
        """);

    [Fact]
    public Task Silent_for_message_timeout_zero_meaning_infinite() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 1000, MessageTimeoutMs = 0 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_tiny_message_timeout_when_linger_is_not_set() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, MessageTimeoutMs = 3 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_linger_above_the_default_timeout_when_no_topic_level_setting_is_written() => VerifyInRun("""
        var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 400000, CompressionType = CompressionType.Lz4 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_transactional_linger_above_transaction_timeout_when_no_topic_level_setting_is_written() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", EnableIdempotence = true, LingerMs = 60000 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_transactional_message_timeout_within_transaction_timeout() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", MessageTimeoutMs = 60000, LingerMs = 50 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_transactional_producer_with_raised_transaction_timeout() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", TransactionTimeoutMs = 900000, MessageTimeoutMs = 300000 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_gapless_guarantee_on_transactional_producer() => VerifyInRun("""
        var config = new ProducerConfig { TransactionalId = "orders-tx", EnableGaplessGuarantee = true };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        """);

    [Fact]
    public Task Silent_for_consumer_config() => VerifyInRun("""
        var config = new ConsumerConfig { GroupId = "g", MaxInFlight = 100, Acks = Acks.Leader };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        """);

    // ---- silent: one side of the conflict is unknown --------------------------------------------

    [Fact]
    public Task Silent_when_idempotence_comes_from_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig { Acks = Acks.Leader, MaxInFlight = 10, MessageSendMaxRetries = 0 };
                configuration.GetSection("Kafka").Bind(config);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_acks_comes_from_a_variable() => Verify("""
        class Service
        {
            void Run(Acks acks)
            {
                var config = new ProducerConfig { EnableIdempotence = true, Acks = acks };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_idempotence_is_enabled_on_some_paths_only() => Verify("""
        class Service
        {
            void Run(bool exactlyOnce)
            {
                var config = new ProducerConfig { Acks = Acks.Leader };
                if (exactlyOnce)
                {
                    config.EnableIdempotence = true;
                }

                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_transactional_id_is_not_a_constant() => Verify("""
        class Service
        {
            void Run(string instance)
            {
                var config = new ProducerConfig { TransactionalId = "orders-" + instance, Acks = Acks.Leader };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_linger_comes_from_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig { EnableIdempotence = true, MessageTimeoutMs = 500 };
                config.LingerMs = configuration.GetValue<double>("Kafka:LingerMs");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_default_timeout_when_the_config_is_not_fully_visible() => Verify("""
        class Service
        {
            void Run(IOptions<ProducerConfig> options)
            {
                var config = new ProducerConfig(options.Value) { LingerMs = 400000 };
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
                var config = new ProducerConfig { EnableIdempotence = true, Acks = Acks.Leader };
                customize(config);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_dictionary_filled_in_a_loop() => Verify("""
        class Service
        {
            void Run(IEnumerable<(string Key, string Value)> overrides)
            {
                var settings = new Dictionary<string, string> { ["enable.idempotence"] = "true", ["acks"] = "1" };
                foreach (var (key, value) in overrides)
                {
                    settings[key] = value;
                }

                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_config_a_unit_test_only_inspects() => Verify("""
        class ConfigTests
        {
            public void Settings_round_trip()
            {
                var config = new ProducerConfig { EnableIdempotence = true, Acks = Acks.Leader, MaxInFlight = 10, MessageSendMaxRetries = 0 };
                Console.WriteLine(string.Join(",", config.Select(pair => pair.Key)));
            }
        }
        """);

    // ---- no two rules for one mistake ----------------------------------------------------------

    [Fact]
    public Task Retries_zero_with_idempotence_is_only_the_build_error() => VerifyAsync(AllRules, ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, {|#0:MessageSendMaxRetries = 0|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Rejected(0, "enable.idempotence requires retries >= 1, but retries is 0"));

    [Fact]
    public Task Timeout_not_above_linger_is_only_the_build_error() => VerifyAsync(AllRules, ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 2000, {|#0:MessageTimeoutMs = 1000|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Rejected(0, "message.timeout.ms (1000) must be greater than linger.ms (2000)"));

    [Fact]
    public Task Leader_acks_on_transactional_producer_is_only_the_build_error() => VerifyAsync(AllRules, ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { TransactionalId = "orders-tx", {|#0:Acks = Acks.Leader|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Rejected(0, "transactional.id turns on idempotence, which requires acks=all, but acks is 1"));

    [Fact]
    public Task Tiny_timeout_without_linger_is_only_the_timeout_warning() => VerifyAsync(AllRules, ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, {|#0:MessageTimeoutMs = 3|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Diagnostic(Descriptors.KAFKA009_RetriesOrTimeoutTooLow).WithLocation(0).WithArguments("MessageTimeoutMs is 3 ms, less than one request timeout plus linger (30005 ms)", "remove the override, or lower request.timeout.ms so a retry fits"));

    // ---- test code that expects the rejection -------------------------------------------------

    /// <summary>
    /// Like confluent-kafka-dotnet's UnitTests (InvalidHandle.cs, Producer.cs): a Build() inside a lambda handed
    /// to Assert.Throws is meant to be rejected, and no producer runs with that configuration (none of the
    /// configuration rules report). Shared with KAFKA110 (TestCode.IsExpectedToThrow).
    /// </summary>
    [Fact]
    public Task Silent_inside_Assert_Throws_for_every_configuration_rule() => VerifyAsync(AllRules, ProducerSources.Usings + """
        public static class Assert
        {
            public static T Throws<T>(Action testCode) where T : Exception => throw new InvalidOperationException();
            public static T Throws<T>(Func<object> testCode) where T : Exception => throw new InvalidOperationException();
        }

        public class ProducerTests
        {
            public void Rejects_leader_acks_with_idempotence()
            {
                var config = new ProducerConfig { EnableIdempotence = true, Acks = Acks.Leader };
                Assert.Throws<ArgumentException>(() => { var p = new ProducerBuilder<string, string>(config).Build(); });
                Assert.Throws<ArgumentException>(() => new ProducerBuilder<string, string>(new ProducerConfig { EnableIdempotence = false, MessageSendMaxRetries = 0, Acks = Acks.None }).Build());
            }
        }
        """);

    /// <summary>The twin of the Assert.Throws test: the same configuration built in a test method outside an assertion still reports.</summary>
    [Fact]
    public Task Flags_the_same_configuration_outside_a_throws_assertion() => VerifyAsync(AllRules, ProducerSources.Usings + """
        public class ProducerTests
        {
            public void Rejects_leader_acks_with_idempotence()
            {
                var config = new ProducerConfig { EnableIdempotence = true, {|#0:Acks = Acks.Leader|} };
                Task.Run(() => { var p = new ProducerBuilder<string, string>(config).Build(); });
            }
        }
        """, Rejected(0, "enable.idempotence requires acks=all, but acks is 1"));

    // ---- fix: make the conflicting setting compatible -------------------------------------------

    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource)
        => VerifyFixAsync(Rule, ProducerSources.Usings + source, expected, ProducerSources.Usings + fixedSource);

    private static Task VerifyNoFix(string source, params DiagnosticResult[] expected)
        => VerifyNoFixAsync(Rule, ProducerSources.Usings + source, expected);

    [Fact]
    public Task Fix_sets_acks_to_all_in_typed_and_string_forms() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    EnableIdempotence = true,
                    {|#0:Acks = Acks.Leader|}, // was leader
                };
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var settings = new Dictionary<string, string> { ["enable.idempotence"] = "true", {|#1:["acks"] = "0"|} };
                using var p2 = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, new[] { Rejected(0, "enable.idempotence requires acks=all, but acks is 1"), Rejected(1, "enable.idempotence requires acks=all, but acks is 0") }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    EnableIdempotence = true,
                    Acks = Acks.All, // was leader
                };
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var settings = new Dictionary<string, string> { ["enable.idempotence"] = "true", ["acks"] = "all" };
                using var p2 = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_lowers_max_in_flight_to_five() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true };
                {|#0:config.MaxInFlight = 100|};
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var pairs = new List<KeyValuePair<string, string>> { new("enable.idempotence", "true"), {|#1:new("max.in.flight.requests.per.connection", "6")|} };
                using var p2 = new ProducerBuilder<string, string>(pairs).Build();
            }
        }
        """, new[] { Rejected(0, "enable.idempotence requires max.in.flight <= 5, but it is 100"), Rejected(1, "enable.idempotence requires max.in.flight <= 5, but it is 6") }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true };
                config.MaxInFlight = 5;
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var pairs = new List<KeyValuePair<string, string>> { new("enable.idempotence", "true"), new("max.in.flight.requests.per.connection", "5") };
                using var p2 = new ProducerBuilder<string, string>(pairs).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_retries_zero_in_every_form() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var typed = new ProducerConfig
                {
                    EnableIdempotence = true,
                    {|#0:MessageSendMaxRetries = 0|},
                    LingerMs = 5,
                };
                using var p1 = new ProducerBuilder<string, string>(typed).Build();

                var set = new ProducerConfig { EnableIdempotence = true };
                {|#1:set.Set("retries", "0")|};
                using var p2 = new ProducerBuilder<string, string>(set).Build();

                var dictionary = new Dictionary<string, string> { { "enable.idempotence", "true" }, {|#2:{ "message.send.max.retries", "0" }|} };
                using var p3 = new ProducerBuilder<string, string>(dictionary).Build();

                var pairs = new List<KeyValuePair<string, string>> { new("enable.idempotence", "true") };
                pairs.Add({|#3:new("retries", "0")|});
                using var p4 = new ProducerBuilder<string, string>(pairs).Build();
            }
        }
        """, new[]
        {
            Rejected(0, "enable.idempotence requires retries >= 1, but retries is 0"),
            Rejected(1, "enable.idempotence requires retries >= 1, but retries is 0"),
            Rejected(2, "enable.idempotence requires retries >= 1, but retries is 0"),
            Rejected(3, "enable.idempotence requires retries >= 1, but retries is 0"),
        }, """
        class Service
        {
            void Run()
            {
                var typed = new ProducerConfig
                {
                    EnableIdempotence = true,
                    LingerMs = 5,
                };
                using var p1 = new ProducerBuilder<string, string>(typed).Build();

                var set = new ProducerConfig { EnableIdempotence = true };
                using var p2 = new ProducerBuilder<string, string>(set).Build();

                var dictionary = new Dictionary<string, string> { { "enable.idempotence", "true" } };
                using var p3 = new ProducerBuilder<string, string>(dictionary).Build();

                var pairs = new List<KeyValuePair<string, string>> { new("enable.idempotence", "true") };
                using var p4 = new ProducerBuilder<string, string>(pairs).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_enables_idempotence_on_transactional_producer() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { TransactionalId = "orders-tx", {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Rejected(0, "transactional.id requires enable.idempotence=true, but it is set to false") }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { TransactionalId = "orders-tx", EnableIdempotence = true };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_message_timeout_not_above_linger() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 1000 };
                {|#0:config.MessageTimeoutMs = 500|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Rejected(0, "message.timeout.ms (500) must be greater than linger.ms (1000)") }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 1000 };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_message_timeout_above_transaction_timeout() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["transactional.id"] = "orders-tx", {|#0:["delivery.timeout.ms"] = "300000"|} };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, new[] { Rejected(0, "a transactional producer requires message.timeout.ms <= transaction.timeout.ms, but message.timeout.ms is 300000 and transaction.timeout.ms is 60000") }, """
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["transactional.id"] = "orders-tx" };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_removes_queueing_overrides() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, {|#0:QueueBufferingBackpressureThreshold = 4|} };
                {|#1:config.Set("queuing.strategy", "lifo")|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[]
        {
            Rejected(0, "enable.idempotence requires queue.buffering.backpressure.threshold=1, but it is 4"),
            Rejected(1, "enable.idempotence requires queuing.strategy=fifo, but it is lifo"),
        }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_all_makes_every_conflict_compatible_in_one_config() => VerifyFix("""
        static class KafkaRegistration
        {
            public static IServiceCollection AddPaymentProducer(this IServiceCollection services)
                => services.AddSingleton(_ =>
                {
                    var config = new ProducerConfig
                    {
                        BootstrapServers = "localhost:9092",
                        EnableIdempotence = true,
                        {|#0:Acks = Acks.Leader|},
                        {|#1:MaxInFlight = 20|},
                        {|#2:MessageSendMaxRetries = 0|},
                    };
                    return new ProducerBuilder<string, string>(config).Build();
                });
        }
        """, new[]
        {
            Rejected(0, "enable.idempotence requires acks=all, but acks is 1"),
            Rejected(1, "enable.idempotence requires max.in.flight <= 5, but it is 20"),
            Rejected(2, "enable.idempotence requires retries >= 1, but retries is 0"),
        }, """
        static class KafkaRegistration
        {
            public static IServiceCollection AddPaymentProducer(this IServiceCollection services)
                => services.AddSingleton(_ =>
                {
                    var config = new ProducerConfig
                    {
                        BootstrapServers = "localhost:9092",
                        EnableIdempotence = true,
                        Acks = Acks.All,
                        MaxInFlight = 5,
                    };
                    return new ProducerBuilder<string, string>(config).Build();
                });
        }
        """);

    [Fact]
    public Task No_fix_for_gapless_guarantee_or_linger_above_the_default_timeout() => VerifyNoFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { {|#0:EnableGaplessGuarantee = true|}, Acks = Acks.All, {|#1:LingerMs = 400000|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """,
        Rejected(0, "enable.gapless.guarantee requires enable.idempotence=true"),
        Rejected(1, "message.timeout.ms (300000, the default) must be greater than linger.ms (400000)"));

    [Fact]
    public Task No_fix_when_removing_the_timeout_would_still_not_exceed_linger() => VerifyNoFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, LingerMs = 500000, {|#0:MessageTimeoutMs = 400000|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Rejected(0, "message.timeout.ms (400000) must be greater than linger.ms (500000)"));
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.ProducerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA002: idempotence explicitly disabled, or never enabled on a fully visible producer config.</summary>
public class KAFKA002Tests
{
    private const string NeverSet = "Idempotence is never enabled (librdkafka's default is false)";

    private static readonly string[] Rule = { "KAFKA002" };

    private static DiagnosticResult Never(int location) => Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(location).WithArguments(NeverSet);

    private static DiagnosticResult Off(int location, string how = "EnableIdempotence is false")
        => Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(location).WithArguments(how);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync(Rule, ProducerSources.Usings + source, expected);

    private static Task VerifyLossy(string source, params DiagnosticResult[] expected) => VerifyAsync(Rule, ProducerSources.Usings + source, EditorConfigLossyTopics, expected);

    // ---- flagged: never set (reported at the configuration's creation) --------------------------

    [Fact]
    public Task Flags_config_that_never_enables_idempotence() => Verify("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig { BootstrapServers = "localhost:9092", Acks = Acks.All }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0));

    [Fact]
    public Task Flags_config_without_initializer_that_never_enables_idempotence() => Verify("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig()|};
                config.BootstrapServers = "localhost:9092";
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0));

    [Fact]
    public Task Flags_never_set_with_the_weak_acks_as_additional_location() => Verify("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig { BootstrapServers = "localhost:9092", {|#1:Acks = Acks.Leader|} }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0).WithLocation(1));

    [Fact]
    public Task Flags_idempotence_reset_to_null() => Verify("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig { EnableIdempotence = true }|};
                config.EnableIdempotence = null;
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0));

    [Fact]
    public Task Flags_dictionary_config_that_never_enables_idempotence() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = {|#0:new Dictionary<string, string> { { "bootstrap.servers", "localhost:9092" }, { "acks", "all" } }|};
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, Never(0));

    [Fact]
    public Task Flags_pair_list_that_never_enables_idempotence() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = {|#0:new List<KeyValuePair<string, string>> { new("bootstrap.servers", "localhost:9092") }|};
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, Never(0));

    [Fact]
    public Task Flags_field_config_set_up_in_constructor_that_never_enables_idempotence() => Verify("""
        sealed class OrderPublisher : IDisposable
        {
            private readonly ProducerConfig _config;
            private IProducer<string, string>? _producer;

            public OrderPublisher(string servers)
            {
                _config = {|#0:new ProducerConfig()|};
                _config.BootstrapServers = servers;
                _config.Acks = Acks.All;
            }

            public void Start() => _producer = new ProducerBuilder<string, string>(_config).Build();

            public void Dispose() => _producer?.Dispose();
        }
        """, Never(0));

    [Fact]
    public Task Flags_static_field_config_that_never_enables_idempotence() => Verify("""
        static class Producers
        {
            private static readonly ProducerConfig Config = {|#0:new() { BootstrapServers = "localhost:9092" }|};

            public static IProducer<string, string> Create() => new ProducerBuilder<string, string>(Config).Build();
        }
        """, Never(0));

    [Fact]
    public Task Flags_copy_of_a_visible_client_config_that_never_enables_idempotence() => Verify("""
        class Service
        {
            void Run()
            {
                var client = new ClientConfig { BootstrapServers = "localhost:9092", Acks = Acks.All };
                var config = {|#0:new ProducerConfig(client)|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0));

    [Fact]
    public Task Flags_wrapped_dictionary_that_never_enables_idempotence() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092" };
                var config = {|#0:new ProducerConfig(settings)|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0));

    [Fact]
    public Task Flags_never_set_in_top_level_statements() => VerifyAsync(Rule, ProducerSources.Usings + """
        var config = {|#0:new ProducerConfig { BootstrapServers = "localhost:9092" }|};
        using var producer = new ProducerBuilder<string, string>(config).Build();
        await producer.ProduceAsync("orders", new Message<string, string> { Value = "v" });
        """, editorConfig: null, OutputKind.ConsoleApplication, Never(0));

    [Fact]
    public Task Flags_never_set_in_dependency_injection_registration_lambda() => Verify("""
        static class KafkaRegistration
        {
            public static IServiceCollection AddOrderProducer(this IServiceCollection services, string servers)
                => services.AddSingleton<IProducer<string, string>>(_ =>
                    new ProducerBuilder<string, string>({|#0:new ProducerConfig { BootstrapServers = servers }|}).Build());
        }
        """, Never(0));

    [Fact]
    public Task Flags_never_set_in_a_func_factory() => Verify("""
        class Service
        {
            private readonly Func<IProducer<string, string>> _factory = () =>
            {
                var config = {|#0:new ProducerConfig { BootstrapServers = "localhost:9092" }|};
                return new ProducerBuilder<string, string>(config).Build();
            };
        }
        """, Never(0));

    [Fact]
    public Task Flags_never_set_in_background_service() => Verify("""
        sealed class OrderPublisher : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                var config = {|#0:new ProducerConfig { BootstrapServers = "localhost:9092", LingerMs = 20 }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await producer.ProduceAsync("orders", new Message<string, string> { Value = "tick" }, stoppingToken);
                }
            }
        }
        """, Never(0));

    // ---- flagged: explicitly false (reported at the write) --------------------------------------

    [Fact]
    public Task Flags_idempotence_false_in_object_initializer() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Off(0));

    [Fact]
    public Task Flags_idempotence_false_assigned_after_creation() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true };
                {|#0:config.EnableIdempotence = false|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Off(0));

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("0")]
    public Task Flags_idempotence_false_set_with_string_key(string value) => Verify($$"""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                {|#0:config.Set("enable.idempotence", "{{value}}")|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Off(0, "'enable.idempotence' is false"));

    [Fact]
    public Task Flags_idempotence_false_in_dictionary_indexer_initializer() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092", {|#0:["enable.idempotence"] = "false"|} };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, Off(0, "'enable.idempotence' is false"));

    [Fact]
    public Task Flags_idempotence_false_added_to_pair_list() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new List<KeyValuePair<string, string>> { new("bootstrap.servers", "localhost:9092") };
                settings.Add({|#0:new("enable.idempotence", "false")|});
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, Off(0, "'enable.idempotence' is false"));

    [Fact]
    public Task Flags_idempotence_false_with_weak_acks_as_additional_location() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { {|#1:Acks = Acks.None|}, {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Off(0).WithLocation(1));

    [Fact]
    public Task Flags_idempotence_false_in_static_config_factory() => Verify("""
        static class KafkaConfigs
        {
            public static ProducerConfig Orders() => new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:EnableIdempotence = false|} };
        }
        """, Off(0));

    [Fact]
    public Task Flags_idempotence_false_written_after_binding_from_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = configuration.GetSection("Kafka").Get<ProducerConfig>()!;
                var copy = new ProducerConfig(config) { {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(copy).Build();
            }
        }
        """, Off(0));

    [Fact]
    public Task Flags_lossy_producer_that_also_sends_elsewhere() => VerifyLossy("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig { BootstrapServers = "localhost:9092" }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("telemetry.host", new Message<string, string> { Value = "up" });
                producer.Produce("payments", new Message<string, string> { Value = "p-1" });
            }
        }
        """, Never(0));

    [Fact]
    public Task Flags_lossy_option_when_the_topic_is_not_a_constant() => VerifyLossy("""
        class Service
        {
            void Run(string topic)
            {
                var config = new ProducerConfig { {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce(topic, new Message<string, string> { Value = "up" });
            }
        }
        """, Off(0));

    // ---- silent: safe values ------------------------------------------------------------------

    [Fact]
    public Task Silent_when_idempotence_is_enabled() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", EnableIdempotence = true };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData("1")]
    [InlineData("t")]
    public Task Silent_when_idempotence_is_enabled_with_string_key(string value) => Verify($$"""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { { "bootstrap.servers", "localhost:9092" }, { "enable.idempotence", "{{value}}" } };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_false_is_overwritten_with_true() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = false };
                config.Set("enable.idempotence", "true");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_transactional_producer_that_never_sets_idempotence() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", TransactionalId = "orders-tx" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.InitTransactions(TimeSpan.FromSeconds(30));
            }
        }
        """);

    [Fact]
    public Task Silent_for_transactional_id_from_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", TransactionalId = configuration["Kafka:TransactionalId"] };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_consumer_config() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g" };
                using var consumer = new ConsumerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_user_config_subclass_that_may_set_idempotence() => Verify("""
        class DurableProducerConfig : ProducerConfig
        {
            public DurableProducerConfig() => EnableIdempotence = true;
        }

        class Service
        {
            void Run()
            {
                var config = new DurableProducerConfig { BootstrapServers = "localhost:9092" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    // ---- silent: settings the analyzer cannot see ----------------------------------------------

    [Fact]
    public Task Silent_never_set_when_bound_from_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                configuration.GetSection("Kafka").Bind(config);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_false_is_bound_over_by_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig { EnableIdempotence = false };
                configuration.Bind("Kafka", config);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_config_read_with_Get() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = configuration.GetSection("Kafka").Get<ProducerConfig>()!;
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_options_value() => Verify("""
        sealed class OrderPublisher
        {
            private readonly IProducer<string, string> _producer;

            public OrderPublisher(IOptions<ProducerConfig> options)
            {
                var config = options.Value;
                _producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_copy_of_options_value() => Verify("""
        sealed class OrderPublisher
        {
            private readonly IProducer<string, string> _producer;

            public OrderPublisher(IOptions<ProducerConfig> options)
                => _producer = new ProducerBuilder<string, string>(new ProducerConfig(options.Value) { LingerMs = 5 }).Build();
        }
        """);

    [Fact]
    public Task Silent_for_config_parameter() => Verify("""
        class Service
        {
            IProducer<string, string> Create(ProducerConfig config) => new ProducerBuilder<string, string>(config).Build();
        }
        """);

    [Fact]
    public Task Silent_for_helper_method_result() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = Load(configuration);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }

            static ProducerConfig Load(IConfiguration configuration) => configuration.GetSection("Kafka").Get<ProducerConfig>()!;
        }
        """);

    [Fact]
    public Task Silent_never_set_for_config_factory_without_a_builder_in_view() => Verify("""
        static class KafkaConfigs
        {
            public static ProducerConfig Orders(string servers) => new ProducerConfig { BootstrapServers = servers };
        }
        """);

    [Fact]
    public Task Silent_for_dictionary_filled_in_a_loop() => Verify("""
        class Service
        {
            void Run(IDictionary<string, string> overrides)
            {
                var settings = new Dictionary<string, string>();
                foreach (var pair in overrides)
                {
                    settings.Add(pair.Key, pair.Value);
                }

                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_dictionary_copied_from_unknown_settings() => Verify("""
        class Service
        {
            void Run(IDictionary<string, string> overrides)
            {
                var settings = new Dictionary<string, string>(overrides) { ["acks"] = "all" };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_conditional_false() => Verify("""
        class Service
        {
            void Run(bool benchmark)
            {
                var config = new ProducerConfig { EnableIdempotence = true };
                if (benchmark)
                {
                    config.EnableIdempotence = false;
                }

                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_conditional_enable() => Verify("""
        class Service
        {
            void Run(bool durable)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                if (durable)
                {
                    config.EnableIdempotence = true;
                }

                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_idempotence_from_a_variable() => Verify("""
        class Service
        {
            void Run(bool idempotent)
            {
                var config = new ProducerConfig { EnableIdempotence = idempotent };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_config_is_passed_to_unknown_code_before_build() => Verify("""
        class Service
        {
            void Run(Action<ProducerConfig> customize)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                customize(config);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_field_config_is_handed_to_unknown_code_in_another_method() => Verify("""
        class Publisher
        {
            private readonly ProducerConfig _config = new() { BootstrapServers = "localhost:9092" };

            public void Configure(Action<ProducerConfig> customize) => customize(_config);

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """);

    [Fact]
    public Task Silent_when_field_idempotence_is_changed_outside_the_constructor() => Verify("""
        class Publisher
        {
            private readonly ProducerConfig _config = new() { EnableIdempotence = false };

            public void MakeDurable() => _config.EnableIdempotence = true;

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """);

    // ---- silent: lossy_topics -----------------------------------------------------------------

    [Fact]
    public Task Silent_when_producer_sends_only_to_lossy_topics() => VerifyLossy("""
        class MetricsReporter
        {
            async Task Report(double cpu)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", EnableIdempotence = false };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                await producer.ProduceAsync("metrics.cpu", new Message<string, string> { Value = cpu.ToString() });
            }
        }
        """);

    [Fact]
    public Task Silent_never_set_when_producer_sends_only_to_lossy_topics() => VerifyLossy("""
        class MetricsReporter
        {
            void Report()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("telemetry.heartbeat", new Message<string, string> { Value = "up" });
                producer.Flush(TimeSpan.FromSeconds(5));
            }
        }
        """);

    // ---- no two rules for one mistake ----------------------------------------------------------

    [Fact]
    public Task Transactional_producer_with_idempotence_false_is_only_the_build_error() => VerifyAsync(
        new[] { "KAFKA001", "KAFKA002", "KAFKA003", "KAFKA009" },
        ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { TransactionalId = "orders-tx", {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """,
        Diagnostic(Descriptors.KAFKA003_ProducerConfigRejected).WithLocation(0).WithArguments("transactional.id requires enable.idempotence=true, but it is set to false"));

    [Fact]
    public Task Weak_acks_and_no_idempotence_are_two_findings_at_two_places() => VerifyAsync(
        new[] { "KAFKA001", "KAFKA002", "KAFKA003", "KAFKA009" },
        ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig { {|#1:Acks = Acks.Leader|} }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """,
        Never(0).WithLocation(1),
        Diagnostic(Descriptors.KAFKA001_WeakAcks).WithLocation(1).WithArguments("1 (leader only)", "a message is reported delivered before it is replicated, so a leader failure loses it"));

    // ---- fix: enable idempotence ----------------------------------------------------------------

    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource)
        => VerifyFixAsync(Rule, ProducerSources.Usings + source, expected, ProducerSources.Usings + fixedSource);

    private static Task VerifyNoFix(string source, params DiagnosticResult[] expected)
        => VerifyNoFixAsync(Rule, ProducerSources.Usings + source, expected);

    [Fact]
    public Task Fix_adds_setting_to_single_line_initializer() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig { BootstrapServers = "localhost:9092" }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Never(0) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", EnableIdempotence = true };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_adds_setting_to_multi_line_initializer_with_trailing_comma_keeping_comments() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig
                {
                    // the cluster
                    BootstrapServers = "localhost:9092",
                    LingerMs = 20, // batch a little
                }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Never(0) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    // the cluster
                    BootstrapServers = "localhost:9092",
                    LingerMs = 20, // batch a little
                    EnableIdempotence = true,
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_adds_setting_to_multi_line_initializer_without_trailing_comma() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    LingerMs = 20
                }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Never(0) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    LingerMs = 20,
                    EnableIdempotence = true
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_adds_setting_to_empty_initializer() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig { }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Never(0) }, """
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
    public Task Fix_adds_initializer_to_creation_without_one() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig()|};
                config.BootstrapServers = "localhost:9092";
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Never(0) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true };
                config.BootstrapServers = "localhost:9092";
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_adds_initializer_to_copy_constructor() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var client = new ClientConfig { BootstrapServers = "localhost:9092" };
                var config = {|#0:new ProducerConfig(client)|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Never(0) }, """
        class Service
        {
            void Run()
            {
                var client = new ClientConfig { BootstrapServers = "localhost:9092" };
                var config = new ProducerConfig(client) { EnableIdempotence = true };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_adds_initializer_to_target_typed_field_creation() => VerifyFix("""
        static class Producers
        {
            private static readonly ProducerConfig Config = {|#0:new()|};

            public static IProducer<string, string> Create() => new ProducerBuilder<string, string>(Config).Build();
        }
        """, new[] { Never(0) }, """
        static class Producers
        {
            private static readonly ProducerConfig Config = new() { EnableIdempotence = true };

            public static IProducer<string, string> Create() => new ProducerBuilder<string, string>(Config).Build();
        }
        """);

    [Fact]
    public Task Fix_adds_entry_to_dictionary_in_its_initializer_style() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var collection = {|#0:new Dictionary<string, string> { { "bootstrap.servers", "localhost:9092" } }|};
                using var p1 = new ProducerBuilder<string, string>(collection).Build();

                var indexers = {|#1:new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                }|};
                using var p2 = new ProducerBuilder<string, string>(indexers).Build();

                var empty = {|#2:new Dictionary<string, string>()|};
                empty.Add("bootstrap.servers", "localhost:9092");
                using var p3 = new ProducerBuilder<string, string>(empty).Build();
            }
        }
        """, new[] { Never(0), Never(1), Never(2) }, """
        class Service
        {
            void Run()
            {
                var collection = new Dictionary<string, string> { { "bootstrap.servers", "localhost:9092" }, { "enable.idempotence", "true" } };
                using var p1 = new ProducerBuilder<string, string>(collection).Build();

                var indexers = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["enable.idempotence"] = "true",
                };
                using var p2 = new ProducerBuilder<string, string>(indexers).Build();

                var empty = new Dictionary<string, string> { { "enable.idempotence", "true" } };
                empty.Add("bootstrap.servers", "localhost:9092");
                using var p3 = new ProducerBuilder<string, string>(empty).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_adds_pair_to_pair_list() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var pairs = {|#0:new List<KeyValuePair<string, string>> { new("bootstrap.servers", "localhost:9092") }|};
                using var p1 = new ProducerBuilder<string, string>(pairs).Build();

                var empty = {|#1:new List<KeyValuePair<string, string>>()|};
                empty.Add(new("bootstrap.servers", "localhost:9092"));
                using var p2 = new ProducerBuilder<string, string>(empty).Build();
            }
        }
        """, new[] { Never(0), Never(1) }, """
        class Service
        {
            void Run()
            {
                var pairs = new List<KeyValuePair<string, string>> { new("bootstrap.servers", "localhost:9092"), new KeyValuePair<string, string>("enable.idempotence", "true") };
                using var p1 = new ProducerBuilder<string, string>(pairs).Build();

                var empty = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>("enable.idempotence", "true") };
                empty.Add(new("bootstrap.servers", "localhost:9092"));
                using var p2 = new ProducerBuilder<string, string>(empty).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_adds_setting_to_wrapping_config_of_a_dictionary() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092" };
                var config = {|#0:new ProducerConfig(settings)|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Never(0) }, """
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092" };
                var config = new ProducerConfig(settings) { EnableIdempotence = true };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_adds_setting_and_sets_weak_acks_to_all() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig { BootstrapServers = "localhost:9092" }|};
                {|#1:config.Acks = Acks.Leader|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { Never(0).WithLocation(1) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", EnableIdempotence = true };
                config.Acks = Acks.All;
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_replaces_false_with_true() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { {|#0:EnableIdempotence = false|} /* was off */ };
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var settings = new Dictionary<string, string> { {|#1:{ "enable.idempotence", "false" }|} };
                using var p2 = new ProducerBuilder<string, string>(settings).Build();

                var set = new ProducerConfig();
                {|#2:set.Set("enable.idempotence", "0")|};
                using var p3 = new ProducerBuilder<string, string>(set).Build();
            }
        }
        """, new[] { Off(0), Off(1, "'enable.idempotence' is false"), Off(2, "'enable.idempotence' is false") }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true /* was off */ };
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var settings = new Dictionary<string, string> { { "enable.idempotence", "true" } };
                using var p2 = new ProducerBuilder<string, string>(settings).Build();

                var set = new ProducerConfig();
                set.Set("enable.idempotence", "true");
                using var p3 = new ProducerBuilder<string, string>(set).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_replaces_false_and_string_key_weak_acks() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string>
                {
                    {|#1:["request.required.acks"] = "0"|},
                    {|#0:["enable.idempotence"] = "false"|},
                };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, new[] { Off(0, "'enable.idempotence' is false").WithLocation(1) }, """
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string>
                {
                    ["request.required.acks"] = "all",
                    ["enable.idempotence"] = "true",
                };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_all_enables_idempotence_on_every_config_in_the_document() => VerifyFix("""
        sealed class Publishers
        {
            private readonly ProducerConfig _orders = {|#0:new() { BootstrapServers = "localhost:9092" }|};
            private readonly ProducerConfig _audit = new() { {|#1:EnableIdempotence = false|} };

            public IProducer<string, string> Orders() => new ProducerBuilder<string, string>(_orders).Build();

            public IProducer<string, string> Audit() => new ProducerBuilder<string, string>(_audit).Build();

            public IProducer<string, string> Payments()
                => new ProducerBuilder<string, string>({|#2:new ProducerConfig { {|#3:Acks = Acks.Leader|} }|}).Build();
        }
        """, new[] { Never(0), Off(1), Never(2).WithLocation(3) }, """
        sealed class Publishers
        {
            private readonly ProducerConfig _orders = new() { BootstrapServers = "localhost:9092", EnableIdempotence = true };
            private readonly ProducerConfig _audit = new() { EnableIdempotence = true };

            public IProducer<string, string> Orders() => new ProducerBuilder<string, string>(_orders).Build();

            public IProducer<string, string> Audit() => new ProducerBuilder<string, string>(_audit).Build();

            public IProducer<string, string> Payments()
                => new ProducerBuilder<string, string>(new ProducerConfig { Acks = Acks.All, EnableIdempotence = true }).Build();
        }
        """);

    [Fact]
    public Task No_fix_when_acks_is_unknown() => VerifyNoFix("""
        class Service
        {
            void Run(Acks acks)
            {
                var config = {|#0:new ProducerConfig { Acks = acks }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0));

    [Theory]
    [InlineData("MaxInFlight = 10")]
    [InlineData("MessageSendMaxRetries = 0")]
    [InlineData("Acks = (Acks)2")]
    [InlineData("QueueBufferingBackpressureThreshold = 10")]
    public Task No_fix_when_another_setting_is_incompatible_with_idempotence(string setting) => VerifyNoFix($$"""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { {{setting}}, {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Off(0));

    [Fact]
    public Task No_fix_when_queuing_strategy_is_lifo() => VerifyNoFix("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ProducerConfig()|};
                config.Set("queuing.strategy", "lifo");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0));

    [Fact]
    public Task No_fix_when_max_in_flight_comes_from_configuration() => VerifyNoFix("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig(configuration.GetSection("Kafka").Get<ProducerConfig>()!) { {|#0:EnableIdempotence = false|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Off(0));

    [Fact]
    public Task No_fix_when_a_client_config_without_the_property_is_built_into_a_producer() => VerifyNoFix("""
        class Service
        {
            void Run()
            {
                var config = {|#0:new ClientConfig { BootstrapServers = "localhost:9092" }|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Never(0));
}

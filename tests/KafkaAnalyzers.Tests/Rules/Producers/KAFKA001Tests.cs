using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.ProducerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA001: producer acks weaker than all.</summary>
public class KAFKA001Tests
{
    private const string Leader = "a message is reported delivered before it is replicated, so a leader failure loses it";
    private const string NoAck = "the producer never waits for a broker, so a message is reported delivered even if no broker stored it";

    private static readonly string[] Rule = { "KAFKA001" };

    private static DiagnosticResult AcksLeader(int location) => Diagnostic(Descriptors.KAFKA001_WeakAcks).WithLocation(location).WithArguments("1 (leader only)", Leader);

    private static DiagnosticResult AcksNone(int location) => Diagnostic(Descriptors.KAFKA001_WeakAcks).WithLocation(location).WithArguments("0 (no acknowledgement)", NoAck);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync(Rule, ProducerSources.Usings + source, expected);

    private static Task VerifyLossy(string source, params DiagnosticResult[] expected) => VerifyAsync(Rule, ProducerSources.Usings + source, EditorConfigLossyTopics, expected);

    // ---- flagged: every way of writing acks ---------------------------------------------------

    [Fact]
    public Task Flags_acks_leader_in_object_initializer() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_none_in_object_initializer() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.None|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksNone(0));

    [Fact]
    public Task Flags_acks_assigned_after_creation() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                {|#0:config.Acks = Acks.Leader|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_set_with_string_key() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                {|#0:config.Set("acks", "1")|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_request_required_acks_alias_set_to_zero() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                {|#0:config.Set("request.required.acks", "0")|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksNone(0));

    [Fact]
    public Task Flags_acks_in_dictionary_collection_initializer() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string>
                {
                    { "bootstrap.servers", "localhost:9092" },
                    {|#0:{ "acks", "1" }|},
                };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_in_dictionary_indexer_initializer() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    {|#0:["request.required.acks"] = "0"|},
                };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, AcksNone(0));

    [Fact]
    public Task Flags_acks_written_through_dictionary_indexer() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092" };
                {|#0:settings["acks"] = "1"|};
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_added_to_dictionary() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string>();
                settings.Add("bootstrap.servers", "localhost:9092");
                {|#0:settings.Add("acks", "1")|};
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_in_key_value_pair_list() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new List<KeyValuePair<string, string>>
                {
                    new("bootstrap.servers", "localhost:9092"),
                    {|#0:new("acks", "1")|},
                };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_in_key_value_pair_array_passed_inline() => Verify("""
        class Service
        {
            void Run()
            {
                using var producer = new ProducerBuilder<string, string>(new[]
                {
                    new KeyValuePair<string, string>("bootstrap.servers", "localhost:9092"),
                    {|#0:KeyValuePair.Create("acks", "0")|},
                }).Build();
            }
        }
        """, AcksNone(0));

    [Fact]
    public Task Flags_acks_added_to_pair_list() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new List<KeyValuePair<string, string>>();
                settings.Add(new("bootstrap.servers", "localhost:9092"));
                settings.Add({|#0:new("acks", "1")|});
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_weak_acks_written_after_a_safe_one() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", Acks = Acks.All };
                {|#0:config.Set("request.required.acks", "1")|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_written_after_binding_from_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig();
                configuration.GetSection("Kafka").Bind(config);
                {|#0:config.Acks = Acks.Leader|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_written_on_a_copy_of_an_unknown_config() => Verify("""
        class Service
        {
            private readonly IProducer<string, string> _producer;

            public Service(IOptions<ProducerConfig> options)
            {
                var config = new ProducerConfig(options.Value) { {|#0:Acks = Acks.Leader|} };
                _producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    // ---- flagged: where the configuration lives -------------------------------------------------

    [Fact]
    public Task Flags_field_config_set_up_in_constructor_and_built_in_another_method() => Verify("""
        class Publisher
        {
            private readonly ProducerConfig _config;

            public Publisher(string servers)
            {
                _config = new ProducerConfig { BootstrapServers = servers };
                {|#0:_config.Acks = Acks.Leader|};
            }

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_field_initializer_config_built_in_another_method() => Verify("""
        class Publisher
        {
            private readonly ProducerConfig _config = new() { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.None|} };

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """, AcksNone(0));

    [Fact]
    public Task Flags_static_field_config() => Verify("""
        static class Producers
        {
            private static readonly ProducerConfig Config = new ProducerConfig
            {
                BootstrapServers = "localhost:9092",
                {|#0:Acks = Acks.Leader|},
            };

            public static IProducer<string, string> Create() => new ProducerBuilder<string, string>(Config).Build();
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_weak_acks_inherited_through_copy_constructor() => Verify("""
        class Service
        {
            void Run()
            {
                var client = new ClientConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                var config = new ProducerConfig(client) { LingerMs = 10 };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_in_dictionary_wrapped_by_producer_config() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092" };
                var config = new ProducerConfig(settings);
                {|#0:settings["acks"] = "1"|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_in_top_level_statements() => VerifyAsync(Rule, ProducerSources.Usings + """
        var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        await producer.ProduceAsync("orders", new Message<string, string> { Key = "k", Value = "v" });
        """, editorConfig: null, OutputKind.ConsoleApplication, AcksLeader(0));

    [Fact]
    public Task Flags_acks_in_dependency_injection_registration_lambda() => Verify("""
        static class KafkaRegistration
        {
            public static IServiceCollection AddOrderProducer(this IServiceCollection services)
                => services.AddSingleton(sp =>
                {
                    var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                    return new ProducerBuilder<string, string>(config).Build();
                });
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_acks_in_background_service() => Verify("""
        sealed class OrderPublisher : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                {|#0:config.Acks = Acks.None|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await producer.ProduceAsync("orders", new Message<string, string> { Value = "tick" }, stoppingToken);
                }
            }
        }
        """, AcksNone(0));

    [Fact]
    public Task Flags_acks_in_static_config_factory() => Verify("""
        static class KafkaConfigs
        {
            public static ProducerConfig Orders() => new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_builder_held_in_a_local_before_build() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                var builder = new ProducerBuilder<string, string>(config);
                builder.SetErrorHandler((_, e) => Console.WriteLine(e.Reason));
                using var producer = builder.Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_one_write_once_when_the_config_feeds_two_producers() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                using var orders = new ProducerBuilder<string, string>(config).Build();
                using var audit = new ProducerBuilder<string, byte[]>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_public_config_field_written_where_it_is_created() => Verify("""
        class Publisher
        {
            public ProducerConfig Config = new() { {|#0:Acks = Acks.Leader|} };

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(Config).Build();
        }
        """, AcksLeader(0));

    // ---- flagged: lossy_topics does not exempt what it cannot prove ----------------------------

    [Fact]
    public Task Flags_lossy_producer_that_also_sends_to_another_topic() => VerifyLossy("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("metrics.cpu", new Message<string, string> { Value = "0.5" });
                producer.Produce("orders", new Message<string, string> { Value = "order-1" });
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_lossy_option_when_the_topic_is_not_a_constant() => VerifyLossy("""
        class Service
        {
            void Run(string topic)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce(topic, new Message<string, string> { Value = "0.5" });
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_lossy_option_when_the_producer_escapes() => VerifyLossy("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.None|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("metrics.cpu", new Message<string, string> { Value = "0.5" });
                Publish(producer);
            }

            static void Publish(IProducer<string, string> producer) { }
        }
        """, AcksNone(0));

    [Fact]
    public Task Flags_lossy_option_when_the_producer_never_produces_in_view() => VerifyLossy("""
        class Service
        {
            IProducer<string, string> Create()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                return new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_shared_config_when_one_of_its_producers_is_not_lossy() => VerifyLossy("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                using var metrics = new ProducerBuilder<string, string>(config).Build();
                metrics.Produce("metrics.cpu", new Message<string, string> { Value = "0.5" });
                using var orders = new ProducerBuilder<string, string>(config).Build();
                orders.Produce("orders", new Message<string, string> { Value = "order-1" });
            }
        }
        """, AcksLeader(0));

    [Fact]
    public Task Flags_config_registered_in_dependency_injection() => Verify("""
        static class KafkaRegistration
        {
            public static IServiceCollection AddKafkaConfig(this IServiceCollection services)
                => services.AddSingleton(new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} });
        }
        """, AcksLeader(0));

    // ---- silent: safe values ------------------------------------------------------------------

    [Theory]
    [InlineData("Acks = Acks.All")]
    [InlineData("Acks = null")]
    [InlineData("BootstrapServers = \"localhost:9092\"")]
    public Task Silent_for_safe_or_default_typed_acks(string setting) => Verify($$"""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { {{setting}} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Theory]
    [InlineData("acks", "all")]
    [InlineData("acks", "ALL")]
    [InlineData("acks", "-1")]
    [InlineData("request.required.acks", "-1")]
    [InlineData("acks", "2")]
    public Task Silent_for_safe_string_acks(string key, string value) => Verify($$"""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092", ["{{key}}"] = "{{value}}" };
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Theory]
    [InlineData("config.Set(\"acks\", \"all\");")]
    [InlineData("config.Set(\"request.required.acks\", \"-1\");")]
    [InlineData("settings[\"acks\"] = \"all\";")]
    [InlineData("settings.Add(\"request.required.acks\", \"all\");")]
    [InlineData("pairs.Add(new(\"acks\", \"-1\"));")]
    [InlineData("config.Acks = Acks.All;")]
    public Task Silent_for_acks_all_in_every_write_form(string statement) => Verify($$"""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig();
                var settings = new Dictionary<string, string>();
                var pairs = new List<KeyValuePair<string, string>>();
                {{statement}}
                using var p1 = new ProducerBuilder<string, string>(config).Build();
                using var p2 = new ProducerBuilder<string, string>(settings).Build();
                using var p3 = new ProducerBuilder<string, string>(pairs).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_weak_acks_is_overwritten_with_all() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { Acks = Acks.Leader };
                config.Set("request.required.acks", "all");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_weak_acks_is_reset_to_null() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { Acks = Acks.Leader };
                config.Acks = null;
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_weak_acks_is_removed_from_the_dictionary() => Verify("""
        class Service
        {
            void Run()
            {
                var settings = new Dictionary<string, string> { ["acks"] = "1" };
                settings.Remove("acks");
                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_weak_acks_is_written_after_build() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                config.Acks = Acks.Leader;
                producer.Flush(TimeSpan.FromSeconds(5));
            }
        }
        """);

    [Fact]
    public Task Silent_for_consumer_and_admin_configs() => Verify("""
        class Service
        {
            void Run()
            {
                var consumerConfig = new ConsumerConfig { GroupId = "g", Acks = Acks.Leader };
                using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
                var adminConfig = new AdminClientConfig { Acks = Acks.None };
                using var admin = new AdminClientBuilder(adminConfig).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_dictionary_that_never_reaches_kafka() => Verify("""
        class Service
        {
            Dictionary<string, string> Describe() => new Dictionary<string, string> { ["acks"] = "1" };
        }
        """);

    // ---- silent: settings the analyzer cannot see ----------------------------------------------

    [Fact]
    public Task Silent_when_acks_is_bound_from_configuration_after_the_write() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig { Acks = Acks.Leader };
                configuration.GetSection("Kafka").Bind(config);
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
                => _producer = new ProducerBuilder<string, string>(options.Value).Build();
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
        interface IKafkaConfigFactory
        {
            ProducerConfig Create();
        }

        class Service
        {
            void Run(IKafkaConfigFactory factory)
            {
                var config = factory.Create();
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
                var settings = new Dictionary<string, string> { ["acks"] = "1" };
                foreach (var pair in overrides)
                {
                    settings[pair.Key] = pair.Value;
                }

                using var producer = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_conditional_write() => Verify("""
        class Service
        {
            void Run(bool fast)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                if (fast)
                {
                    config.Acks = Acks.Leader;
                }

                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_acks_from_a_variable() => Verify("""
        class Service
        {
            void Run(Acks acks)
            {
                var config = new ProducerConfig { Acks = acks };
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
                var config = new ProducerConfig { Acks = Acks.Leader };
                customize(config);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_field_config_is_changed_outside_the_constructor() => Verify("""
        class Publisher
        {
            private readonly ProducerConfig _config = new() { Acks = Acks.Leader };

            public void MakeDurable() => _config.Acks = Acks.All;

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """);


    [Fact]
    public Task Silent_for_configs_a_unit_test_only_inspects() => Verify("""
        class ConfigTests
        {
            public void Acks_is_written_as_a_number()
            {
                var none = new ProducerConfig { Acks = Acks.None };
                var leader = new ProducerConfig { Acks = Acks.Leader };
                if (none.Get("acks") != "0" || leader.Acks != Acks.Leader)
                {
                    throw new InvalidOperationException("unexpected");
                }
            }

            public void Every_enum_compiles()
            {
                var config = new ProducerConfig { CompressionType = CompressionType.Lz4, Acks = Acks.Leader };
            }
        }
        """);

    [Fact]
    public Task Silent_for_acks_parsed_from_configuration() => Verify("""
        class Service
        {
            void Run(IConfiguration configuration)
            {
                var config = new ProducerConfig { Acks = Enum.Parse<Acks>(configuration["Kafka:Acks"]!) };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_acks_written_in_a_lambda_that_may_never_run() => Verify("""
        class Service
        {
            void Run(Action<Action> onStartup)
            {
                var config = new ProducerConfig();
                onStartup(() => config.Acks = Acks.Leader);
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_acks_written_in_a_loop() => Verify("""
        class Service
        {
            void Run(string[] flags)
            {
                var config = new ProducerConfig();
                foreach (var flag in flags)
                {
                    config.Acks = Acks.Leader;
                }

                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_value_or_key_that_is_not_a_constant() => Verify("""
        class Service
        {
            void Run(string key, string acks)
            {
                var config = new ProducerConfig { Acks = Acks.Leader };
                config.Set(key, "all");
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var settings = new Dictionary<string, string> { ["acks"] = acks };
                using var p2 = new ProducerBuilder<string, string>(settings).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_variable_is_reassigned_from_unknown_code() => Verify("""
        class Service
        {
            void Run(Func<ProducerConfig> load)
            {
                var config = new ProducerConfig { Acks = Acks.Leader };
                config = load();
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_in_generated_code() => VerifyAsync(Rule, "// <auto-generated/>\n" + ProducerSources.Usings + """
        class GeneratedProducerFactory
        {
            IProducer<string, string> Create()
            {
                var config = new ProducerConfig { Acks = Acks.Leader };
                return new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    // ---- silent: lossy_topics ----------------------------------------------------------------

    [Fact]
    public Task Silent_when_producer_sends_only_to_lossy_topics() => VerifyLossy("""
        class MetricsReporter
        {
            void Report(double cpu)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", Acks = Acks.Leader };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("metrics.cpu", new Message<string, string> { Value = cpu.ToString() });
                producer.Produce("telemetry.host", new Message<string, string> { Value = "up" });
                producer.Flush(TimeSpan.FromSeconds(5));
            }
        }
        """);

    [Fact]
    public Task Silent_when_field_producer_sends_only_to_lossy_topics() => VerifyLossy("""
        sealed class MetricsReporter : IDisposable
        {
            private const string Topic = "metrics.requests";
            private readonly IProducer<Null, string> _producer;

            public MetricsReporter()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", Acks = Acks.None };
                _producer = new ProducerBuilder<Null, string>(config).Build();
            }

            public void Count(int requests) => _producer.Produce(new TopicPartition(Topic, new Partition(0)), new Message<Null, string> { Value = requests.ToString() });

            public void Dispose()
            {
                _producer.Flush(TimeSpan.FromSeconds(5));
                _producer.Dispose();
            }
        }
        """);

    [Fact]
    public Task Flags_lossy_looking_topics_without_the_option() => Verify("""
        class MetricsReporter
        {
            void Report()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", {|#0:Acks = Acks.Leader|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("metrics.cpu", new Message<string, string> { Value = "0.5" });
            }
        }
        """, AcksLeader(0));

    // ---- no two rules for one mistake ----------------------------------------------------------

    [Fact]
    public Task Leader_acks_with_idempotence_is_only_the_build_error() => VerifyAsync(
        new[] { "KAFKA001", "KAFKA002", "KAFKA003", "KAFKA009" },
        ProducerSources.Usings + """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { EnableIdempotence = true, {|#0:Acks = Acks.Leader|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """,
        Diagnostic(Descriptors.KAFKA003_ProducerConfigRejected).WithLocation(0).WithArguments("enable.idempotence requires acks=all, but acks is 1"));

    // ---- fix: set acks to all -------------------------------------------------------------------

    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource)
        => VerifyFixAsync(Rule, ProducerSources.Usings + source, expected, ProducerSources.Usings + fixedSource);

    [Fact]
    public Task Fix_sets_typed_acks_to_all_keeping_comments() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    // latency matters more than durability (it does not)
                    {|#0:Acks = Acks.Leader|}, // leader only
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { AcksLeader(0) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    // latency matters more than durability (it does not)
                    Acks = Acks.All, // leader only
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_sets_acks_assigned_later_to_all() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig();
                {|#0:config.Acks = Acks.None|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { AcksNone(0) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig();
                config.Acks = Acks.All;
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_writes_the_fully_qualified_value_when_the_namespace_is_not_imported() => VerifyFixAsync(Rule, """
        class Service
        {
            void Run()
            {
                var config = new Confluent.Kafka.ProducerConfig { {|#0:Acks = Confluent.Kafka.Acks.Leader|} };
                using var producer = new Confluent.Kafka.ProducerBuilder<string, string>(config).Build();
            }
        }
        """, new[] { AcksLeader(0) }, """
        class Service
        {
            void Run()
            {
                var config = new Confluent.Kafka.ProducerConfig { Acks = Confluent.Kafka.Acks.All };
                using var producer = new Confluent.Kafka.ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_sets_string_key_acks_to_all_in_every_form() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig();
                {|#0:config.Set("request.required.acks", "1")|};
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var collection = new Dictionary<string, string> { {|#1:{ "acks", "0" }|} };
                using var p2 = new ProducerBuilder<string, string>(collection).Build();

                var indexers = new Dictionary<string, string> { {|#2:["acks"] = "1"|} };
                using var p3 = new ProducerBuilder<string, string>(indexers).Build();

                var assigned = new Dictionary<string, string>();
                {|#3:assigned["acks"] = "1"|};
                using var p4 = new ProducerBuilder<string, string>(assigned).Build();

                var added = new Dictionary<string, string>();
                {|#4:added.Add("acks", "0")|};
                using var p5 = new ProducerBuilder<string, string>(added).Build();

                var pairs = new List<KeyValuePair<string, string>> { {|#5:new("acks", "1")|} };
                using var p6 = new ProducerBuilder<string, string>(pairs).Build();
            }
        }
        """, new[] { AcksLeader(0), AcksNone(1), AcksLeader(2), AcksLeader(3), AcksNone(4), AcksLeader(5) }, """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig();
                config.Set("request.required.acks", "all");
                using var p1 = new ProducerBuilder<string, string>(config).Build();

                var collection = new Dictionary<string, string> { { "acks", "all" } };
                using var p2 = new ProducerBuilder<string, string>(collection).Build();

                var indexers = new Dictionary<string, string> { ["acks"] = "all" };
                using var p3 = new ProducerBuilder<string, string>(indexers).Build();

                var assigned = new Dictionary<string, string>();
                assigned["acks"] = "all";
                using var p4 = new ProducerBuilder<string, string>(assigned).Build();

                var added = new Dictionary<string, string>();
                added.Add("acks", "all");
                using var p5 = new ProducerBuilder<string, string>(added).Build();

                var pairs = new List<KeyValuePair<string, string>> { new("acks", "all") };
                using var p6 = new ProducerBuilder<string, string>(pairs).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_all_sets_every_weak_acks_in_the_document() => VerifyFix("""
        static class Producers
        {
            private static readonly ProducerConfig Orders = new() { {|#0:Acks = Acks.Leader|} };
            private static readonly ProducerConfig Audit = new() { {|#1:Acks = Acks.None|} };

            public static IProducer<string, string> CreateOrders() => new ProducerBuilder<string, string>(Orders).Build();

            public static IProducer<string, string> CreateAudit() => new ProducerBuilder<string, string>(Audit).Build();
        }
        """, new[] { AcksLeader(0), AcksNone(1) }, """
        static class Producers
        {
            private static readonly ProducerConfig Orders = new() { Acks = Acks.All };
            private static readonly ProducerConfig Audit = new() { Acks = Acks.All };

            public static IProducer<string, string> CreateOrders() => new ProducerBuilder<string, string>(Orders).Build();

            public static IProducer<string, string> CreateAudit() => new ProducerBuilder<string, string>(Audit).Build();
        }
        """);
}

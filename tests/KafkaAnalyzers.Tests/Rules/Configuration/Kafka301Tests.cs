using KafkaAnalyzers.Configuration;
using KafkaAnalyzers.Model;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using VerifyCS = KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Configuration.ConfigurationKeyAnalyzer, KafkaAnalyzers.CodeFixes.Configuration.ConfigurationKeyCodeFixProvider>;

namespace KafkaAnalyzers.Tests.Rules.Configuration;

/// <summary>KAFKA301: unknown configuration key (analyzer). Fix tests: <see cref="Kafka301FixTests"/>.</summary>
public class Kafka301Tests
{
    internal const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Confluent.Kafka;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Options;

        """;

    internal static DiagnosticResult Unknown(int location, string key, string? suggestion = null)
        => VerifyCS.Diagnostic(Descriptors.KAFKA301_UnknownConfigurationKey)
            .WithLocation(location)
            .WithArguments(key, suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)");

    private static DiagnosticResult WrongClient(int location, string key, string client)
        => VerifyCS.Diagnostic(Descriptors.KAFKA301_UnknownConfigurationKey).WithLocation(location).WithArguments(key, " for " + client);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyCS.VerifyAnalyzerAsync(Usings + source, expected);

    // ---- flagged: every way of writing a string key -----------------------------------------------

    [Fact]
    public Task Flags_typo_in_Set_on_producer_config() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:"enable.idempotance"|}, "true");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "enable.idempotance", "enable.idempotence"));

    [Fact]
    public Task Flags_typo_in_dictionary_collection_initializer() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    { "bootstrap.servers", "localhost:9092" },
                    { {|#0:"enable.idempotance"|}, "true" },
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "enable.idempotance", "enable.idempotence"));

    [Fact]
    public Task Flags_typo_in_dictionary_index_initializer() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    [{|#0:"enable.auto.comit"|}] = "false",
                    ["group.id"] = "orders",
                };
                using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
            }
        }
        """, Unknown(0, "enable.auto.comit", "enable.auto.commit"));

    [Fact]
    public Task Flags_typo_in_dictionary_indexer_assignment() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>();
                config["bootstrap.servers"] = "localhost:9092";
                config[{|#0:"lingr.ms"|}] = "5";
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "lingr.ms", "linger.ms"));

    [Fact]
    public Task Flags_typo_in_dictionary_Add() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>();
                config.Add("bootstrap.servers", "localhost:9092");
                config.Add({|#0:"compresion.type"|}, "lz4");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "compresion.type", "compression.type"));

    [Fact]
    public Task Flags_typo_in_key_value_pair_list() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new List<KeyValuePair<string, string>>
                {
                    new("bootstrap.servers", "localhost:9092"),
                    new({|#0:"acsk"|}, "all"),
                };
                config.Add(new KeyValuePair<string, string>({|#1:"retires"|}, "3"));
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "acsk", "acks"), Unknown(1, "retires", "retries"));

    [Fact]
    public Task Flags_typo_in_key_value_pair_array() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new[]
                {
                    new KeyValuePair<string, string>("bootstrap.servers", "localhost:9092"),
                    new KeyValuePair<string, string>({|#0:"group.idd"|}, "orders"),
                };
                using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
            }
        }
        """, Unknown(0, "group.idd", "group.id"));

    [Fact]
    public Task Flags_typo_in_KeyValuePair_Create() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new List<KeyValuePair<string, string>>
                {
                    KeyValuePair.Create("bootstrap.servers", "localhost:9092"),
                    KeyValuePair.Create({|#0:"sasl.passwrd"|}, "from-vault"),
                };
                using var admin = new AdminClientBuilder(config).Build();
            }
        }
        """, Unknown(0, "sasl.passwrd", "sasl.password"));

    [Fact]
    public Task Flags_wrong_case_key() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:"Enable.Idempotence"|}, "true");
                config.Set({|#1:"ACKS"|}, "all");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "Enable.Idempotence", "enable.idempotence"), Unknown(1, "ACKS", "acks"));

    [Fact]
    public Task Flags_key_with_trailing_space() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string> { [{|#0:"bootstrap.servers "|}] = "localhost:9092" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "bootstrap.servers ", "bootstrap.servers"));

    [Fact]
    public Task Flags_typed_property_name_used_as_key() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    { {|#0:"BootstrapServers"|}, "localhost:9092" },
                    { {|#1:"EnableIdempotence"|}, "true" },
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "BootstrapServers", "bootstrap.servers"), Unknown(1, "EnableIdempotence", "enable.idempotence"));

    [Fact]
    public Task Flags_unknown_key_with_no_suggestion() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:"foo.bar"|}, "1");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "foo.bar"));

    [Fact]
    public Task Flags_typo_in_topic_prefixed_key() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:"topic.acsk"|}, "all");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "topic.acsk", "topic.acks"));

    [Theory]
    [InlineData("key.serializer")]
    [InlineData("value.serializer")]
    [InlineData("key.deserializer")]
    [InlineData("value.deserializer")]
    [InlineData("max.block.ms")]
    [InlineData("buffer.memory")]
    [InlineData("max.request.size")]
    [InlineData("sasl.jaas.config")]
    [InlineData("ssl.truststore.location")]
    [InlineData("schema.registry.url")]
    public Task Flags_java_client_key_librdkafka_lacks(string key) => Verify($$"""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    [{|#0:"{{key}}"|}] = "x",
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, key));

    [Fact]
    public Task Flags_consumer_and_admin_configs() => Verify("""
        class Service
        {
            void Run()
            {
                var consumerConfig = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "orders" };
                consumerConfig.Set({|#0:"auto.offset.rest"|}, "earliest");
                using var consumer = new ConsumerBuilder<Ignore, string>(consumerConfig).Build();

                var adminConfig = new AdminClientConfig { BootstrapServers = "localhost:9092" };
                adminConfig.Set({|#1:"fetch.max.wait.ms"|}, "500");
                using var admin = new AdminClientBuilder(adminConfig).Build();
            }
        }
        """, Unknown(0, "auto.offset.rest", "auto.offset.reset"), Unknown(1, "fetch.max.wait.ms"));

    [Fact]
    public Task Flags_dictionary_wrapped_by_a_typed_config() => Verify("""
        class Service
        {
            void Run()
            {
                var values = new Dictionary<string, string> { [{|#0:"isolation.levle"|}] = "read_committed" };
                var config = new ConsumerConfig(values) { BootstrapServers = "localhost:9092", GroupId = "audit" };
                using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
            }
        }
        """, Unknown(0, "isolation.levle", "isolation.level"));

    [Fact]
    public Task Flags_static_field_config_set_in_static_constructor() => Verify("""
        class Service
        {
            private static readonly ProducerConfig Shared = new() { BootstrapServers = "localhost:9092" };

            static Service()
            {
                Shared.Set({|#0:"message.timout.ms"|}, "30000");
            }

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(Shared).Build();
        }
        """, Unknown(0, "message.timout.ms", "message.timeout.ms"));

    [Fact]
    public Task Flags_field_dictionary_filled_in_constructor() => Verify("""
        class Service
        {
            private readonly Dictionary<string, string> _config = new() { ["bootstrap.servers"] = "localhost:9092" };

            public Service(string password)
            {
                _config[{|#0:"sasl.pasword"|}] = password;
            }

            public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
        }
        """, Unknown(0, "sasl.pasword", "sasl.password"));

    [Fact]
    public Task Flags_Set_on_a_config_parameter() => Verify("""
        static class KafkaDefaults
        {
            public static void Apply(ProducerConfig config)
            {
                config.Set({|#0:"enable.idempotance"|}, "true");
            }
        }
        """, Unknown(0, "enable.idempotance", "enable.idempotence"));

    [Fact]
    public Task Flags_Set_on_options_bound_config_in_a_background_service() => Verify("""
        class OrdersConsumer : BackgroundService
        {
            private readonly ConsumerConfig _config;

            public OrdersConsumer(IOptions<ConsumerConfig> options)
            {
                _config = options.Value;
                _config.Set({|#0:"enable.auto.offset.stor"|}, "false");
            }

            protected override Task ExecuteAsync(CancellationToken stoppingToken)
            {
                using var consumer = new ConsumerBuilder<Ignore, string>(_config).Build();
                return Task.CompletedTask;
            }
        }
        """, Unknown(0, "enable.auto.offset.stor", "enable.auto.offset.store"));

    [Fact]
    public Task Flags_config_returned_from_static_factory() => Verify("""
        static class KafkaConfigs
        {
            public static ProducerConfig Orders()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", EnableIdempotence = true };
                config.Set({|#0:"queue.buffering.max.kbyte"|}, "1048576");
                return config;
            }
        }
        """, Unknown(0, "queue.buffering.max.kbyte", "queue.buffering.max.kbytes"));

    [Fact]
    public Task Flags_key_from_const_field_at_its_use() => Verify("""
        static class Keys
        {
            public const string Idempotence = "enable.idempotance";
        }

        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:Keys.Idempotence|}, "true");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "enable.idempotance", "enable.idempotence"));

    [Fact]
    public Task Flags_conditional_write() => Verify("""
        class Service
        {
            void Run(bool secure)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                if (secure)
                {
                    config.Set({|#0:"security.protocl"|}, "sasl_ssl");
                }

                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "security.protocl", "security.protocol"));

    [Fact]
    public Task Flags_typo_in_top_level_statements()
    {
        var test = new CSharpAnalyzerVerifier<ConfigurationKeyAnalyzer>.Test
        {
            TestCode = Usings + """
                var config = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092", [{|#0:"client.idd"|}] = "tool" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Unknown(0, "client.idd", "client.id"));
        return test.RunAsync();
    }

    [Fact]
    public Task Flags_near_miss_even_when_plugins_are_loaded() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092", PluginLibraryPaths = "monitoring-interceptor" };
                config.Set({|#0:"enable.idempotance"|}, "true");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "enable.idempotance", "enable.idempotence"));

    // ---- flagged: a Confluent key for the other kind of client ------------------------------------

    [Fact]
    public Task Flags_producer_only_dotnet_key_given_to_a_consumer() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["group.id"] = "orders",
                    [{|#0:"dotnet.producer.enable.delivery.reports"|}] = "false",
                };
                using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
            }
        }
        """, WrongClient(0, "dotnet.producer.enable.delivery.reports", "a consumer"));

    [Fact]
    public Task Flags_consumer_only_dotnet_key_given_to_a_producer() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:"dotnet.consumer.consume.result.fields"|}, "none");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, WrongClient(0, "dotnet.consumer.consume.result.fields", "a producer"));

    [Fact]
    public Task Flags_client_specific_dotnet_key_given_to_an_admin_client() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new AdminClientConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:"dotnet.producer.enable.background.poll"|}, "false");
                using var admin = new AdminClientBuilder(config).Build();
            }
        }
        """, WrongClient(0, "dotnet.producer.enable.background.poll", "an admin client"));

    [Fact]
    public Task Flags_shared_dictionary_with_producer_key_once_for_the_consumer() => Verify("""
        class Service
        {
            void Run()
            {
                var common = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["group.id"] = "orders",
                    [{|#0:"dotnet.producer.enable.delivery.reports"|}] = "false",
                };
                using var producer = new ProducerBuilder<string, string>(common).Build();
                using var consumer = new ConsumerBuilder<Ignore, string>(common).Build();
            }
        }
        """, WrongClient(0, "dotnet.producer.enable.delivery.reports", "a consumer"));

    // ---- silent: known keys -----------------------------------------------------------------------

    [Fact]
    public Task Silent_for_every_key_of_the_table_and_every_topic_prefixed_topic_key_but_not_for_an_unknown_one()
    {
        // plugin.library.paths is left out: it would silence keys without a suggestion, like the last one.
        var keys = LibrdkafkaProperties.AllKeys
            .Concat(LibrdkafkaProperties.AllKeys.Where(k => LibrdkafkaProperties.IsKnown("topic." + k)).Select(k => "topic." + k))
            .Where(k => k != "plugin.library.paths")
            .ToList();
        Assert.True(keys.Count > 200, $"only {keys.Count} keys");
        var entries = string.Join("\n", keys.Select(k => $"            [\"{k}\"] = \"1\","));

        // The one unknown key at the end shows the dictionary is analysed.
        return Verify($$"""
            static class AllKeys
            {
                public static ProducerConfig Create()
                {
                    var values = new Dictionary<string, string>
                    {
            {{entries}}
                        [{|#0:"not.a.key"|}] = "1",
                    };
                    return new ProducerConfig(values);
                }
            }
            """, Unknown(0, "not.a.key"));
    }

    [Fact]
    public Task Silent_for_alias_keys() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    { "bootstrap.servers", "localhost:9092" },
                    { "acks", "all" },
                    { "retries", "5" },
                    { "linger.ms", "5" },
                    { "max.in.flight", "5" },
                    { "delivery.timeout.ms", "120000" },
                    { "sasl.mechanism", "PLAIN" },
                    { "compression.type", "lz4" },
                    { "batch.num.messages", "1000" },
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_hidden_librdkafka_keys() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set("client.software.name", "orders-service");
                config.Set("client.software.version", "1.2.0");
                config.Set("metadata.request.timeout.ms", "60000");
                config.Set("enable.sparse.connections", "true");
                config.Set("enable_sasl_queue", "false");
                config.Set("test.mock.num.brokers", "3");
                config.Set("test.mock.broker.rtt", "10");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_dotnet_keys_on_the_client_that_consumes_them() => Verify("""
        class Service
        {
            void Run()
            {
                var producerConfig = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["dotnet.producer.enable.background.poll"] = "true",
                    ["dotnet.producer.enable.delivery.reports"] = "true",
                    ["dotnet.producer.delivery.report.fields"] = "key,value,status",
                    ["dotnet.cancellation.delay.max.ms"] = "100",
                };
                using var producer = new ProducerBuilder<string, string>(producerConfig).Build();

                var consumerConfig = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "orders" };
                consumerConfig.Set("dotnet.consumer.consume.result.fields", "headers,timestamp");
                consumerConfig.Set("dotnet.cancellation.delay.max.ms", "50");
                using var consumer = new ConsumerBuilder<Ignore, string>(consumerConfig).Build();

                var adminConfig = new AdminClientConfig { BootstrapServers = "localhost:9092" };
                adminConfig.Set("dotnet.cancellation.delay.max.ms", "50");
                using var admin = new AdminClientBuilder(adminConfig).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_client_specific_dotnet_key_on_a_config_with_no_builder_in_view() => Verify("""
        static class KafkaConfigs
        {
            public static ClientConfig Shared()
            {
                var config = new ClientConfig { BootstrapServers = "localhost:9092" };
                config.Set("dotnet.producer.enable.delivery.reports", "false");
                return config;
            }
        }
        """);

    [Fact]
    public Task Silent_for_topic_level_keys_set_globally() => Verify("""
        class Service
        {
            void Run()
            {
                var producerConfig = new ProducerConfig { BootstrapServers = "localhost:9092" };
                producerConfig.Set("acks", "all");
                producerConfig.Set("message.timeout.ms", "30000");
                producerConfig.Set("request.timeout.ms", "30000");
                producerConfig.Set("partitioner", "murmur2_random");
                producerConfig.Set("topic.compression.codec", "lz4");
                using var producer = new ProducerBuilder<string, string>(producerConfig).Build();

                var consumerConfig = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["group.id"] = "orders",
                    ["auto.offset.reset"] = "earliest",
                    ["topic.auto.offset.reset"] = "earliest",
                };
                using var consumer = new ConsumerBuilder<Ignore, string>(consumerConfig).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_typed_properties() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    EnableIdempotence = true,
                    EnableDeliveryReports = true,
                    DeliveryReportFields = "all",
                    CancellationDelayMaxMs = 100,
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    // ---- silent: keys the analyzer cannot read ---------------------------------------------------

    [Fact]
    public Task Silent_for_dynamic_keys() => Verify("""
        class Service
        {
            private readonly string _prefix = "sasl.";

            void Run(IConfiguration configuration, string key, string value)
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set(key, value);
                config.Set(_prefix + "passwrd", value);
                config.Set($"{key}.ms", "1");
                foreach (var pair in configuration.GetSection("Kafka").AsEnumerable())
                {
                    if (pair.Value is not null)
                    {
                        config.Set(pair.Key, pair.Value);
                    }
                }

                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_reads_and_removals() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                var idempotent = config.Get("enable.idempotance");
                var values = new Dictionary<string, string> { ["bootstrap.servers"] = "localhost:9092" };
                values.TryGetValue("foo.bar", out var foo);
                var hasIt = values.ContainsKey("Enable.Idempotence");
                values.Remove("key.serializer");
                using var producer = new ProducerBuilder<string, string>(config).Build();
                using var other = new ProducerBuilder<string, string>(values).Build();
                Console.WriteLine($"{idempotent} {foo} {hasIt}");
            }
        }
        """);

    // ---- silent: settings that never reach librdkafka ---------------------------------------------

    [Fact]
    public Task Silent_for_dictionaries_that_never_reach_kafka() => Verify("""
        class Service
        {
            private readonly Dictionary<string, string> _headers = new() { ["x-correlation.idd"] = "1" };

            void Run()
            {
                var tags = new Dictionary<string, string> { { "enable.idempotance", "true" } };
                tags.Add("foo.bar", "baz");
                var pairs = new List<KeyValuePair<string, string>> { new("key.serializer", "x") };
                Console.WriteLine(tags.Count + pairs.Count + _headers.Count);
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_schema_registry_style_config_dictionaries() => Verify("""
        sealed class RegistryClient
        {
            public RegistryClient(IEnumerable<KeyValuePair<string, string>> config) { }
        }

        class Service
        {
            void Run()
            {
                var registryConfig = new Dictionary<string, string>
                {
                    ["schema.registry.url"] = "http://localhost:8081",
                    ["schema.registry.basic.auth.user.info"] = "user:secret",
                };
                var registry = new RegistryClient(registryConfig);
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_serializer_configs_derived_from_Config_but_not_ClientConfig() => Verify("""
        // The shape of Confluent.SchemaRegistry's SerdeConfig / AvroSerializerConfig.
        class SerializerConfig : Config
        {
            public SerializerConfig() { }
            public SerializerConfig(IDictionary<string, string> config) : base(config) { }
        }

        class Service
        {
            void Run()
            {
                var serializerConfig = new SerializerConfig();
                serializerConfig.Set("avro.serializer.auto.register.schemas", "false");
                var wrapped = new SerializerConfig(new Dictionary<string, string> { ["avro.serializer.use.latest.version"] = "true" });
                var values = new Dictionary<string, string> { { "json.serializer.use.latest.version", "true" } };
                var fromValues = new SerializerConfig(values);
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Flags_plugin_key_when_no_plugin_is_loaded() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:"confluent.monitoring.interceptor.publishMs"|}, "15000");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "confluent.monitoring.interceptor.publishMs"));

    [Fact]
    public Task Silent_for_plugin_keys_when_plugins_are_loaded() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["plugin.library.paths"] = "monitoring-interceptor",
                    ["confluent.monitoring.interceptor.publishMs"] = "15000",
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                var typed = new ProducerConfig { BootstrapServers = "localhost:9092", PluginLibraryPaths = "monitoring-interceptor" };
                typed.Set("confluent.monitoring.interceptor.topic", "_monitoring");
                using var other = new ProducerBuilder<string, string>(typed).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_consumer_keys_given_to_a_producer() => Verify("""
        // Shape seen in a public service: consumer settings copied into a producer dictionary.
        // librdkafka accepts them (it only logs that they do not apply to a producer).
        public class Producer : IDisposable
        {
            private readonly IProducer<string, string> _producer;

            public Producer()
            {
                var builder = new ProducerBuilder<string, string>(new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["enable.auto.commit"] = "true",
                    ["enable.auto.offset.store"] = "true",
                    ["fetch.message.max.bytes"] = "10240",
                    ["fetch.min.bytes"] = "10000",
                });
                _producer = builder.Build();
            }

            public void Dispose() => _producer.Dispose();
        }
        """);

    [Fact]
    public Task Silent_for_mock_cluster_admin_client_in_a_test_fixture() => Verify("""
        // Shape seen in a public test fixture: librdkafka's hidden mock-cluster key.
        class Fixture
        {
            private IAdminClient? _mockCluster;

            public IAdminClient MockCluster => _mockCluster ??= new AdminClientBuilder(new ClientConfig(new Dictionary<string, string>
            {
                { "bootstrap.servers", "localhost:9300" },
                { "test.mock.num.brokers", "3" },
            })).Build();
        }
        """);

    [Fact]
    public Task Silent_for_dictionary_filtered_before_the_builder() => Verify("""
        class Service
        {
            void Run()
            {
                var all = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["schema.registry.url"] = "http://localhost:8081",
                };
                var kafkaOnly = all.Where(pair => !pair.Key.StartsWith("schema.registry.", StringComparison.Ordinal));
                using var producer = new ProducerBuilder<string, string>(kafkaOnly).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_known_keys_whatever_their_values() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["acks"] = "most",
                    ["compression.type"] = "brotli",
                    ["linger.ms"] = "soon",
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Silent_for_object_valued_dictionaries_of_the_old_client_api() => Verify("""
        sealed class LegacyRegistryClient
        {
            public LegacyRegistryClient(IEnumerable<KeyValuePair<string, object>> config) { }
        }

        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, object>
                {
                    { "schema.registry.url", "http://localhost:8081" },
                    { "schema.registry.max.cached.schemas", 10 },
                };
                var client = new LegacyRegistryClient(config);
            }
        }
        """);

    [Fact]
    public Task Silent_for_Set_inside_a_serializer_config_subclass() => Verify("""
        class EncryptingSerializerConfig : Config
        {
            public EncryptingSerializerConfig(string secret)
            {
                Set("rules.secret", secret);
                this.Set("rules.encrypt.alternate.kms.key.ids", "key2,key3");
            }
        }
        """);

    [Fact]
    public Task Silent_for_schema_registry_keys_on_a_registry_config() => Verify("""
        class Schemas
        {
            void Run()
            {
                // schema.registry.* keys belong to Confluent.SchemaRegistry's client, not to librdkafka.
                var config = new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = "https://registry.internal:8081" };
                config.Set("schema.registry.basic.auth.credentials.source", "USER_INFO");
                config.Set("schema.registry.enable.ssl.certificate.verification", "true");
                using var client = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(config);
            }
        }
        """);
}

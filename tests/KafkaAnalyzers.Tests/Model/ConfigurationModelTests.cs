using KafkaAnalyzers.Model;

namespace KafkaAnalyzers.Tests.Model;

public class ConfigurationModelTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using Confluent.Kafka;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Options;

        """;

    private static Task<KafkaTypeAnalysis> Analyze(string body) => ModelHarness.AnalyzeAsync(Usings + body);

    private static void AssertKnown(ConfigContext context, string key, string value)
    {
        var setting = context.Get(key);
        Assert.Equal(SettingKind.Known, setting.Kind);
        Assert.Equal(value, setting.Value);
    }

    [Fact]
    public async Task Object_initializer_value_is_known_and_unset_settings_default()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { BootstrapServers = "localhost:9092", Acks = Acks.Leader };
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        var context = analysis.SingleContext(ClientRole.Producer);
        AssertKnown(context, ConfigKeys.Acks, "1");
        Assert.True(context.DefaultsApply);
        Assert.Equal(SettingKind.Default, context.Get(ConfigKeys.EnableIdempotence).Kind);
        Assert.Equal("false", context.Get(ConfigKeys.EnableIdempotence).Value);
    }

    [Fact]
    public async Task Last_writer_wins_across_initializer_assignment_and_alias_keys()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { Acks = Acks.All };
                    config.Set("request.required.acks", "1");
                    config.Set("retries", "3");
                    config.MessageSendMaxRetries = 7;
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        var context = analysis.SingleContext(ClientRole.Producer);
        AssertKnown(context, ConfigKeys.Acks, "1");
        AssertKnown(context, ConfigKeys.Retries, "7");
    }

    [Fact]
    public async Task Dictionary_and_pair_list_configs_are_followed_into_the_builder()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { { "bootstrap.servers", "b:9092" }, { "acks", "0" } };
                    settings["linger.ms"] = "20";
                    settings.Add("enable.idempotence", "false");
                    using var producer = new ProducerBuilder<string, string>(settings).Build();

                    var pairs = new List<KeyValuePair<string, string>> { new("group.id", "g"), KeyValuePair.Create("session.timeout.ms", "6000") };
                    pairs.Add(new KeyValuePair<string, string>("heartbeat.interval.ms", "5000"));
                    using var consumer = new ConsumerBuilder<string, string>(pairs).Build();
                }
            }
            """);

        var producer = analysis.SingleContext(ClientRole.Producer);
        AssertKnown(producer, ConfigKeys.Acks, "0");
        AssertKnown(producer, ConfigKeys.LingerMs, "20");
        AssertKnown(producer, ConfigKeys.EnableIdempotence, "false");
        Assert.True(producer.DefaultsApply);

        var consumer = analysis.SingleContext(ClientRole.Consumer);
        AssertKnown(consumer, ConfigKeys.SessionTimeoutMs, "6000");
        AssertKnown(consumer, ConfigKeys.HeartbeatIntervalMs, "5000");
    }

    [Fact]
    public async Task Array_of_pairs_passed_inline()
    {
        var analysis = await Analyze("""
            class Service
            {
                IProducer<string, string> Create()
                    => new ProducerBuilder<string, string>(new[] { new KeyValuePair<string, string>("acks", "1") }).Build();
            }
            """);

        AssertKnown(analysis.SingleContext(ClientRole.Producer), ConfigKeys.Acks, "1");
    }

    [Fact]
    public async Task Copy_constructor_inherits_the_source_settings_at_that_point()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var shared = new ClientConfig { BootstrapServers = "b:9092", Acks = Acks.Leader };
                    var config = new ProducerConfig(shared) { LingerMs = 10 };
                    shared.Acks = Acks.All;
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        var context = analysis.SingleContext(ClientRole.Producer);
        AssertKnown(context, ConfigKeys.Acks, "1");
        AssertKnown(context, ConfigKeys.LingerMs, "10");
        Assert.True(context.DefaultsApply);
    }

    [Fact]
    public async Task Wrapped_dictionary_is_the_same_object_as_the_config()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["bootstrap.servers"] = "b:9092" };
                    var config = new ProducerConfig(settings);
                    settings["acks"] = "0";
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        AssertKnown(analysis.SingleContext(ClientRole.Producer), ConfigKeys.Acks, "0");
    }

    [Fact]
    public async Task Field_config_set_up_in_the_constructor_reaches_a_builder_in_another_method()
    {
        var analysis = await Analyze("""
            class Service
            {
                private readonly ProducerConfig _config;
                private readonly ConsumerConfig _consumerConfig = new() { GroupId = "g", SessionTimeoutMs = 6000 };

                public Service(IConfiguration configuration)
                {
                    _config = new ProducerConfig { BootstrapServers = configuration["Kafka:Servers"] };
                    _config.Acks = Acks.None;
                }

                public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();

                public IConsumer<string, string> CreateConsumer() => new ConsumerBuilder<string, string>(_consumerConfig).Build();
            }
            """);

        var producer = analysis.SingleContext(ClientRole.Producer);
        AssertKnown(producer, ConfigKeys.Acks, "0");
        Assert.Equal(SettingKind.Unknown, producer.Get("bootstrap.servers").Kind);
        Assert.True(producer.DefaultsApply);
        AssertKnown(analysis.SingleContext(ClientRole.Consumer), ConfigKeys.SessionTimeoutMs, "6000");
    }

    [Fact]
    public async Task Field_config_written_outside_the_constructor_makes_that_setting_unknown()
    {
        var analysis = await Analyze("""
            class Service
            {
                private readonly ProducerConfig _config = new() { Acks = Acks.Leader, LingerMs = 5 };

                public void Tune() => _config.Acks = Acks.All;

                public IProducer<string, string> Create() => new ProducerBuilder<string, string>(_config).Build();
            }
            """);

        var context = analysis.SingleContext(ClientRole.Producer);
        Assert.Equal(SettingKind.Unknown, context.Get(ConfigKeys.Acks).Kind);
        AssertKnown(context, ConfigKeys.LingerMs, "5");
    }

    [Fact]
    public async Task Public_field_config_is_not_followed()
    {
        var analysis = await Analyze("""
            class Service
            {
                public ProducerConfig Config = new() { Acks = Acks.Leader };

                public IProducer<string, string> Create() => new ProducerBuilder<string, string>(Config).Build();
            }
            """);

        var atBuilder = Assert.Single(analysis.Configurations.Contexts, c => c.Builder is not null);
        Assert.False(atBuilder.DefaultsApply);
        Assert.Equal(SettingKind.Unknown, atBuilder.Get(ConfigKeys.Acks).Kind);
    }

    [Fact]
    public async Task Binding_from_configuration_makes_earlier_settings_unknown_and_later_ones_known()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ProducerConfig { Acks = Acks.Leader, LingerMs = 1 };
                    configuration.GetSection("Kafka").Bind(config);
                    config.EnableIdempotence = false;
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        var context = analysis.SingleContext(ClientRole.Producer);
        Assert.Equal(SettingKind.Unknown, context.Get(ConfigKeys.Acks).Kind);
        Assert.Equal(SettingKind.Unknown, context.Get(ConfigKeys.LingerMs).Kind);
        AssertKnown(context, ConfigKeys.EnableIdempotence, "False");
        Assert.False(context.DefaultsApply);
    }

    [Theory]
    [InlineData("void Run(ProducerConfig config) { using var p = new ProducerBuilder<string, string>(config).Build(); }")]
    [InlineData("void Run(IOptions<ProducerConfig> options) { using var p = new ProducerBuilder<string, string>(options.Value).Build(); }")]
    [InlineData("void Run(IConfiguration c) { using var p = new ProducerBuilder<string, string>(c.GetSection(\"Kafka\").Get<ProducerConfig>()!).Build(); }")]
    [InlineData("void Run() { using var p = new ProducerBuilder<string, string>(Create()).Build(); } static ProducerConfig Create() => new() { Acks = Acks.Leader };")]
    [InlineData("void Run(IConfiguration c) { using var p = new ProducerBuilder<string, string>(new ProducerConfig(c.GetSection(\"Kafka\").Get<Dictionary<string, string>>()!)).Build(); }")]
    public async Task Configs_from_elsewhere_are_unknown_at_the_builder(string members)
    {
        var analysis = await Analyze("class Service { " + members + " }");

        var atBuilder = Assert.Single(analysis.Configurations.Contexts, c => c.Builder is not null);
        Assert.False(atBuilder.DefaultsApply);
        Assert.Equal(SettingKind.Unknown, atBuilder.Get(ConfigKeys.Acks).Kind);
        Assert.Equal(SettingKind.Unknown, atBuilder.Get(ConfigKeys.EnableIdempotence).Kind);
    }

    [Fact]
    public async Task Write_on_some_paths_only_is_unknown()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run(bool fast)
                {
                    var config = new ProducerConfig { Acks = Acks.All };
                    if (fast)
                    {
                        config.Acks = Acks.Leader;
                    }

                    config.LingerMs = fast ? 0 : 50;
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        var context = analysis.SingleContext(ClientRole.Producer);
        Assert.Equal(SettingKind.Unknown, context.Get(ConfigKeys.Acks).Kind);
        Assert.Equal(SettingKind.Unknown, context.Get(ConfigKeys.LingerMs).Kind);
        Assert.True(context.DefaultsApply);
    }

    [Fact]
    public async Task Dictionary_filled_in_a_loop_is_unknown()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run(IDictionary<string, string> overrides)
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

        var context = analysis.SingleContext(ClientRole.Producer);
        Assert.Equal(SettingKind.Unknown, context.Get(ConfigKeys.Acks).Kind);
        Assert.False(context.DefaultsApply);
    }

    [Fact]
    public async Task Config_passed_to_unknown_code_before_the_builder_is_unknown()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { Acks = Acks.Leader };
                    ApplyOverrides(config);
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }

                static void ApplyOverrides(ProducerConfig config) { }
            }
            """);

        Assert.Equal(SettingKind.Unknown, analysis.SingleContext(ClientRole.Producer).Get(ConfigKeys.Acks).Kind);
    }

    [Fact]
    public async Task Config_handed_off_as_the_last_use_keeps_known_values_but_no_defaults()
    {
        var analysis = await Analyze("""
            class Service
            {
                public static ProducerConfig Create() => new ProducerConfig { Acks = Acks.Leader };

                public static ProducerConfig CreateMore()
                {
                    var config = new ProducerConfig { LingerMs = 3 };
                    config.EnableIdempotence = false;
                    return config;
                }
            }
            """);

        var contexts = analysis.Configurations.Contexts;
        Assert.Equal(2, contexts.Length);
        Assert.All(contexts, c => Assert.False(c.DefaultsApply));
        AssertKnown(contexts[0], ConfigKeys.Acks, "1");
        AssertKnown(contexts[1], ConfigKeys.EnableIdempotence, "False");
        Assert.Equal(SettingKind.Unknown, contexts[1].Get(ConfigKeys.Acks).Kind);
    }

    [Fact]
    public async Task Null_removes_the_setting_and_the_default_applies()
    {
        var analysis = await Analyze("""
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

        var setting = analysis.SingleContext(ClientRole.Producer).Get(ConfigKeys.Acks);
        Assert.Equal(SettingKind.Default, setting.Kind);
        Assert.Equal("-1", setting.Value);
    }

    [Fact]
    public async Task Lambda_registration_is_its_own_visible_scope()
    {
        var analysis = await Analyze("""
            class Service
            {
                Func<IProducer<string, string>> Register(IConfiguration configuration) => () =>
                {
                    var config = new ProducerConfig { BootstrapServers = configuration["Kafka:Servers"], Acks = Acks.Leader };
                    return new ProducerBuilder<string, string>(config).Build();
                };
            }
            """);

        var context = analysis.SingleContext(ClientRole.Producer);
        AssertKnown(context, ConfigKeys.Acks, "1");
        Assert.True(context.DefaultsApply);
    }

    [Fact]
    public async Task Top_level_statements_are_analysed()
    {
        var source = Usings + """
            var config = new ProducerConfig { Acks = Acks.None };
            using var producer = new ProducerBuilder<string, string>(config).Build();
            """;
        var analysis = await ModelHarness.AnalyzeAsync(source, "Program", Microsoft.CodeAnalysis.OutputKind.ConsoleApplication);
        AssertKnown(analysis.SingleContext(ClientRole.Producer), ConfigKeys.Acks, "0");
    }

    [Fact]
    public async Task Writes_include_configs_the_model_cannot_follow()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run(ProducerConfig config, IOptions<ConsumerConfig> options)
                {
                    config.SaslPassword = "p4ss";
                    options.Value.Set("sasl.password", "p4ss");
                    var unrelated = new Dictionary<string, string> { ["sasl.password"] = "not kafka" };
                }
            }
            """);

        var writes = analysis.Configurations.Writes;
        Assert.Equal(2, writes.Length);
        Assert.All(writes, w => Assert.Equal("sasl.password", w.CanonicalKey));
        Assert.Equal(ConfigWriteForm.Property, writes[0].Form);
        Assert.Equal(ConfigWriteForm.SetCall, writes[1].Form);
    }

    [Fact]
    public async Task Config_used_only_as_a_copy_source_has_no_context_of_its_own()
    {
        var analysis = await Analyze("""
            class Service
            {
                private static readonly ClientConfig Shared = new() { SecurityProtocol = SecurityProtocol.SaslPlaintext };

                void Run()
                {
                    var local = new ClientConfig { Acks = Acks.Leader };
                    using var producer = new ProducerBuilder<string, string>(new ProducerConfig(local) { LingerMs = 1 }).Build();
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig(Shared) { GroupId = "g" }).Build();
                    using var inline = new ProducerBuilder<string, string>(new ProducerConfig(new ClientConfig { Acks = Acks.None })).Build();
                }
            }
            """);

        var contexts = analysis.Configurations.Contexts;
        Assert.Equal(3, contexts.Length);
        Assert.All(contexts, c => Assert.NotNull(c.Builder));
        AssertKnown(contexts[0], ConfigKeys.Acks, "1");
        AssertKnown(contexts[1], ConfigKeys.SecurityProtocol, "sasl_plaintext");
        AssertKnown(contexts[2], ConfigKeys.Acks, "0");
    }

    [Fact]
    public async Task Copy_source_that_is_also_handed_out_keeps_its_own_context()
    {
        var analysis = await Analyze("""
            class Service
            {
                private static readonly ClientConfig Shared = new() { Acks = Acks.Leader };

                public static ClientConfig Defaults() => Shared;

                public IProducer<string, string> Create() => new ProducerBuilder<string, string>(new ProducerConfig(Shared)).Build();

                public static ClientConfig Passed()
                {
                    var template = new ClientConfig { MaxInFlight = 7 };
                    var copy = new ProducerConfig(template);
                    Register(template);
                    return copy;
                }

                static void Register(ClientConfig config) { }
            }
            """);

        var handedOff = analysis.Configurations.Contexts.Where(c => c.Builder is null).ToList();
        Assert.Contains(handedOff, c => c.Role == ClientRole.Unknown && c.Get(ConfigKeys.Acks).Value == "1");
        Assert.Contains(handedOff, c => c.Role == ClientRole.Unknown && c.Get(ConfigKeys.MaxInFlight).Value == "7");
    }

    [Fact]
    public async Task Config_declared_and_written_in_one_switch_section_is_known()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run(string environment)
                {
                    switch (environment)
                    {
                        case "load-test":
                            var config = new ProducerConfig();
                            config.Set("retries", "0");
                            using (var producer = new ProducerBuilder<string, string>(config).Build()) { }
                            break;
                    }
                }
            }
            """);

        var context = analysis.SingleContext(ClientRole.Producer);
        AssertKnown(context, ConfigKeys.Retries, "0");
        Assert.True(context.DefaultsApply);
    }

    [Fact]
    public async Task Contexts_follow_source_order_whatever_order_blocks_are_analysed_in()
    {
        var methods = string.Concat(Enumerable.Range(1, 24).Select(i => $"    public static ProducerConfig Create{i}() => new ProducerConfig {{ LingerMs = {i} }};\n"));
        var analysis = await Analyze("class Service\n{\n" + methods + "}\n");

        var lingers = analysis.Configurations.Contexts.Select(c => c.Get(ConfigKeys.LingerMs).Value).ToArray();
        Assert.Equal(Enumerable.Range(1, 24).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lingers);
    }

    [Fact]
    public async Task Config_that_is_only_inspected_reaches_no_client()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Inspect()
                {
                    var config = new ProducerConfig { Acks = Acks.Leader };
                    Console.WriteLine(config.Get("acks") + config.Acks);
                }

                ProducerConfig HandOn()
                {
                    var config = new ProducerConfig { Acks = Acks.None };
                    return config;
                }

                void Pass(Action<ProducerConfig> register) => register(new ProducerConfig { LingerMs = 1 });
            }
            """);

        var contexts = analysis.Configurations.Contexts;
        Assert.Equal(2, contexts.Length);
        AssertKnown(contexts[0], ConfigKeys.Acks, "0");
        AssertKnown(contexts[1], ConfigKeys.LingerMs, "1");
    }

    [Fact]
    public async Task Schema_registry_writes_are_tracked_apart_from_client_writes()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var registry = new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = "https://registry.internal:8081" };
                    registry.EnableSslCertificateVerification = false;
                    registry.Set("schema.registry.max.cached.schemas", "100");
                    var config = new ProducerConfig { BootstrapServers = "kafka.internal:9093", EnableSslCertificateVerification = false };
                    using var client = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(registry);
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        var model = analysis.Configurations;
        Assert.Equal(
            new[] { "schema.registry.url", "schema.registry.enable.ssl.certificate.verification", "schema.registry.max.cached.schemas" },
            model.SchemaRegistryWrites.Select(w => w.CanonicalKey));
        Assert.All(model.SchemaRegistryWrites, w => Assert.True(w.IsSchemaRegistry));
        Assert.Equal(new[] { ConfigKeys.BootstrapServers, ConfigKeys.EnableSslCertificateVerification }, model.Writes.Select(w => w.CanonicalKey));
        Assert.DoesNotContain(model.Writes, w => w.IsSchemaRegistry);

        // One client context (the producer), one registry context whose settings are those written.
        Assert.Equal(ClientRole.Producer, Assert.Single(model.Contexts).Role);
        var registry = Assert.Single(model.SchemaRegistryContexts);
        AssertKnown(registry, "schema.registry.url", "https://registry.internal:8081");
        AssertKnown(registry, "schema.registry.enable.ssl.certificate.verification", "False");
    }
}

using KafkaAnalyzers.Model;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>
/// Only client configurations are Kafka configurations: Confluent.SchemaRegistry's SerdeConfig family
/// derives from Confluent.Kafka.Config but not from ClientConfig, and its settings never reach
/// librdkafka. <c>SerializerSettings</c> below has that shape (Confluent.SchemaRegistry itself is not
/// available to the tests).
/// </summary>
public class ClientConfigScopeTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using Confluent.Kafka;

        class SerializerSettings : Config
        {
            public SerializerSettings() { }
            public SerializerSettings(IDictionary<string, string> config) : base(config) { }
            public bool? AutoRegisterSchemas { set { SetObject("avro.serializer.auto.register.schemas", value); } }
        }

        """;

    private static Task<KafkaTypeAnalysis> Analyze(string body) => ModelHarness.AnalyzeAsync(Usings + body);

    [Fact]
    public async Task Writes_on_a_config_that_is_not_a_client_config_are_not_kafka_writes()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var settings = new SerializerSettings { AutoRegisterSchemas = false };
                    settings.Set("avro.serializer.use.latest.version", "true");
                }
            }
            """);

        Assert.Empty(analysis.Configurations.Writes);
        Assert.Empty(analysis.Configurations.Contexts);
    }

    [Fact]
    public async Task Set_on_a_non_client_config_parameter_is_not_a_kafka_write()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Configure(SerializerSettings settings) => settings.Set("avro.serializer.use.latest.version", "true");
            }
            """);

        Assert.Empty(analysis.Configurations.Writes);
    }

    [Fact]
    public async Task Dictionary_wrapped_by_a_non_client_config_does_not_feed_kafka()
    {
        var analysis = await Analyze("""
            class Service
            {
                SerializerSettings Create()
                {
                    var values = new Dictionary<string, string> { { "avro.serializer.use.latest.version", "true" } };
                    return new SerializerSettings(values);
                }
            }
            """);

        Assert.Empty(analysis.Configurations.Writes);
    }

    [Fact]
    public async Task Set_on_client_configs_of_every_static_type_is_a_kafka_write()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Producer(ProducerConfig config) => config.Set("a.key", "1");
                void Client(ClientConfig config) => config.Set("b.key", "1");
                void Base(Config config) => config.Set("c.key", "1");
                void Generic<T>(T config) where T : ConsumerConfig => config.Set("d.key", "1");
            }
            """);

        Assert.Equal(new[] { "a.key", "b.key", "c.key", "d.key" }, analysis.Configurations.Writes.Select(w => w.Key));
        Assert.All(analysis.Configurations.Writes, w => Assert.Equal(ConfigWriteForm.SetCall, w.Form));
    }

    [Fact]
    public async Task Topic_prefixed_key_sets_the_topic_level_setting()
    {
        var analysis = await Analyze("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { BootstrapServers = "b:9092" };
                    config.Set("topic.acks", "1");
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        var acks = analysis.SingleContext(ClientRole.Producer).Get(ConfigKeys.Acks);
        Assert.Equal(SettingKind.Known, acks.Kind);
        Assert.Equal("1", acks.Value);
    }
}

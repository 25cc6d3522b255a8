using System.Reflection;
using KafkaAnalyzers.Model;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>The consumer group settings the consumer configuration rules read, and the keys they use.</summary>
public class ConsumerSettingsTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using Confluent.Kafka;
        using Microsoft.Extensions.Configuration;

        """;

    public static TheoryData<string> AllConfigKeys()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(ConfigKeys).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            data.Add((string)field.GetRawConstantValue()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllConfigKeys))]
    public void Every_config_key_constant_is_a_canonical_librdkafka_key(string key)
        => Assert.Equal(key, LibrdkafkaProperties.Canonical(key));

    [Fact]
    public void Aliases_the_security_rules_rely_on_resolve_to_the_config_keys()
    {
        Assert.Equal(ConfigKeys.BootstrapServers, LibrdkafkaProperties.Canonical("bootstrap.servers"));
        Assert.Equal(ConfigKeys.SaslOauthbearerClientSecret, LibrdkafkaProperties.Canonical("sasl.oauthbearer.client.credentials.client.secret"));
        Assert.Equal(ConfigKeys.SaslMechanism, LibrdkafkaProperties.Canonical("sasl.mechanism"));
        Assert.Equal("45000", LibrdkafkaProperties.Default(ConfigKeys.SessionTimeoutMs));
        Assert.Equal("3000", LibrdkafkaProperties.Default(ConfigKeys.HeartbeatIntervalMs));
        Assert.Equal("classic", LibrdkafkaProperties.Default(ConfigKeys.GroupProtocol));
    }

    [Fact]
    public async Task Reads_session_heartbeat_and_group_protocol_with_defaults_on_a_visible_config()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SessionTimeoutMs = 6000 };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

        var settings = new ConsumerSettings(analysis.SingleContext(ClientRole.Consumer));
        Assert.Equal(6000, ConsumerSettings.Milliseconds(settings.SessionTimeout));
        Assert.Equal(SettingKind.Default, settings.HeartbeatInterval.Kind);
        Assert.Equal(3000, ConsumerSettings.Milliseconds(settings.HeartbeatInterval));
        Assert.False(settings.NextGenerationProtocol);
    }

    [Fact]
    public async Task Unset_settings_are_unknown_when_defaults_do_not_apply()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig();
                    configuration.GetSection("Kafka").Bind(config);
                    config.SessionTimeoutMs = 6000;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

        var settings = new ConsumerSettings(analysis.SingleContext(ClientRole.Consumer));
        Assert.Equal(6000, ConsumerSettings.Milliseconds(settings.SessionTimeout));
        Assert.Null(ConsumerSettings.Milliseconds(settings.HeartbeatInterval));
        Assert.False(settings.NextGenerationProtocol);
    }

    [Theory]
    [InlineData("GroupProtocol = GroupProtocol.Consumer", true)]
    [InlineData("GroupProtocol = GroupProtocol.Classic", false)]
    [InlineData("GroupId = \"g\"", false)]
    public async Task Recognises_the_next_generation_group_protocol(string initializer, bool expected)
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + $$"""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { {{initializer}} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

        Assert.Equal(expected, new ConsumerSettings(analysis.SingleContext(ClientRole.Consumer)).NextGenerationProtocol);
    }

    [Theory]
    [InlineData("6000", 6000L)]
    [InlineData(" 10000 ", 10000L)]
    [InlineData("1", 1L)]
    [InlineData("3600000", 3600000L)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("3600001", null)]
    [InlineData("all", null)]
    [InlineData("6s", null)]
    public async Task Milliseconds_accepts_only_values_librdkafka_accepts(string text, long? expected)
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + $$"""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["group.id"] = "g", ["session.timeout.ms"] = "{{text}}" };
                    using var consumer = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """);

        Assert.Equal(expected, ConsumerSettings.Milliseconds(new ConsumerSettings(analysis.SingleContext(ClientRole.Consumer)).SessionTimeout));
    }
}

using KafkaAnalyzers.Security;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = KafkaAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<KafkaAnalyzers.Security.SecurityConfigurationAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Security;

/// <summary>KAFKA201: a password or client secret written as a constant in source.</summary>
public class KAFKA201Tests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using Confluent.Kafka;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Options;

        """;

    private static DiagnosticResult Expected(int marker, string name)
        => Verify.Diagnostic(Descriptors.KAFKA201_HardCodedCredential).WithLocation(marker).WithArguments(name);

    private static Task VerifyAsync(string body, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + body, expected);

    // ---- positives ------------------------------------------------------------------------------

    [Fact]
    public Task Flags_sasl_password_literal_in_object_initializer()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        BootstrapServers = "pkc-123.confluent.cloud:9092",
                        SecurityProtocol = SecurityProtocol.SaslSsl,
                        SaslMechanism = SaslMechanism.Plain,
                        SaslUsername = "ABCDEFGHIJKLMNOP",
                        SaslPassword = {|#0:"cflt+s3cr3t/Value"|},
                        GroupId = "g",
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SaslPassword"));

    [Fact]
    public Task Flags_every_typed_secret_property()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig();
                    config.SslKeyPassword = {|#0:"key-pass"|};
                    config.SslKeystorePassword = {|#1:"keystore-pass"|};
                    config.SaslOauthbearerClientSecret = {|#2:"client-secret"|};
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SslKeyPassword"), Expected(1, "SslKeystorePassword"), Expected(2, "SaslOauthbearerClientSecret"));

    [Fact]
    public Task Flags_set_call_with_the_string_key()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.Set("sasl.password", {|#0:"hunter2"|});
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "'sasl.password'"));

    [Fact]
    public Task Flags_dictionary_entries_including_the_client_secret_alias()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string>
                    {
                        { "bootstrap.servers", "b:9092" },
                        { "ssl.key.password", {|#0:"key-pass"|} },
                        { "sasl.oauthbearer.client.credentials.client.secret", {|#1:"oidc-secret"|} },
                    };
                    settings.Add("ssl.keystore.password", {|#2:"store-pass"|});
                    settings["sasl.oauthbearer.client.secret"] = {|#3:"other-secret"|};
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                }
            }
            """,
            Expected(0, "'ssl.key.password'"),
            Expected(1, "'sasl.oauthbearer.client.credentials.client.secret'"),
            Expected(2, "'ssl.keystore.password'"),
            Expected(3, "'sasl.oauthbearer.client.secret'"));

    [Fact]
    public Task Flags_key_value_pairs_in_a_list_and_an_array()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var pairs = new List<KeyValuePair<string, string>> { new("group.id", "g"), new("sasl.password", {|#0:"list-pass"|}) };
                    pairs.Add(KeyValuePair.Create("ssl.key.password", {|#1:"key-pass"|}));
                    using var consumer = new ConsumerBuilder<string, string>(pairs).Build();
                    using var producer = new ProducerBuilder<string, string>(new[] { new KeyValuePair<string, string>("sasl.password", {|#2:"array-pass"|}) }).Build();
                }
            }
            """, Expected(0, "'sasl.password'"), Expected(1, "'ssl.key.password'"), Expected(2, "'sasl.password'"));

    [Fact]
    public Task Flags_wrapped_dictionary()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["sasl.password"] = {|#0:"wrapped-pass"|} };
                    var config = new ConsumerConfig(settings) { GroupId = "g" };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "'sasl.password'"));

    [Fact]
    public Task Flags_a_const_field()
        => VerifyAsync("""
            class Service
            {
                private const string KafkaPassword = "p@ssw0rd-2024";

                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = {|#0:KafkaPassword|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SaslPassword"));

    [Fact]
    public Task Flags_constant_interpolation_and_concatenation()
        => VerifyAsync("""
            class Service
            {
                private const string Environment = "prod";

                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SaslPassword = {|#0:$"{Environment}-kafka-2024"|},
                        SslKeyPassword = {|#1:"key-" + Environment|},
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SaslPassword"), Expected(1, "SslKeyPassword"));

    [Fact]
    public Task Flags_a_config_passed_in_as_a_parameter()
        => VerifyAsync("""
            static class KafkaSecurity
            {
                public static void Apply(ClientConfig config)
                {
                    config.SaslUsername = "svc-orders";
                    config.SaslPassword = {|#0:"orders-pass"|};
                }
            }
            """, Expected(0, "SaslPassword"));

    [Fact]
    public Task Flags_options_value_and_configure_lambda()
        => VerifyAsync("""
            class Service
            {
                public Service(IOptions<ProducerConfig> options)
                {
                    options.Value.Set("sasl.password", {|#0:"options-pass"|});
                }

                public static Action<ConsumerConfig> Configure => c => c.SaslPassword = {|#1:"lambda-pass"|};
            }
            """, Expected(0, "'sasl.password'"), Expected(1, "SaslPassword"));

    [Fact]
    public Task Flags_producer_consumer_and_admin_configs()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var producer = new ProducerConfig { SaslPassword = {|#0:"p1"|} };
                    var consumer = new ConsumerConfig { SaslPassword = {|#1:"p2"|}, GroupId = "g" };
                    var admin = new AdminClientConfig { SaslPassword = {|#2:"p3"|} };
                    using var p = new ProducerBuilder<string, string>(producer).Build();
                    using var c = new ConsumerBuilder<string, string>(consumer).Build();
                    using var a = new AdminClientBuilder(admin).Build();
                }
            }
            """, Expected(0, "SaslPassword"), Expected(1, "SaslPassword"), Expected(2, "SaslPassword"));

    [Fact]
    public Task Flags_a_field_config_and_a_shared_client_config_that_is_copied()
        => VerifyAsync("""
            class Service
            {
                private static readonly ClientConfig Shared = new() { SaslUsername = "svc", SaslPassword = {|#0:"shared-pass"|} };
                private readonly ConsumerConfig _config = new(Shared) { GroupId = "g" };

                public IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(_config).Build();
            }
            """, Expected(0, "SaslPassword"));

    [Fact]
    public Task Flags_a_literal_even_when_written_only_in_development()
        => VerifyAsync("""
            using Microsoft.Extensions.Hosting;

            class Service
            {
                void Run(IHostEnvironment env, IConfiguration configuration)
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = configuration["Kafka:Password"] };
                    if (env.IsDevelopment())
                    {
                        config.SaslPassword = {|#0:"local-dev-pass"|};
                    }

                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SaslPassword"));

    [Fact]
    public Task Flags_a_literal_used_as_a_null_coalescing_default()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    configuration.GetSection("Kafka").Bind(config);
                    config.SaslPassword ??= {|#0:"fallback-pass"|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SaslPassword"));

    [Theory]
    [InlineData("password")]
    [InlineData("changeme")]
    [InlineData("admin-secret")]
    [InlineData("Kafka123!")]
    [InlineData("<not closed")]
    public Task Flags_weak_literal_passwords(string value)
        => VerifyAsync($$"""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = {|#0:"{{value}}"|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SaslPassword"));

    [Fact]
    public async Task Flags_top_level_statements()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                var config = new ProducerConfig { BootstrapServers = "b:9092", SaslUsername = "u", SaslPassword = {|#0:"top-level-pass"|} };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Expected(0, "SaslPassword"));
        await test.RunAsync();
    }

    // ---- negatives ------------------------------------------------------------------------------

    [Theory]
    [InlineData("<api-secret>")]
    [InlineData("<YOUR PASSWORD>")]
    [InlineData("{password}")]
    [InlineData("{{kafka_password}}")]
    [InlineData("${KAFKA_PASSWORD}")]
    [InlineData("$(KafkaPassword)")]
    [InlineData("#{Kafka.Password}#")]
    [InlineData("%KAFKA_PASSWORD%")]
    [InlineData("__KAFKA_PASSWORD__")]
    [InlineData("[password]")]
    [InlineData("$KAFKA_PASSWORD")]
    [InlineData("***")]
    [InlineData("xxxxxxxx")]
    [InlineData("...")]
    [InlineData("YOUR_API_SECRET")]
    [InlineData("your-password-here")]
    [InlineData("")]
    [InlineData("   ")]
    public Task Silent_for_placeholders_and_blank_values(string value)
        => VerifyAsync($$"""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = "{{value}}" };
                    config.Set("ssl.key.password", "{{value}}");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Theory]
    [InlineData("Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<policy>;SharedAccessKey=<key>")]
    [InlineData("Endpoint=sb://${EVENTHUB_NAMESPACE}.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${EVENTHUB_KEY}")]
    [InlineData("Endpoint=sb://{{namespace}}.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=abc")]
    public Task Silent_for_an_event_hubs_connection_string_template(string value)
        => VerifyAsync($$"""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        BootstrapServers = "<namespace>.servicebus.windows.net:9093",
                        SecurityProtocol = SecurityProtocol.SaslSsl,
                        SaslMechanism = SaslMechanism.Plain,
                        SaslUsername = "$ConnectionString",
                        SaslPassword = "{{value}}",
                        GroupId = "g",
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Flags_a_real_event_hubs_connection_string()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig
                    {
                        SaslUsername = "$ConnectionString",
                        SaslPassword = {|#0:"Endpoint=sb://orders-prod.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=q8Zr1mW0x3Yb7Tn+Vd2Lk5Pj9Hs4Gf6Ec1Ra0Uw="|},
                    };
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SaslPassword"));

    [Fact]
    public Task Flags_a_password_with_angle_brackets_that_are_not_a_template_slot()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = {|#0:"x<7#>!Qp"|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "SaslPassword"));

    [Fact]
    public Task Silent_when_the_password_comes_from_configuration()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SaslUsername = configuration["Kafka:Username"],
                        SaslPassword = configuration["Kafka:Password"],
                        SslKeyPassword = configuration.GetValue<string>("Kafka:KeyPassword"),
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_password_comes_from_an_environment_variable()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { SaslPassword = Environment.GetEnvironmentVariable("KAFKA_PASSWORD") };
                    config.Set("ssl.key.password", Environment.GetEnvironmentVariable("KAFKA_KEY_PASSWORD")!);
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_password_comes_from_an_options_class()
        => VerifyAsync("""
            sealed class KafkaOptions
            {
                public string Password { get; set; } = "";
            }

            class Service
            {
                private readonly KafkaOptions _options;

                public Service(IOptions<KafkaOptions> options) => _options = options.Value;

                public IProducer<string, string> Create()
                    => new ProducerBuilder<string, string>(new ProducerConfig { SaslPassword = _options.Password }).Build();
            }
            """);

    [Fact]
    public Task Silent_when_the_password_is_read_from_a_mounted_secret_file()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = File.ReadAllText("/run/secrets/kafka-password").Trim() };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_configuration_value_with_a_literal_fallback()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = configuration["Kafka:Password"] ?? "" };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_interpolation_of_runtime_values()
        => VerifyAsync("""
            class Service
            {
                void Run(string tenant, IConfiguration configuration)
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = $"{configuration[tenant + ":Password"]}" };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_static_readonly_field()
        => VerifyAsync("""
            class Service
            {
                private static readonly string Password = Environment.GetEnvironmentVariable("KAFKA_PASSWORD") ?? "";

                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = Password };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_null()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslPassword = null };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_settings_that_are_not_secrets()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SaslUsername = "svc-orders",
                        SslCaLocation = "/etc/ssl/ca.pem",
                        SslKeystoreLocation = "/etc/kafka/client.p12",
                        SaslOauthbearerClientId = "orders-client",
                    };
                    config.Set("sasl.username", "svc-orders");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_dictionary_that_never_reaches_kafka()
        => VerifyAsync("""
            class Service
            {
                int Count()
                {
                    var defaults = new Dictionary<string, string?> { ["Kafka:SaslPassword"] = "in-memory-test-value" };
                    var plain = new Dictionary<string, string> { ["sasl.password"] = "not-for-kafka" };
                    return plain.Count + Store(defaults);
                }

                static int Store(IDictionary<string, string?> values) => values.Count;
            }
            """);

    [Fact]
    public Task Silent_for_a_password_property_on_a_non_kafka_type()
        => VerifyAsync("""
            sealed class SchemaRegistrySettings
            {
                public string SaslPassword { get; set; } = "";
            }

            class Service
            {
                void Run()
                {
                    var settings = new SchemaRegistrySettings { SaslPassword = "registry-pass" };
                    _ = settings;
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_mistyped_key_that_librdkafka_rejects()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.Set("SASL.PASSWORD", "hunter2");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_registry_settings_outside_the_rule()
        // KAFKA201 covers client credentials; SchemaRegistryConfig's writes are kept apart (KAFKA202 reads them).
        => VerifyAsync("""
            class Schemas
            {
                object Create() => new Confluent.SchemaRegistry.SchemaRegistryConfig
                {
                    Url = "https://registry.internal:8081",
                    SslKeystorePassword = "changeit-registry",
                };
            }
            """);
}

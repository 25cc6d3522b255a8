using KafkaAnalyzers.CodeFixes.Security;
using KafkaAnalyzers.Security;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using VerifyCS = KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Security.SecurityConfigurationAnalyzer, KafkaAnalyzers.CodeFixes.Security.SecurityConfigurationCodeFixProvider>;

namespace KafkaAnalyzers.Tests.Rules.Security;

/// <summary>KAFKA203: SASL PLAIN or SCRAM over sasl_plaintext.</summary>
public class KAFKA203Tests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using Confluent.Kafka;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Options;

        """;

    private const string PasswordExposed = "the password and every message";
    private const string MessagesExposed = "every message";

    private static DiagnosticResult Expected(int marker, string mechanism, string exposed)
        => VerifyCS.Diagnostic(Descriptors.KAFKA203_CredentialsOverCleartext).WithLocation(marker).WithArguments(mechanism, exposed);

    private static Task VerifyAsync(string body, params DiagnosticResult[] expected) => VerifyCS.VerifyAnalyzerAsync(Usings + body, expected);

    private static Task VerifyFix(string body, DiagnosticResult[] expected, string fixedBody)
        => VerifyCS.VerifyCodeFixAsync(Usings + body, expected, Usings + fixedBody);

    // ---- positives ------------------------------------------------------------------------------

    [Fact]
    public Task Flags_plain_over_sasl_plaintext_in_object_initializer()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig
                    {
                        BootstrapServers = "kafka.internal:9092",
                        GroupId = "g",
                        {|#0:SecurityProtocol = SecurityProtocol.SaslPlaintext|},
                        SaslMechanism = SaslMechanism.Plain,
                        SaslUsername = configuration["Kafka:Username"],
                        SaslPassword = configuration["Kafka:Password"],
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "PLAIN", PasswordExposed));

    [Theory]
    [InlineData("ScramSha256", "SCRAM-SHA-256")]
    [InlineData("ScramSha512", "SCRAM-SHA-512")]
    public Task Flags_scram_over_sasl_plaintext(string member, string mechanism)
        => VerifyAsync($$"""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { BootstrapServers = "kafka:9092", SaslMechanism = SaslMechanism.{{member}} };
                    {|#0:config.SecurityProtocol = SecurityProtocol.SaslPlaintext|};
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, mechanism, MessagesExposed));

    [Fact]
    public Task Flags_string_keys_with_the_mechanism_alias_and_any_protocol_case()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.Set("sasl.mechanism", "PLAIN");
                    {|#0:config.Set("security.protocol", "SASL_PLAINTEXT")|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "PLAIN", PasswordExposed));

    [Fact]
    public Task Flags_dictionary_with_the_canonical_mechanism_key()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string>
                    {
                        ["bootstrap.servers"] = "kafka:9092",
                        {|#0:["security.protocol"] = "sasl_plaintext"|},
                        ["sasl.mechanisms"] = "SCRAM-SHA-512",
                    };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                }
            }
            """, Expected(0, "SCRAM-SHA-512", MessagesExposed));

    [Fact]
    public Task Flags_key_value_pairs()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var pairs = new List<KeyValuePair<string, string>> { new("group.id", "g"), new("sasl.mechanism", "PLAIN") };
                    pairs.Add({|#0:new("security.protocol", "sasl_plaintext")|});
                    using var consumer = new ConsumerBuilder<string, string>(pairs).Build();
                }
            }
            """, Expected(0, "PLAIN", PasswordExposed));

    [Fact]
    public Task Flags_mixed_typed_and_string_writes()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new AdminClientConfig { {|#0:SecurityProtocol = SecurityProtocol.SaslPlaintext|} };
                    config.Set("sasl.mechanisms", "SCRAM-SHA-256");
                    using var admin = new AdminClientBuilder(config).Build();
                }
            }
            """, Expected(0, "SCRAM-SHA-256", MessagesExposed));

    [Fact]
    public Task Flags_a_config_returned_from_a_static_factory()
        => VerifyAsync("""
            static class KafkaConfigs
            {
                public static ProducerConfig Secure(string servers) => new()
                {
                    BootstrapServers = servers,
                    {|#0:SecurityProtocol = SecurityProtocol.SaslPlaintext|},
                    SaslMechanism = SaslMechanism.Plain,
                };
            }
            """, Expected(0, "PLAIN", PasswordExposed));

    [Fact]
    public Task Flags_a_field_config_set_up_in_the_constructor()
        => VerifyAsync("""
            class Service
            {
                private readonly ConsumerConfig _config;

                public Service(IConfiguration configuration)
                {
                    _config = new ConsumerConfig { BootstrapServers = configuration["Kafka:Servers"], GroupId = "g" };
                    {|#0:_config.SecurityProtocol = SecurityProtocol.SaslPlaintext|};
                    _config.SaslMechanism = SaslMechanism.Plain;
                }

                public IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(_config).Build();
            }
            """, Expected(0, "PLAIN", PasswordExposed));

    [Fact]
    public Task Flags_settings_inherited_from_a_shared_client_config_once()
        => VerifyAsync("""
            class Service
            {
                private static readonly ClientConfig Shared = new() { {|#0:SecurityProtocol = SecurityProtocol.SaslPlaintext|}, SaslMechanism = SaslMechanism.Plain };

                public IConsumer<string, string> Consumer() => new ConsumerBuilder<string, string>(new ConsumerConfig(Shared) { GroupId = "g" }).Build();

                public IProducer<string, string> Producer() => new ProducerBuilder<string, string>(new ProducerConfig(Shared)).Build();
            }
            """, Expected(0, "PLAIN", PasswordExposed));

    [Fact]
    public Task Flags_a_DI_registration_lambda()
        => VerifyAsync("""
            class Registration
            {
                public Func<IServiceProvider, IProducer<string, string>> Factory(IConfiguration configuration) => _ =>
                {
                    var config = new ProducerConfig
                    {
                        BootstrapServers = configuration["Kafka:BootstrapServers"],
                        {|#0:SecurityProtocol = SecurityProtocol.SaslPlaintext|},
                        SaslMechanism = SaslMechanism.ScramSha256,
                        SaslUsername = configuration["Kafka:User"],
                        SaslPassword = configuration["Kafka:Password"],
                    };
                    return new ProducerBuilder<string, string>(config).Build();
                };
            }
            """, Expected(0, "SCRAM-SHA-256", MessagesExposed));

    [Fact]
    public Task Flags_when_a_loopback_broker_is_listed_with_a_remote_one()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { BootstrapServers = "localhost:9092,kafka-2.internal:9092", GroupId = "g", {|#0:SecurityProtocol = SecurityProtocol.SaslPlaintext|}, SaslMechanism = SaslMechanism.Plain };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Expected(0, "PLAIN", PasswordExposed));

    [Fact]
    public async Task Flags_top_level_statements()
    {
        var test = new Verifiers.CSharpAnalyzerVerifier<SecurityConfigurationAnalyzer>.Test
        {
            TestCode = Usings + """
                var config = new ProducerConfig { BootstrapServers = "kafka:9092", {|#0:SecurityProtocol = SecurityProtocol.SaslPlaintext|}, SaslMechanism = SaslMechanism.Plain };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Expected(0, "PLAIN", PasswordExposed));
        await test.RunAsync();
    }

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_for_sasl_ssl()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.SaslSsl, SaslMechanism = SaslMechanism.Plain };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var settings = new Dictionary<string, string> { ["security.protocol"] = "SASL_SSL", ["sasl.mechanisms"] = "SCRAM-SHA-512" };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_the_default_gssapi_and_other_mechanisms()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var kerberosByDefault = new ProducerConfig { SecurityProtocol = SecurityProtocol.SaslPlaintext };
                    using var p1 = new ProducerBuilder<string, string>(kerberosByDefault).Build();
                    var kerberos = new ProducerConfig { SecurityProtocol = SecurityProtocol.SaslPlaintext, SaslMechanism = SaslMechanism.Gssapi };
                    using var p2 = new ProducerBuilder<string, string>(kerberos).Build();
                    var oauth = new ProducerConfig { SecurityProtocol = SecurityProtocol.SaslPlaintext, SaslMechanism = SaslMechanism.OAuthBearer };
                    using var p3 = new ProducerBuilder<string, string>(oauth).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_plaintext_without_sasl()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.Plaintext, SaslMechanism = SaslMechanism.Plain };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_mechanism_comes_from_configuration()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SecurityProtocol = SecurityProtocol.SaslPlaintext,
                        SaslMechanism = Enum.Parse<SaslMechanism>(configuration["Kafka:Mechanism"]!),
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_protocol_comes_from_configuration()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig { GroupId = "g", SaslMechanism = SaslMechanism.Plain };
                    config.Set("security.protocol", configuration["Kafka:SecurityProtocol"]!);
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_config_is_bound_from_configuration_afterwards()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig { SecurityProtocol = SecurityProtocol.SaslPlaintext, SaslMechanism = SaslMechanism.Plain };
                    configuration.GetSection("Kafka").Bind(config);
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_config_passed_in_as_a_parameter_or_from_options()
        => VerifyAsync("""
            class Service
            {
                public void Apply(ClientConfig config)
                {
                    config.SecurityProtocol = SecurityProtocol.SaslPlaintext;
                    config.SaslMechanism = SaslMechanism.Plain;
                }

                public IProducer<string, string> Create(IOptions<ProducerConfig> options)
                {
                    options.Value.SecurityProtocol = SecurityProtocol.SaslPlaintext;
                    return new ProducerBuilder<string, string>(options.Value).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_protocol_is_chosen_per_environment()
        => VerifyAsync("""
            class Service
            {
                void Run(IHostEnvironment env)
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.SaslSsl, SaslMechanism = SaslMechanism.Plain };
                    if (env.IsDevelopment())
                    {
                        config.SecurityProtocol = SecurityProtocol.SaslPlaintext;
                    }

                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_a_later_write_switches_to_sasl_ssl()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.SaslPlaintext, SaslMechanism = SaslMechanism.Plain };
                    config.Set("security.protocol", "sasl_ssl");
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_every_broker_is_on_this_machine()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        BootstrapServers = "localhost:9092, 127.0.0.1:9093",
                        GroupId = "g",
                        SecurityProtocol = SecurityProtocol.SaslPlaintext,
                        SaslMechanism = SaslMechanism.Plain,
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_mechanism_name_librdkafka_rejects()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["security.protocol"] = "sasl_plaintext", ["sasl.mechanism"] = "plain" };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_dictionary_that_never_reaches_kafka()
        => VerifyAsync("""
            class Service
            {
                int Run()
                {
                    var settings = new Dictionary<string, string> { ["security.protocol"] = "sasl_plaintext", ["sasl.mechanism"] = "PLAIN" };
                    return settings.Count;
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_shared_template_whose_copy_switches_to_sasl_ssl()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var shared = new ClientConfig { SecurityProtocol = SecurityProtocol.SaslPlaintext, SaslMechanism = SaslMechanism.Plain };
                    var config = new ConsumerConfig(shared) { GroupId = "g", SecurityProtocol = SecurityProtocol.SaslSsl };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_ssl_or_the_default_protocol_where_sasl_is_not_used()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var ssl = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.Ssl, SaslMechanism = SaslMechanism.Plain };
                    using var c1 = new ConsumerBuilder<string, string>(ssl).Build();
                    var byDefault = new ProducerConfig { SaslMechanism = SaslMechanism.ScramSha256 };
                    using var p1 = new ProducerBuilder<string, string>(byDefault).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_commented_out_protocol()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig
                    {
                        BootstrapServers = "kafka:9092",
                        SaslMechanism = SaslMechanism.Plain,
                        //SecurityProtocol = SecurityProtocol.SaslPlaintext,
                    };
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_protocol_is_chosen_by_a_flag()
        => VerifyAsync("""
            class Service
            {
                private readonly bool _secured;

                public Service(bool secured) => _secured = secured;

                public ClientConfig Client(string user, string password) => new()
                {
                    BootstrapServers = "kafka:9092",
                    SecurityProtocol = _secured ? SecurityProtocol.SaslPlaintext : SecurityProtocol.Plaintext,
                    SaslMechanism = SaslMechanism.Plain,
                    SaslUsername = user,
                    SaslPassword = password,
                };
            }
            """);

    [Fact]
    public Task Silent_when_the_protocol_is_mapped_from_settings_by_a_switch()
        => VerifyAsync("""
            enum Transport { Plain, Tls, SaslPlain, SaslTls }

            class Service
            {
                ProducerConfig Create(Transport transport) => new()
                {
                    SaslMechanism = SaslMechanism.ScramSha512,
                    SecurityProtocol = transport switch
                    {
                        Transport.Tls => SecurityProtocol.Ssl,
                        Transport.SaslPlain => SecurityProtocol.SaslPlaintext,
                        Transport.SaslTls => SecurityProtocol.SaslSsl,
                        _ => SecurityProtocol.Plaintext,
                    },
                };
            }
            """);

    [Fact]
    public Task Silent_for_loopback_brokers_given_by_string_key()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string>
                    {
                        ["bootstrap.servers"] = "localhost:9092",
                        ["security.protocol"] = "SASL_PLAINTEXT",
                        ["sasl.mechanism"] = "SCRAM-SHA-256",
                    };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_mechanism_is_set_on_some_paths_only()
        => VerifyAsync("""
            class Service
            {
                void Run(bool useScram)
                {
                    var config = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.SaslPlaintext };
                    if (useScram)
                    {
                        config.SaslMechanism = SaslMechanism.ScramSha256;
                    }

                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_config_passes_through_unknown_code_before_the_builder()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.SaslPlaintext, SaslMechanism = SaslMechanism.Plain };
                    SecurityDefaults.Apply(config);
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }

            static class SecurityDefaults
            {
                public static void Apply(ClientConfig config) { }
            }
            """);

    // ---- fixes ----------------------------------------------------------------------------------

    [Fact]
    public Task Fix_switches_the_typed_protocol_to_sasl_ssl_keeping_comments()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        // the cluster listener for service accounts
                        {|#0:SecurityProtocol = SecurityProtocol.SaslPlaintext|}, // port 9092
                        SaslMechanism = SaslMechanism.Plain,
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { Expected(0, "PLAIN", PasswordExposed) },
            """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        // the cluster listener for service accounts
                        SecurityProtocol = SecurityProtocol.SaslSsl, // port 9092
                        SaslMechanism = SaslMechanism.Plain,
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_writes_sasl_ssl_for_string_keys()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { {|#0:["security.protocol"] = "SASL_PLAINTEXT"|}, ["sasl.mechanisms"] = "SCRAM-SHA-256" };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                    var config = new ConsumerConfig { GroupId = "g", SaslMechanism = SaslMechanism.Plain };
                    {|#1:config.Set("security.protocol", "sasl_plaintext")|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { Expected(0, "SCRAM-SHA-256", MessagesExposed), Expected(1, "PLAIN", PasswordExposed) },
            """
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["security.protocol"] = "sasl_ssl", ["sasl.mechanisms"] = "SCRAM-SHA-256" };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                    var config = new ConsumerConfig { GroupId = "g", SaslMechanism = SaslMechanism.Plain };
                    config.Set("security.protocol", "sasl_ssl");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_all_switches_every_client_in_the_document()
        => VerifyFix("""
            using static Confluent.Kafka.SecurityProtocol;

            class Service
            {
                private readonly ConsumerConfig _orders = new() { GroupId = "orders", {|#0:SecurityProtocol = SaslPlaintext|}, SaslMechanism = SaslMechanism.ScramSha512 };

                public IConsumer<string, string> Orders() => new ConsumerBuilder<string, string>(_orders).Build();

                public IProducer<string, string> Audit()
                {
                    var config = new ProducerConfig { SaslMechanism = SaslMechanism.Plain };
                    {|#1:config.SecurityProtocol = SecurityProtocol.SaslPlaintext|};
                    return new ProducerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { Expected(0, "SCRAM-SHA-512", MessagesExposed), Expected(1, "PLAIN", PasswordExposed) },
            """
            using static Confluent.Kafka.SecurityProtocol;

            class Service
            {
                private readonly ConsumerConfig _orders = new() { GroupId = "orders", SecurityProtocol = SaslSsl, SaslMechanism = SaslMechanism.ScramSha512 };

                public IConsumer<string, string> Orders() => new ConsumerBuilder<string, string>(_orders).Build();

                public IProducer<string, string> Audit()
                {
                    var config = new ProducerConfig { SaslMechanism = SaslMechanism.Plain };
                    config.SecurityProtocol = SaslSsl;
                    return new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);
}

using KafkaAnalyzers.CodeFixes.Security;
using KafkaAnalyzers.Security;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using VerifyCS = KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Security.SecurityConfigurationAnalyzer, KafkaAnalyzers.CodeFixes.Security.SecurityConfigurationCodeFixProvider>;

namespace KafkaAnalyzers.Tests.Rules.Security;

/// <summary>KAFKA202: TLS certificate or host name verification turned off.</summary>
public class KAFKA202Tests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using Confluent.Kafka;
        using Confluent.SchemaRegistry;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Options;

        """;

    private static DiagnosticResult Certificate(int marker, string what)
        => VerifyCS.Diagnostic(Descriptors.KAFKA202_TlsVerificationDisabled).WithLocation(marker).WithArguments(what, "certificate", "the broker");

    private static DiagnosticResult HostName(int marker, string what)
        => VerifyCS.Diagnostic(Descriptors.KAFKA202_TlsVerificationDisabled).WithLocation(marker).WithArguments(what, "host name", "the broker");

    private static DiagnosticResult Registry(int marker, string what)
        => VerifyCS.Diagnostic(Descriptors.KAFKA202_TlsVerificationDisabled).WithLocation(marker).WithArguments(what, "certificate", "the schema registry");

    private static Task VerifyAsync(string body, params DiagnosticResult[] expected) => VerifyCS.VerifyAnalyzerAsync(Usings + body, expected);

    private static Task VerifyFix(string body, DiagnosticResult[] expected, string fixedBody)
        => VerifyCS.VerifyCodeFixAsync(Usings + body, expected, Usings + fixedBody);

    // ---- positives ------------------------------------------------------------------------------

    [Fact]
    public Task Flags_certificate_verification_off_in_object_initializer()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        BootstrapServers = "kafka.internal:9093",
                        SecurityProtocol = SecurityProtocol.Ssl,
                        {|#0:EnableSslCertificateVerification = false|},
                        GroupId = "g",
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Certificate(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_host_name_verification_off_by_assignment()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.SaslSsl };
                    {|#0:config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None|};
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """, HostName(0, "SslEndpointIdentificationAlgorithm = None"));

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("FALSE")]
    [InlineData("f")]
    [InlineData("0")]
    public Task Flags_every_false_spelling_librdkafka_accepts(string value)
        => VerifyAsync($$"""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.Ssl };
                    {|#0:config.Set("enable.ssl.certificate.verification", "{{value}}")|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Certificate(0, $"'enable.ssl.certificate.verification' = '{value}'"));

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public Task Flags_endpoint_identification_none_in_any_case(string value)
        => VerifyAsync($$"""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["security.protocol"] = "ssl", {|#0:["ssl.endpoint.identification.algorithm"] = "{{value}}"|} };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                }
            }
            """, HostName(0, $"'ssl.endpoint.identification.algorithm' = '{value}'"));

    [Fact]
    public Task Flags_dictionary_add_and_key_value_pairs()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { { "security.protocol", "SSL" } };
                    {|#0:settings.Add("enable.ssl.certificate.verification", "false")|};
                    using var producer = new ProducerBuilder<string, string>(settings).Build();

                    var pairs = new List<KeyValuePair<string, string>> { new("group.id", "g"), new("security.protocol", "sasl_ssl"), {|#1:new("ssl.endpoint.identification.algorithm", "none")|} };
                    using var consumer = new ConsumerBuilder<string, string>(pairs).Build();
                }
            }
            """,
            Certificate(0, "'enable.ssl.certificate.verification' = 'false'"),
            HostName(1, "'ssl.endpoint.identification.algorithm' = 'none'"));

    [Fact]
    public Task Flags_a_config_passed_in_as_a_parameter()
        => VerifyAsync("""
            static class KafkaTls
            {
                public static void TrustAnyBroker(ClientConfig config)
                {
                    {|#0:config.EnableSslCertificateVerification = false|};
                    {|#1:config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None|};
                }
            }
            """,
            Certificate(0, "EnableSslCertificateVerification = false"),
            HostName(1, "SslEndpointIdentificationAlgorithm = None"));

    [Fact]
    public Task Flags_options_value_and_a_configure_lambda()
        => VerifyAsync("""
            class Service
            {
                public Service(IOptions<ProducerConfig> options)
                {
                    {|#0:options.Value.EnableSslCertificateVerification = false|};
                }

                public static Action<ConsumerConfig> Configure => c => {|#1:c.EnableSslCertificateVerification = false|};
            }
            """,
            Certificate(0, "EnableSslCertificateVerification = false"),
            Certificate(1, "EnableSslCertificateVerification = false"));

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
                        SecurityProtocol = SecurityProtocol.Ssl,
                        {|#0:EnableSslCertificateVerification = false|},
                    };
                    return new ProducerBuilder<string, string>(config).Build();
                };
            }
            """, Certificate(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_admin_and_field_configs()
        => VerifyAsync("""
            class Service
            {
                private readonly AdminClientConfig _admin = new() { SecurityProtocol = SecurityProtocol.Ssl, {|#0:EnableSslCertificateVerification = false|} };

                public IAdminClient Create() => new AdminClientBuilder(_admin).Build();
            }
            """, Certificate(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_when_the_security_protocol_is_unknown()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = configuration.GetSection("Kafka").Get<ConsumerConfig>()!;
                    {|#0:config.EnableSslCertificateVerification = false|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """, Certificate(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_when_one_of_the_clients_it_reaches_uses_tls()
        => VerifyAsync("""
            class Service
            {
                private static readonly ClientConfig Shared = new() { {|#0:EnableSslCertificateVerification = false|} };

                public IConsumer<string, string> Local() => new ConsumerBuilder<string, string>(new ConsumerConfig(Shared) { GroupId = "g" }).Build();

                public IProducer<string, string> Remote() => new ProducerBuilder<string, string>(new ProducerConfig(Shared) { SecurityProtocol = SecurityProtocol.Ssl }).Build();
            }
            """, Certificate(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_a_write_inside_a_loop()
        => VerifyAsync("""
            class Service
            {
                void Run(IEnumerable<ClientConfig> configs)
                {
                    foreach (var config in configs)
                    {
                        {|#0:config.EnableSslCertificateVerification = false|};
                    }
                }
            }
            """, Certificate(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_a_null_coalescing_default_of_false()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                    configuration.GetSection("Kafka").Bind(config);
                    {|#0:config.EnableSslCertificateVerification ??= false|};
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """, Certificate(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_an_early_return_guard_since_the_write_itself_is_unconditional()
        => VerifyAsync("""
            class Service
            {
                ProducerConfig? Create(IHostEnvironment env)
                {
                    if (!env.IsDevelopment())
                    {
                        return null;
                    }

                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                    {|#0:config.EnableSslCertificateVerification = false|};
                    return config;
                }
            }
            """, Certificate(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public async Task Flags_top_level_statements()
    {
        var test = new Verifiers.CSharpAnalyzerVerifier<SecurityConfigurationAnalyzer>.Test
        {
            TestCode = Usings + """
                var config = new ProducerConfig { BootstrapServers = "kafka:9093", SecurityProtocol = SecurityProtocol.Ssl };
                {|#0:config.EnableSslCertificateVerification = false|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Certificate(0, "EnableSslCertificateVerification = false"));
        await test.RunAsync();
    }

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_verification_is_on()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SecurityProtocol = SecurityProtocol.Ssl,
                        EnableSslCertificateVerification = true,
                        SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.Https,
                    };
                    config.Set("enable.ssl.certificate.verification", "true");
                    config.Set("ssl.endpoint.identification.algorithm", "https");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_guarded_by_the_development_environment()
        => VerifyAsync("""
            class Service
            {
                void Run(IHostEnvironment env)
                {
                    var config = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.Ssl };
                    if (env.IsDevelopment())
                    {
                        config.EnableSslCertificateVerification = false;
                        config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None;
                    }

                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_guarded_by_a_setting()
        => VerifyAsync("""
            sealed class KafkaOptions
            {
                public bool SkipTlsVerification { get; set; }
            }

            class Service
            {
                IProducer<string, string> Create(KafkaOptions options)
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                    if (options.SkipTlsVerification) config.EnableSslCertificateVerification = false;
                    else config.EnableSslCertificateVerification = true;
                    return new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_in_a_switch_section_and_a_conditional_expression()
        => VerifyAsync("""
            class Service
            {
                ClientConfig Create(string environment)
                {
                    var config = environment == "local"
                        ? new ClientConfig { EnableSslCertificateVerification = false }
                        : new ClientConfig();
                    switch (environment)
                    {
                        case "test":
                            config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None;
                            break;
                    }

                    return config;
                }
            }
            """);

    [Fact]
    public Task Silent_in_a_catch_block_and_behind_a_short_circuit()
        => VerifyAsync("""
            class Service
            {
                void Run(ClientConfig config, bool insecure)
                {
                    try
                    {
                        config.SslCaLocation = "/etc/ssl/ca.pem";
                    }
                    catch (InvalidOperationException)
                    {
                        config.EnableSslCertificateVerification = false;
                    }

                    _ = insecure && (config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None) == SslEndpointIdentificationAlgorithm.None;
                }
            }
            """);

    [Fact]
    public Task Silent_inside_a_preprocessor_condition()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.Ssl };
            #if !PRODUCTION
                    config.EnableSslCertificateVerification = false;
            #endif
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_value_comes_from_configuration()
        => VerifyAsync("""
            class Service
            {
                void Run(IConfiguration configuration)
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SecurityProtocol = SecurityProtocol.Ssl,
                        EnableSslCertificateVerification = configuration.GetValue<bool>("Kafka:VerifyCertificates"),
                    };
                    config.Set("ssl.endpoint.identification.algorithm", configuration["Kafka:EndpointIdentification"]!);
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_value_comes_from_an_environment_variable()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                    config.EnableSslCertificateVerification = Environment.GetEnvironmentVariable("KAFKA_SKIP_VERIFY") != "1";
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_connection_never_uses_tls()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var plaintext = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.Plaintext, EnableSslCertificateVerification = false };
                    using var c1 = new ConsumerBuilder<string, string>(plaintext).Build();
                    var saslPlaintext = new ProducerConfig { SecurityProtocol = SecurityProtocol.SaslPlaintext, SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None };
                    using var p1 = new ProducerBuilder<string, string>(saslPlaintext).Build();
                    var byDefault = new ProducerConfig { BootstrapServers = "kafka:9092", EnableSslCertificateVerification = false };
                    using var p2 = new ProducerBuilder<string, string>(byDefault).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_every_copy_of_a_shared_template_uses_plaintext()
        => VerifyAsync("""
            class Service
            {
                private static readonly ClientConfig Shared = new() { BootstrapServers = "kafka:9092", EnableSslCertificateVerification = false };

                public IConsumer<string, string> Consumer() => new ConsumerBuilder<string, string>(new ConsumerConfig(Shared) { GroupId = "g" }).Build();

                public IProducer<string, string> Producer() => new ProducerBuilder<string, string>(new ProducerConfig(Shared) { SecurityProtocol = SecurityProtocol.Plaintext }).Build();
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
                        BootstrapServers = "localhost:9093,127.0.0.1:9094,[::1]:9095",
                        SecurityProtocol = SecurityProtocol.Ssl,
                        EnableSslCertificateVerification = false,
                        GroupId = "g",
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_null_and_values_librdkafka_rejects()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl, EnableSslCertificateVerification = null };
                    config.Set("enable.ssl.certificate.verification", "no");
                    config.Set("ssl.endpoint.identification.algorithm", "");
                    using var producer = new ProducerBuilder<string, string>(config).Build();
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
                    var settings = new Dictionary<string, string> { ["enable.ssl.certificate.verification"] = "false" };
                    return settings.Count;
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_similar_property_on_a_non_kafka_type()
        => VerifyAsync("""
            sealed class SchemaRegistryOptions
            {
                public bool? EnableSslCertificateVerification { get; set; }
            }

            class Service
            {
                void Run()
                {
                    var options = new SchemaRegistryOptions { EnableSslCertificateVerification = false };
                    _ = options;
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_commented_out_override()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SecurityProtocol = SecurityProtocol.SaslSsl,
                        //EnableSslCertificateVerification = false
                    };
                    // config.Set("ssl.endpoint.identification.algorithm", "none");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_value_chosen_by_a_switch_expression_or_an_options_class()
        => VerifyAsync("""
            sealed class TlsOptions
            {
                public bool VerifyBrokerCertificate { get; set; } = true;
            }

            class Service
            {
                void Run(string environment, IOptions<TlsOptions> tls)
                {
                    var config = new ProducerConfig
                    {
                        SecurityProtocol = SecurityProtocol.Ssl,
                        EnableSslCertificateVerification = tls.Value.VerifyBrokerCertificate,
                        SslEndpointIdentificationAlgorithm = environment switch
                        {
                            "local" => SslEndpointIdentificationAlgorithm.None,
                            _ => SslEndpointIdentificationAlgorithm.Https,
                        },
                    };
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Theory]
    [InlineData("enable.ssl.certificate.verification", "true")]
    [InlineData("enable.ssl.certificate.verification", "TRUE")]
    [InlineData("enable.ssl.certificate.verification", "1")]
    [InlineData("enable.ssl.certificate.verification", "t")]
    [InlineData("ssl.endpoint.identification.algorithm", "https")]
    [InlineData("ssl.endpoint.identification.algorithm", "HTTPS")]
    public Task Silent_for_secure_values_by_string_key(string key, string value)
        => VerifyAsync($$"""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["security.protocol"] = "ssl", ["{{key}}"] = "{{value}}" };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                }
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
                        ["bootstrap.servers"] = "127.0.0.1:9093",
                        ["security.protocol"] = "ssl",
                        ["enable.ssl.certificate.verification"] = "false",
                    };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_for_other_tls_settings()
        => VerifyAsync("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g",
                        SecurityProtocol = SecurityProtocol.Ssl,
                        SslCaLocation = "/etc/ssl/certs/ca.pem",
                        SslCertificateLocation = "/etc/kafka/client.pem",
                        SslKeyLocation = "/etc/kafka/client.key",
                    };
                    config.Set("ssl.ca.location", "probe");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_override_sits_in_an_else_branch()
        => VerifyAsync("""
            class Service
            {
                void Run(IHostEnvironment env)
                {
                    var config = new ConsumerConfig { GroupId = "g", SecurityProtocol = SecurityProtocol.Ssl };
                    if (env.IsProduction())
                    {
                        config.SslCaLocation = "/etc/ssl/certs/ca.pem";
                    }
                    else
                    {
                        config.EnableSslCertificateVerification = false;
                    }

                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    // ---- fixes ----------------------------------------------------------------------------------

    [Fact]
    public Task Fix_removes_the_initializer_element_keeping_comments()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g", // orders
                        SecurityProtocol = SecurityProtocol.Ssl,
                        {|#0:EnableSslCertificateVerification = false|},
                        // brokers are in the private network
                        BootstrapServers = "kafka.internal:9093",
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { Certificate(0, "EnableSslCertificateVerification = false") },
            """
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig
                    {
                        GroupId = "g", // orders
                        SecurityProtocol = SecurityProtocol.Ssl,
                        // brokers are in the private network
                        BootstrapServers = "kafka.internal:9093",
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_removes_assignment_and_set_statements()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                    // TLS settings
                    {|#0:config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None|};
                    {|#1:config.Set("enable.ssl.certificate.verification", "false")|};
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """,
            new[] { HostName(0, "SslEndpointIdentificationAlgorithm = None"), Certificate(1, "'enable.ssl.certificate.verification' = 'false'") },
            """
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                    // TLS settings
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

    [Fact]
    public Task Fix_removes_dictionary_entries_and_pairs()
        => VerifyFix("""
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["security.protocol"] = "ssl", {|#0:["enable.ssl.certificate.verification"] = "false"|} };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                    var pairs = new List<KeyValuePair<string, string>> { new("group.id", "g"), new("security.protocol", "ssl") };
                    pairs.Add({|#1:new("ssl.endpoint.identification.algorithm", "none")|});
                    using var consumer = new ConsumerBuilder<string, string>(pairs).Build();
                }
            }
            """,
            new[] { Certificate(0, "'enable.ssl.certificate.verification' = 'false'"), HostName(1, "'ssl.endpoint.identification.algorithm' = 'none'") },
            """
            class Service
            {
                void Run()
                {
                    var settings = new Dictionary<string, string> { ["security.protocol"] = "ssl" };
                    using var producer = new ProducerBuilder<string, string>(settings).Build();
                    var pairs = new List<KeyValuePair<string, string>> { new("group.id", "g"), new("security.protocol", "ssl") };
                    using var consumer = new ConsumerBuilder<string, string>(pairs).Build();
                }
            }
            """);

    [Fact]
    public async Task Fix_removes_the_override_in_top_level_statements()
    {
        var test = new Verifiers.CSharpCodeFixVerifier<SecurityConfigurationAnalyzer, SecurityConfigurationCodeFixProvider>.Test
        {
            TestCode = Usings + """
                var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                {|#0:config.EnableSslCertificateVerification = false|};
                using var producer = new ProducerBuilder<string, string>(config).Build();
                """,
            FixedCode = Usings + """
                var config = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
            FixedState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Certificate(0, "EnableSslCertificateVerification = false"));
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_an_expression_bodied_lambda()
    {
        const string source = Usings + """
            class Service
            {
                public static Action<ConsumerConfig> Configure => c => {|#0:c.EnableSslCertificateVerification = false|};
            }
            """;
        var test = new Verifiers.CSharpCodeFixVerifier<SecurityConfigurationAnalyzer, SecurityConfigurationCodeFixProvider>.Test
        {
            TestCode = source,
            FixedCode = source,
        };
        test.ExpectedDiagnostics.Add(Certificate(0, "EnableSslCertificateVerification = false"));
        test.FixedState.ExpectedDiagnostics.Add(Certificate(0, "EnableSslCertificateVerification = false"));
        await test.RunAsync();
    }

    [Fact]
    public Task Fix_all_removes_every_override_in_the_document()
        => VerifyFix("""
            class Service
            {
                private readonly ConsumerConfig _orders = new() { GroupId = "orders", SecurityProtocol = SecurityProtocol.Ssl, {|#0:EnableSslCertificateVerification = false|} };

                public IConsumer<string, string> Orders() => new ConsumerBuilder<string, string>(_orders).Build();

                public static void Harden(ClientConfig config)
                {
                    {|#1:config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None|};
                    config.SaslUsername = "svc";
                }
            }
            """,
            new[] { Certificate(0, "EnableSslCertificateVerification = false"), HostName(1, "SslEndpointIdentificationAlgorithm = None") },
            """
            class Service
            {
                private readonly ConsumerConfig _orders = new() { GroupId = "orders", SecurityProtocol = SecurityProtocol.Ssl };

                public IConsumer<string, string> Orders() => new ConsumerBuilder<string, string>(_orders).Build();

                public static void Harden(ClientConfig config)
                {
                    config.SaslUsername = "svc";
                }
            }
            """);

    // ---- Confluent.SchemaRegistry's SchemaRegistryConfig ---------------------------------------------

    [Fact]
    public Task Flags_registry_certificate_verification_off_in_object_initializer()
        => VerifyAsync("""
            class Schemas
            {
                public ISchemaRegistryClient Create() => new CachedSchemaRegistryClient(new SchemaRegistryConfig
                {
                    Url = "https://registry.internal:8081",
                    {|#0:EnableSslCertificateVerification = false|},
                });
            }
            """, Registry(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_registry_assignment_and_set_with_any_case_bool_parse_accepts()
        => VerifyAsync("""
            class Schemas
            {
                void Run()
                {
                    var config = new SchemaRegistryConfig { Url = "https://registry.internal:8081" };
                    {|#0:config.EnableSslCertificateVerification = false|};
                    {|#1:config.Set("schema.registry.enable.ssl.certificate.verification", " FALSE ")|};
                    using var client = new CachedSchemaRegistryClient(config);
                }
            }
            """,
            Registry(0, "EnableSslCertificateVerification = false"),
            Registry(1, "'schema.registry.enable.ssl.certificate.verification' = ' FALSE '"));

    [Fact]
    public Task Flags_a_registry_config_passed_in_bound_options_and_a_configure_lambda()
        => VerifyAsync("""
            class Schemas
            {
                public static void Relax(SchemaRegistryConfig config) => {|#0:config.EnableSslCertificateVerification = false|};

                public Schemas(IOptions<SchemaRegistryConfig> options)
                {
                    {|#1:options.Value.EnableSslCertificateVerification = false|};
                }

                public static Action<SchemaRegistryConfig> Configure => c => {|#2:c.EnableSslCertificateVerification = false|};
            }
            """,
            Registry(0, "EnableSslCertificateVerification = false"),
            Registry(1, "EnableSslCertificateVerification = false"),
            Registry(2, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_a_registry_field_whose_url_comes_from_configuration()
        => VerifyAsync("""
            class Schemas
            {
                private readonly SchemaRegistryConfig _config;

                public Schemas(IConfiguration configuration)
                {
                    _config = new SchemaRegistryConfig { Url = configuration["Registry:Url"], {|#0:EnableSslCertificateVerification = false|} };
                }

                public ISchemaRegistryClient Create() => new CachedSchemaRegistryClient(_config);
            }
            """, Registry(0, "EnableSslCertificateVerification = false"));

    [Fact]
    public Task Flags_registry_and_client_overrides_side_by_side()
        => VerifyAsync("""
            class Pipeline
            {
                void Run()
                {
                    var registry = new SchemaRegistryConfig { Url = "https://registry.internal:8081", {|#0:EnableSslCertificateVerification = false|} };
                    var producer = new ProducerConfig { BootstrapServers = "kafka.internal:9093", SecurityProtocol = SecurityProtocol.Ssl, {|#1:EnableSslCertificateVerification = false|} };
                    using var client = new CachedSchemaRegistryClient(registry);
                    using var p = new ProducerBuilder<string, string>(producer).Build();
                }
            }
            """, Registry(0, "EnableSslCertificateVerification = false"), Certificate(1, "EnableSslCertificateVerification = false"));

    [Theory]
    [InlineData("EnableSslCertificateVerification = true")]
    [InlineData("EnableSslCertificateVerification = null")]
    [InlineData("SslCaLocation = \"/etc/ssl/certs/registry-ca.pem\"")]
    public Task Silent_when_registry_verification_is_on_or_left_alone(string setting)
        => VerifyAsync($$"""
            class Schemas
            {
                public ISchemaRegistryClient Create() => new CachedSchemaRegistryClient(new SchemaRegistryConfig
                {
                    Url = "https://registry.internal:8081",
                    {{setting}},
                });
            }
            """);

    [Theory]
    [InlineData("0")]
    [InlineData("f")]
    [InlineData("no")]
    public Task Silent_for_registry_values_the_client_rejects(string value)
        // CachedSchemaRegistryClient reads the key with bool.Parse and throws ArgumentException for anything else:
        // the client fails at construction, it does not run unverified.
        => VerifyAsync($$"""
            class Schemas
            {
                void Run()
                {
                    var config = new SchemaRegistryConfig { Url = "https://registry.internal:8081" };
                    config.Set("schema.registry.enable.ssl.certificate.verification", "{{value}}");
                    using var client = new CachedSchemaRegistryClient(config);
                }
            }
            """);

    [Theory]
    [InlineData("http://registry.internal:8081")]
    [InlineData("https://localhost:8081")]
    [InlineData("https://127.0.0.1:8081/registry, http://registry-b.internal:8081")]
    public Task Silent_when_no_registry_url_uses_tls_over_a_network(string urls)
        => VerifyAsync($$"""
            class Schemas
            {
                public ISchemaRegistryClient Create() => new CachedSchemaRegistryClient(new SchemaRegistryConfig
                {
                    Url = "{{urls}}",
                    EnableSslCertificateVerification = false,
                });
            }
            """);

    [Fact]
    public Task Silent_when_the_registry_override_is_guarded_or_read_from_configuration()
        => VerifyAsync("""
            class Schemas
            {
                void Run(IHostEnvironment env, IConfiguration configuration)
                {
                    var config = new SchemaRegistryConfig { Url = "https://registry.internal:8081" };
                    if (env.IsDevelopment())
                    {
                        config.EnableSslCertificateVerification = false;
                    }

                    config.EnableSslCertificateVerification = configuration.GetValue<bool?>("Registry:VerifyCertificate");
                    config.Set("schema.registry.enable.ssl.certificate.verification", Environment.GetEnvironmentVariable("REGISTRY_VERIFY"));
                    using var client = new CachedSchemaRegistryClient(config);
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_librdkafka_key_set_on_a_registry_config()
        // The registry client reads only its schema.registry.* key; other keys do nothing there.
        => VerifyAsync("""
            class Schemas
            {
                void Run()
                {
                    var config = new SchemaRegistryConfig { Url = "https://registry.internal:8081" };
                    config.Set("enable.ssl.certificate.verification", "false");
                    using var client = new CachedSchemaRegistryClient(config);
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_registry_look_alike_declared_in_the_project()
        => VerifyAsync("""
            namespace Contoso.Registry
            {
                public sealed class SchemaRegistryConfig
                {
                    public bool? EnableSslCertificateVerification { get; set; }
                }

                class Schemas
                {
                    object Create() => new SchemaRegistryConfig { EnableSslCertificateVerification = false };
                }
            }
            """);

    [Fact]
    public async Task Silent_for_a_registry_look_alike_named_like_Confluent_without_the_registry_assembly()
    {
        // Resolved by metadata name, but only from a referenced Confluent.SchemaRegistry assembly.
        var test = new Verifiers.CSharpAnalyzerVerifier<SecurityConfigurationAnalyzer>.Test
        {
            TestCode = """
                using Confluent.Kafka;
                namespace Confluent.SchemaRegistry
                {
                    public sealed class SchemaRegistryConfig
                    {
                        public bool? EnableSslCertificateVerification { get; set; }
                    }

                    public sealed class Schemas
                    {
                        public object Create() => new SchemaRegistryConfig { EnableSslCertificateVerification = false };
                        public object Client() => new ProducerConfig();
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Verifiers.TestReferences.All.Where(r => !IsSchemaRegistry(r)));
        await test.RunAsync();
    }

    [Fact]
    public async Task Silent_for_a_registry_reference_without_Confluent_Kafka()
    {
        // Confluent.SchemaRegistry's package depends on Confluent.Kafka, so a restored project references both;
        // a hand-made reference list with the registry alone gets no Kafka analysis at all (the gate needs Kafka).
        var test = new Verifiers.CSharpAnalyzerVerifier<SecurityConfigurationAnalyzer>.Test
        {
            TestCode = """
                using Confluent.SchemaRegistry;
                public sealed class Schemas
                {
                    public object Create() => new SchemaRegistryConfig { Url = "https://registry.internal:8081", EnableSslCertificateVerification = false };
                }
                """,
        };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Verifiers.TestReferences.All.Where(r => !(r.Display ?? string.Empty).Contains("Confluent.Kafka", StringComparison.Ordinal)));
        Assert.Contains(test.TestState.AdditionalReferences, IsSchemaRegistry);
        await test.RunAsync();
    }

    [Fact]
    public Task Fix_removes_registry_overrides_keeping_comments()
        => VerifyFix("""
            class Schemas
            {
                void Run()
                {
                    var config = new SchemaRegistryConfig
                    {
                        Url = "https://registry.internal:8081", // shared registry
                        {|#0:EnableSslCertificateVerification = false|},
                        // the CA bundle of the platform team
                        SslCaLocation = "/etc/ssl/certs/registry-ca.pem",
                    };
                    // relaxed for the migration
                    {|#1:config.Set("schema.registry.enable.ssl.certificate.verification", "false")|};
                    using var client = new CachedSchemaRegistryClient(config);
                }
            }
            """,
            new[] { Registry(0, "EnableSslCertificateVerification = false"), Registry(1, "'schema.registry.enable.ssl.certificate.verification' = 'false'") },
            """
            class Schemas
            {
                void Run()
                {
                    var config = new SchemaRegistryConfig
                    {
                        Url = "https://registry.internal:8081", // shared registry
                        // the CA bundle of the platform team
                        SslCaLocation = "/etc/ssl/certs/registry-ca.pem",
                    };
                    // relaxed for the migration
                    using var client = new CachedSchemaRegistryClient(config);
                }
            }
            """);

    [Fact]
    public Task Fix_all_removes_registry_and_client_overrides_in_the_document()
        => VerifyFix("""
            class Pipeline
            {
                private readonly SchemaRegistryConfig _registry = new() { Url = "https://registry.internal:8081", {|#0:EnableSslCertificateVerification = false|} };

                public static void Relax(SchemaRegistryConfig config)
                {
                    {|#1:config.EnableSslCertificateVerification = false|};
                    config.MaxCachedSchemas = 100;
                }

                public IProducer<string, string> Orders()
                {
                    var config = new ProducerConfig { BootstrapServers = "kafka.internal:9093", SecurityProtocol = SecurityProtocol.Ssl, {|#2:EnableSslCertificateVerification = false|} };
                    return new ProducerBuilder<string, string>(config).Build();
                }

                public ISchemaRegistryClient Registry() => new CachedSchemaRegistryClient(_registry);
            }
            """,
            new[] { Registry(0, "EnableSslCertificateVerification = false"), Registry(1, "EnableSslCertificateVerification = false"), Certificate(2, "EnableSslCertificateVerification = false") },
            """
            class Pipeline
            {
                private readonly SchemaRegistryConfig _registry = new() { Url = "https://registry.internal:8081" };

                public static void Relax(SchemaRegistryConfig config)
                {
                    config.MaxCachedSchemas = 100;
                }

                public IProducer<string, string> Orders()
                {
                    var config = new ProducerConfig { BootstrapServers = "kafka.internal:9093", SecurityProtocol = SecurityProtocol.Ssl };
                    return new ProducerBuilder<string, string>(config).Build();
                }

                public ISchemaRegistryClient Registry() => new CachedSchemaRegistryClient(_registry);
            }
            """);

    private static bool IsSchemaRegistry(MetadataReference reference)
        => (reference.Display ?? string.Empty).EndsWith("Confluent.SchemaRegistry.dll", StringComparison.Ordinal);
}

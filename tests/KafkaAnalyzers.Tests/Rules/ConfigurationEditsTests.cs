using VerifyKeys = KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Configuration.ConfigurationKeyAnalyzer, KafkaAnalyzers.CodeFixes.Configuration.ConfigurationKeyCodeFixProvider>;
using VerifyCS = KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Producers.ProducerConfigurationAnalyzer, KafkaAnalyzers.CodeFixes.Producers.ProducerConfigurationCodeFixProvider>;

namespace KafkaAnalyzers.Tests.Rules;

/// <summary>The shared configuration fix engine: replacing values keeps comments and layout; adding a setting follows the initializer layout.</summary>
public class ConfigurationEditsTests
{
    [Fact]
    public Task Replaces_values_in_typed_and_dictionary_configs_keeping_comments()
        => VerifyCS.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig
                    {
                        BootstrapServers = "b:9092",
                        // durability matters here
                        {|#0:Acks = Acks.Leader|}, // keep me
                        EnableIdempotence = true,
                    };
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                    var d = new Dictionary<string, string> { ["enable.idempotence"] = "true", {|#1:["acks"] = "1"|} };
                    using var p2 = new ProducerBuilder<string, string>(d).Build();
                }
            }
            """,
            new[] { VerifyCS.Diagnostic(Descriptors.KAFKA003_ProducerConfigRejected).WithLocation(0).WithArguments("enable.idempotence requires acks=all, but acks is 1"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA003_ProducerConfigRejected).WithLocation(1).WithArguments("enable.idempotence requires acks=all, but acks is 1") },
            """
            using System.Collections.Generic;
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig
                    {
                        BootstrapServers = "b:9092",
                        // durability matters here
                        Acks = Acks.All, // keep me
                        EnableIdempotence = true,
                    };
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                    var d = new Dictionary<string, string> { ["enable.idempotence"] = "true", ["acks"] = "all" };
                    using var p2 = new ProducerBuilder<string, string>(d).Build();
                }
            }
            """);

    [Fact]
    public Task Adds_a_setting_to_single_and_multi_line_initializers()
        => VerifyCS.VerifyCodeFixAsync("""
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var config = {|#0:new ProducerConfig { BootstrapServers = "b:9092" }|};
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                    var c2 = {|#1:new ProducerConfig
                    {
                        BootstrapServers = "b:9092",
                        {|#2:Acks = Acks.Leader|}
                    }|};
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                }
            }
            """,
            new[] { VerifyCS.Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(0).WithArguments("Idempotence is never enabled (librdkafka's default is false)"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(1).WithLocation(2).WithArguments("Idempotence is never enabled (librdkafka's default is false)"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA001_WeakAcks).WithLocation(2).WithArguments("1 (leader only)", "a message is reported delivered before it is replicated, so a leader failure loses it") },
            """
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { BootstrapServers = "b:9092", EnableIdempotence = true };
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                    var c2 = new ProducerConfig
                    {
                        BootstrapServers = "b:9092",
                        Acks = Acks.All,
                        EnableIdempotence = true
                    };
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                }
            }
            """);

    [Fact]
    public Task Adds_a_setting_without_repeating_or_moving_comments()
        => VerifyCS.VerifyCodeFixAsync("""
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var c1 = {|#0:new ProducerConfig { BootstrapServers = "b:9092", }|};
                    using var p1 = new ProducerBuilder<string, string>(c1).Build();
                    var c2 = {|#1:new ProducerConfig
                    {
                        BootstrapServers = "b:9092",
                        // batching
                        LingerMs = 20 // small batches
                    }|};
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                    var c3 = {|#2:new ProducerConfig
                    {
                        // batching
                        LingerMs = 20, // small batches
                    }|};
                    using var p3 = new ProducerBuilder<string, string>(c3).Build();
                }
            }
            """,
            new[] { VerifyCS.Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(0).WithArguments("Idempotence is never enabled (librdkafka's default is false)"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(1).WithArguments("Idempotence is never enabled (librdkafka's default is false)"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(2).WithArguments("Idempotence is never enabled (librdkafka's default is false)") },
            """
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var c1 = new ProducerConfig { BootstrapServers = "b:9092", EnableIdempotence = true, };
                    using var p1 = new ProducerBuilder<string, string>(c1).Build();
                    var c2 = new ProducerConfig
                    {
                        BootstrapServers = "b:9092",
                        // batching
                        LingerMs = 20, // small batches
                        EnableIdempotence = true
                    };
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                    var c3 = new ProducerConfig
                    {
                        // batching
                        LingerMs = 20, // small batches
                        EnableIdempotence = true,
                    };
                    using var p3 = new ProducerBuilder<string, string>(c3).Build();
                }
            }
            """);

    [Fact]
    public Task Adds_a_pair_to_a_key_value_list()
        => VerifyCS.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var pairs = {|#0:new List<KeyValuePair<string, string>> { new("bootstrap.servers", "b:9092") }|};
                    using var producer = new ProducerBuilder<string, string>(pairs).Build();
                }
            }
            """,
            VerifyCS.Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(0).WithArguments("Idempotence is never enabled (librdkafka's default is false)"),
            """
            using System.Collections.Generic;
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var pairs = new List<KeyValuePair<string, string>> { new("bootstrap.servers", "b:9092"), new KeyValuePair<string, string>("enable.idempotence", "true") };
                    using var producer = new ProducerBuilder<string, string>(pairs).Build();
                }
            }
            """);

    [Fact]
    public Task Removes_a_write_with_its_line_keeping_comments_and_blank_lines()
        => Producers.ProducerRuleVerifier.VerifyFixAsync(
            new[] { "KAFKA009" },
            """
            using Confluent.Kafka;
            class Service
            {
                void Run(int mode)
                {
                    var c1 = new ProducerConfig { {|#0:MessageSendMaxRetries = 0|}, LingerMs = 5 };
                    using var p1 = new ProducerBuilder<string, string>(c1).Build();

                    var c2 = new ProducerConfig();

                    // retries off for the benchmark
                    {|#1:c2.MessageSendMaxRetries = 0|};
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                    switch (mode)
                    {
                        case 1:
                            var c3 = new ProducerConfig();
                            {|#2:c3.Set("retries", "0")|}; /* off */
                            using (var p3 = new ProducerBuilder<string, string>(c3).Build()) { }
                            break;
                    }
                }
            }
            """,
            new[] { VerifyCS.Diagnostic(Descriptors.KAFKA009_RetriesOrTimeoutTooLow).WithLocation(0).WithArguments("MessageSendMaxRetries is 0, so nothing is retried", "remove the override"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA009_RetriesOrTimeoutTooLow).WithLocation(1).WithArguments("MessageSendMaxRetries is 0, so nothing is retried", "remove the override"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA009_RetriesOrTimeoutTooLow).WithLocation(2).WithArguments("'retries' is 0, so nothing is retried", "remove the override") },
            """
            using Confluent.Kafka;
            class Service
            {
                void Run(int mode)
                {
                    var c1 = new ProducerConfig { LingerMs = 5 };
                    using var p1 = new ProducerBuilder<string, string>(c1).Build();

                    var c2 = new ProducerConfig();

                    // retries off for the benchmark
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                    switch (mode)
                    {
                        case 1:
                            var c3 = new ProducerConfig();
                            /* off */
                            using (var p3 = new ProducerBuilder<string, string>(c3).Build()) { }
                            break;
                    }
                }
            }
            """);

    [Fact]
    public Task Adds_a_setting_after_a_trailing_comma_without_copying_the_last_elements_comment()
        => VerifyCS.VerifyCodeFixAsync("""
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var config = {|#0:new ProducerConfig
                    {
                        BootstrapServers = "b:9092", // from the platform team
                    }|};
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                    var c2 = {|#1:new ProducerConfig { BootstrapServers = "b:9092", }|};
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                }
            }
            """,
            new[] { VerifyCS.Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(0).WithArguments("Idempotence is never enabled (librdkafka's default is false)"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA002_IdempotenceNotEnabled).WithLocation(1).WithArguments("Idempotence is never enabled (librdkafka's default is false)") },
            """
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig
                    {
                        BootstrapServers = "b:9092", // from the platform team
                        EnableIdempotence = true,
                    };
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                    var c2 = new ProducerConfig { BootstrapServers = "b:9092", EnableIdempotence = true, };
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                }
            }
            """);

    [Fact]
    public Task Adds_a_setting_to_the_creation_at_the_additional_location_when_reported_at_a_write()
        => KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Consumers.ConsumerConfigurationAnalyzer, KafkaAnalyzers.CodeFixes.Consumers.ConsumerConfigurationCodeFixProvider>.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var config = {|#1:new ConsumerConfig { GroupId = "g" }|};
                    {|#0:config.SessionTimeoutMs = 6000|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var settings = {|#3:new Dictionary<string, string> { ["group.id"] = "g" }|};
                    {|#2:settings.Add("session.timeout.ms", "7000")|};
                    using var c2 = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """,
            new[] { VerifyCS.Diagnostic(Descriptors.KAFKA108_HeartbeatNotAThirdOfSession).WithLocation(0).WithLocation(1).WithArguments("6000", "3000"),
                    VerifyCS.Diagnostic(Descriptors.KAFKA108_HeartbeatNotAThirdOfSession).WithLocation(2).WithLocation(3).WithArguments("7000", "3000") },
            """
            using System.Collections.Generic;
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var config = new ConsumerConfig { GroupId = "g", HeartbeatIntervalMs = 2000 };
                    config.SessionTimeoutMs = 6000;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var settings = new Dictionary<string, string> { ["group.id"] = "g", ["heartbeat.interval.ms"] = "2333" };
                    settings.Add("session.timeout.ms", "7000");
                    using var c2 = new ConsumerBuilder<string, string>(settings).Build();
                }
            }
            """);

    [Fact]
    public Task Removes_writes_keeping_comments_above_and_beside_and_the_next_lines_indentation()
        => KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Security.SecurityConfigurationAnalyzer, KafkaAnalyzers.CodeFixes.Security.SecurityConfigurationCodeFixProvider>.VerifyCodeFixAsync("""
            using Confluent.Kafka;
            class Service
            {
                void Run(ClientConfig config)
                {
                    var c1 = new ProducerConfig
                    {
                        SecurityProtocol = SecurityProtocol.Ssl,
                        {|#0:EnableSslCertificateVerification = false|}
                    };
                    var c2 = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl, {|#1:EnableSslCertificateVerification = false|} };
                    // TLS settings
                    {|#2:config.EnableSslCertificateVerification = false|}; // self-signed
                    config.SslCaLocation = "/etc/ssl/ca.pem";
                    using var p1 = new ProducerBuilder<string, string>(c1).Build();
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                }
            }
            """,
            new[] { Disabled(0), Disabled(1), Disabled(2) },
            """
            using Confluent.Kafka;
            class Service
            {
                void Run(ClientConfig config)
                {
                    var c1 = new ProducerConfig
                    {
                        SecurityProtocol = SecurityProtocol.Ssl
                    };
                    var c2 = new ProducerConfig { SecurityProtocol = SecurityProtocol.Ssl };
                    // TLS settings
                    // self-signed
                    config.SslCaLocation = "/etc/ssl/ca.pem";
                    using var p1 = new ProducerBuilder<string, string>(c1).Build();
                    using var p2 = new ProducerBuilder<string, string>(c2).Build();
                }
            }
            """);

    [Fact]
    public Task Replaces_a_key_literal_leaving_the_value_and_comments_alone()
        => VerifyKeys.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var d = new Dictionary<string, string>
                    {
                        { "bootstrap.servers", "b:9092" },
                        // durability
                        { {|#0:@"enable.idempotance"|} /* typo */, "enable.idempotance" }, // value untouched
                    };
                    using var producer = new ProducerBuilder<string, string>(d).Build();
                }
            }
            """,
            VerifyKeys.Diagnostic(Descriptors.KAFKA301_UnknownConfigurationKey).WithLocation(0).WithArguments("enable.idempotance", " (did you mean 'enable.idempotence'?)"),
            """
            using System.Collections.Generic;
            using Confluent.Kafka;
            class Service
            {
                void Run()
                {
                    var d = new Dictionary<string, string>
                    {
                        { "bootstrap.servers", "b:9092" },
                        // durability
                        { "enable.idempotence" /* typo */, "enable.idempotance" }, // value untouched
                    };
                    using var producer = new ProducerBuilder<string, string>(d).Build();
                }
            }
            """);

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Disabled(int marker)
        => VerifyCS.Diagnostic(Descriptors.KAFKA202_TlsVerificationDisabled).WithLocation(marker).WithArguments("EnableSslCertificateVerification = false", "certificate", "the broker");
}

using System.Collections.Immutable;
using KafkaAnalyzers.CodeFixes.Configuration;
using KafkaAnalyzers.Configuration;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Configuration.Kafka301Tests;
using VerifyCS = KafkaAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Configuration.ConfigurationKeyAnalyzer, KafkaAnalyzers.CodeFixes.Configuration.ConfigurationKeyCodeFixProvider>;

namespace KafkaAnalyzers.Tests.Rules.Configuration;

/// <summary>KAFKA301 fix: replace the key with its single suggestion (the harness also checks Fix All and that the result compiles).</summary>
public class Kafka301FixTests
{
    private const string EquivalenceKey = "KAFKA301.ReplaceKey";

    /// <param name="remaining">Diagnostics still expected in the fixed source (keys with no fix), marked up there.</param>
    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource, params DiagnosticResult[] remaining)
    {
        var test = new VerifyCS.Test
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            CodeActionEquivalenceKey = EquivalenceKey,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(remaining);
        return test.RunAsync();
    }

    /// <summary>The diagnostics are reported and no fix changes the source.</summary>
    private static Task VerifyNoFix(string source, params DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test { TestCode = Usings + source, FixedCode = Usings + source };
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task Replaces_typo_in_Set_keeping_comments() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                // exactly once per partition
                config.Set(/* key */ {|#0:"enable.idempotance"|} /* was a typo */, "true"); // keep me
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """,
        new[] { Unknown(0, "enable.idempotance", "enable.idempotence") },
        """
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                // exactly once per partition
                config.Set(/* key */ "enable.idempotence" /* was a typo */, "true"); // keep me
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Replaces_wrong_case_and_verbatim_keys() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    [{|#0:"Bootstrap.Servers"|}] = "localhost:9092",
                    [{|#1:@"ACKS"|}] = "all",
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """,
        new[] { Unknown(0, "Bootstrap.Servers", "bootstrap.servers"), Unknown(1, "ACKS", "acks") },
        """
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = "localhost:9092",
                    ["acks"] = "all",
                };
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """);

    [Fact]
    public Task Fix_all_gives_each_key_its_own_suggestion() => VerifyFix("""
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    { {|#0:"bootstrap.server"|}, "localhost:9092" }, // brokers
                    { {|#1:"enable.idempotance"|}, "true" },
                };
                config[{|#2:"lingr.ms"|}] = "5";
                config.Add({|#3:"compresion.type"|}, "lz4");
                config.Add({|#4:"key.serializer"|}, "StringSerializer");
                using var producer = new ProducerBuilder<string, string>(config).Build();

                var pairs = new List<KeyValuePair<string, string>>
                {
                    new({|#5:"group.idd"|}, "orders"),
                    KeyValuePair.Create({|#6:"BootstrapServers"|}, "localhost:9092"),
                };
                using var consumer = new ConsumerBuilder<Ignore, string>(pairs).Build();

                var typed = new ConsumerConfig();
                typed.Set({|#7:"auto.offset.rest"|}, "earliest");
                typed.Set({|#8:"isolation.levle"|}, "read_committed");
            }
        }
        """,
        new[]
        {
            Unknown(0, "bootstrap.server", "bootstrap.servers"),
            Unknown(1, "enable.idempotance", "enable.idempotence"),
            Unknown(2, "lingr.ms", "linger.ms"),
            Unknown(3, "compresion.type", "compression.type"),
            Unknown(4, "key.serializer"),
            Unknown(5, "group.idd", "group.id"),
            Unknown(6, "BootstrapServers", "bootstrap.servers"),
            Unknown(7, "auto.offset.rest", "auto.offset.reset"),
            Unknown(8, "isolation.levle", "isolation.level"),
        },
        """
        class Service
        {
            void Run()
            {
                var config = new Dictionary<string, string>
                {
                    { "bootstrap.servers", "localhost:9092" }, // brokers
                    { "enable.idempotence", "true" },
                };
                config["linger.ms"] = "5";
                config.Add("compression.type", "lz4");
                config.Add({|#4:"key.serializer"|}, "StringSerializer");
                using var producer = new ProducerBuilder<string, string>(config).Build();

                var pairs = new List<KeyValuePair<string, string>>
                {
                    new("group.id", "orders"),
                    KeyValuePair.Create("bootstrap.servers", "localhost:9092"),
                };
                using var consumer = new ConsumerBuilder<Ignore, string>(pairs).Build();

                var typed = new ConsumerConfig();
                typed.Set("auto.offset.reset", "earliest");
                typed.Set("isolation.level", "read_committed");
            }
        }
        """,
        Unknown(4, "key.serializer"));

    [Fact]
    public Task No_fix_when_no_key_is_near() => VerifyNoFix("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                config.Set({|#0:"max.block.ms"|}, "60000");
                using var producer = new ProducerBuilder<string, string>(config).Build();
            }
        }
        """, Unknown(0, "max.block.ms"));

    [Fact]
    public Task No_fix_when_key_is_a_constant_reference() => VerifyNoFix("""
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
    public Task No_fix_for_a_dotnet_key_given_to_the_other_kind_of_client() => VerifyNoFix("""
        class Service
        {
            void Run()
            {
                var config = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "orders" };
                config.Set({|#0:"dotnet.producer.enable.delivery.reports"|}, "false");
                using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
            }
        }
        """, VerifyCS.Diagnostic(Descriptors.KAFKA301_UnknownConfigurationKey).WithLocation(0).WithArguments("dotnet.producer.enable.delivery.reports", " for a consumer"));

    [Fact]
    public async Task Fix_title_names_the_suggested_key_and_equivalence_key_is_constant()
    {
        var actions = await CodeActionsFor(Usings + """
            class Service
            {
                void Run()
                {
                    var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                    config.Set("enable.idempotance", "true");
                    config.Set("lingr.ms", "5");
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);

        Assert.Equal(new[] { "Replace with 'enable.idempotence'", "Replace with 'linger.ms'" }, actions.Select(a => a.Title));
        Assert.All(actions, a => Assert.Equal(EquivalenceKey, a.EquivalenceKey));
    }

    private static async Task<List<CodeAction>> CodeActionsFor(string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Fix", LanguageNames.CSharp)
            .WithMetadataReferences(TestReferences.All)
            .WithCompilationOptions(new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .WithParseOptions(new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest));
        var document = project.AddDocument("Test0.cs", source);
        var compilation = (await document.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ConfigurationKeyAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();

        var provider = new ConfigurationKeyCodeFixProvider();
        var actions = new List<CodeAction>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        }

        return actions;
    }
}

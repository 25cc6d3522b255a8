using System.Collections.Concurrent;
using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// Every rule family goes through one gate (issue 9): nothing is registered without a Confluent.Kafka
/// reference; with one, the exported analyzer registers one symbol-start action for every family
/// (through <see cref="KafkaTypeAnalyzer.Register"/>, which adds per-type actions only for types the gate
/// lets through) and nothing per operation or syntax node (families alone: <see cref="OneAnalyzerTests"/>). The gate lets through every type that creates,
/// calls or reads a Confluent.Kafka member, whichever name it uses, and rules out from syntax alone the
/// types that name nothing of Confluent.Kafka.
/// </summary>
public class GateTests
{
    private const string KafkaSource = """
        using Confluent.Kafka;
        public sealed class Service
        {
            public void Run()
            {
                var config = new ProducerConfig { Acks = Acks.Leader, BootstrapServers = "b:9092" };
                using var producer = new ProducerBuilder<string, string>(config).Build();
                producer.Produce("t", new Message<string, string> { Value = "v" }, r => { if (r.Error.IsError) { } });
                producer.Flush(System.TimeSpan.FromSeconds(5));
            }
        }
        """;

    private const string PlainSource = """
        public sealed class Service
        {
            private readonly System.Collections.Generic.Dictionary<string, string> _settings = new() { ["acks"] = "1" };
            public int Count => _settings.Count;
            public string Describe(System.Exception ex) => ex.Message + _settings["acks"];
        }
        """;

    public static TheoryData<string> Analyzers() => AnalyzerRobustnessTests.Analyzers();

    [Theory]
    [MemberData(nameof(Analyzers))]
    public async Task Registers_nothing_without_a_Confluent_Kafka_reference(string analyzer)
    {
        var references = TestReferences.All.Where(r => !(r.Display ?? string.Empty).Contains("Confluent.Kafka", StringComparison.Ordinal));
        var telemetry = await TelemetryAsync(analyzer, PlainSource, references);

        Assert.Equal(1, telemetry.CompilationStartActionsCount);
        Assert.Equal("nothing", PerCodeActions(telemetry));
        Assert.Equal(0, telemetry.SymbolActionsCount);
    }

    [Theory]
    [MemberData(nameof(Analyzers))]
    public async Task Registers_one_symbol_start_action_and_nothing_per_operation(string analyzer)
    {
        var telemetry = await TelemetryAsync(analyzer, KafkaSource, TestReferences.All);

        Assert.Equal(1, telemetry.CompilationStartActionsCount);
        Assert.Equal(0, telemetry.SymbolActionsCount);
        Assert.Equal("symbol-start 1", PerCodeActions(telemetry));
    }

    [Theory]
    [MemberData(nameof(Analyzers))]
    public void Every_analyzer_registers_through_the_gate(string analyzer)
        => Assert.True(
            KafkaAssemblies.AnalyzerTypes.Single(t => t.FullName == analyzer) == typeof(KafkaAnalyzer),
            $"{analyzer} is exported: only KafkaAnalyzer, which runs every family through KafkaTypeAnalyzer.Register (the one gate), may be (OneAnalyzerTests)");

    [Fact]
    public void Gate_rules_out_a_type_that_names_nothing_of_Kafka()
    {
        const string source = """
            using Confluent.Kafka;
            public sealed class Service
            {
                private readonly System.Collections.Generic.List<string> _rows = new();
                public string Describe(string s) => s.Trim() + _rows.Capacity;
            }

            public sealed class Publisher
            {
                public object Create() => new ProducerConfig();
                public sealed class Row { public int Length(string s) => s.Length; }
            }
            """;

        Assert.False(Gate(source, "Service"));
        Assert.False(Gate(source, "Row"));
        Assert.True(Gate(source, "Publisher"));
    }

    [Fact]
    public void Gate_lets_through_aliases_and_project_subclasses()
    {
        const string source = """
            using Settings = Confluent.Kafka.ProducerConfig;
            public sealed class OrdersConfig : Confluent.Kafka.ProducerConfig { public void Harden() => LingerMs = 5; }
            public sealed class ViaAlias { public object Create() => new Settings(); }
            public sealed class ViaSubclass { public object Create() => new OrdersConfig(); }
            public sealed class ViaSubclassMember { public void Run(dynamic c) { } public void Use(OrdersConfig? c) => c?.Harden(); }
            """;

        Assert.True(Gate(source, "ViaAlias"));
        Assert.True(Gate(source, "ViaSubclass"));
        Assert.True(Gate(source, "ViaSubclassMember"));
    }

    [Fact]
    public void Gate_lets_through_a_type_that_only_uses_the_schema_registry_config()
    {
        // Confluent.SchemaRegistry's SchemaRegistryConfig is no Kafka type, but KAFKA202 reads its writes.
        const string source = """
            public sealed class Schemas
            {
                public object Create() => new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = "https://registry.internal:8081" };
            }

            public sealed class Other
            {
                public string Url { get; set; } = "https://example.org";
            }
            """;

        Assert.True(Gate(source, "Schemas"));
        Assert.False(Gate(source, "Other"));
    }

    [Fact]
    public async Task Analyses_a_type_that_only_writes_a_schema_registry_config()
    {
        const string source = """
            public sealed class Schemas
            {
                public void Relax(Confluent.SchemaRegistry.SchemaRegistryConfig config) => config.MaxCachedSchemas = 10;
            }
            """;

        Assert.True(await IsAnalysedAsync(source, "Schemas"));
    }

    private static bool Gate(string source, string typeName)
    {
        var compilation = CSharpCompilation.Create(
            "GateTest",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "/0/Test0.cs") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var symbols = KafkaSymbols.TryCreate(compilation)!;
        var names = KafkaNames.Create(compilation, symbols, CancellationToken.None);
        var type = (INamedTypeSymbol)Assert.Single(compilation.GetSymbolsWithName(typeName, SymbolFilter.Type));
        return KafkaTypeGate.MayTouchKafka(type, compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), names, CancellationToken.None);
    }

    [Fact]
    public async Task Analyses_a_type_that_uses_Kafka_names()
        => Assert.True(await IsAnalysedAsync(KafkaSource, "Service"));

    [Fact]
    public async Task Skips_a_type_whose_everyday_names_bind_to_other_libraries()
        => Assert.False(await IsAnalysedAsync("using Confluent.Kafka;\n" + PlainSource, "Service"));

    [Fact]
    public async Task Skips_a_nested_ordinary_type_of_a_Kafka_type()
    {
        const string source = """
            using Confluent.Kafka;
            public sealed class Service
            {
                public object Create() => new ProducerConfig();
                public sealed class Row { public string Value { get; set; } = ""; public int Count => Value.Length; }
            }
            """;

        Assert.True(await IsAnalysedAsync(source, "Service"));
        Assert.False(await IsAnalysedAsync(source, "Row"));
    }

    [Fact]
    public async Task Analyses_a_type_reaching_Kafka_only_through_everyday_names()
    {
        // The consumer lives in a base class; the derived type only says Consumer.Close() / Dispose().
        const string source = """
            using Confluent.Kafka;
            public abstract class Worker
            {
                protected IConsumer<string, string> Consumer { get; } = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" }).Build();
            }

            public sealed class Service : Worker
            {
                public void Stop()
                {
                    Consumer.Close();
                    Consumer.Dispose();
                }
            }
            """;

        Assert.True(await IsAnalysedAsync(source, "Service"));
    }

    [Fact]
    public async Task Analyses_a_type_using_a_Kafka_type_through_an_alias()
    {
        const string source = """
            using Settings = Confluent.Kafka.ProducerConfig;
            public sealed class Service
            {
                public object Create() => new Settings();
            }
            """;

        Assert.True(await IsAnalysedAsync(source, "Service"));
    }

    [Fact]
    public async Task Analyses_a_type_using_a_project_subclass_of_a_Kafka_type()
    {
        const string source = """
            public sealed class OrdersConfig : Confluent.Kafka.ProducerConfig
            {
                public void Harden() => EnableIdempotence = true;
            }

            public sealed class Service
            {
                public object Create(bool harden)
                {
                    var config = new OrdersConfig();
                    if (harden) config.Harden();
                    return config;
                }
            }
            """;

        Assert.True(await IsAnalysedAsync(source, "Service"));
    }

    [Fact]
    public async Task Analyses_top_level_statements()
    {
        const string source = """
            using Confluent.Kafka;
            var config = new ProducerConfig { Acks = Acks.None };
            System.Console.WriteLine(config.Acks);
            """;

        Assert.True(await IsAnalysedAsync(source, "Program", OutputKind.ConsoleApplication));
    }

    [Fact]
    public async Task Analyses_a_partial_type_whose_Kafka_half_is_in_another_file()
    {
        var sources = new[]
        {
            "public sealed partial class Service { private Confluent.Kafka.ProducerConfig _config = new() { LingerMs = 5 }; }",
            "public sealed partial class Service { public int Count(string s) => s.Length; }",
        };

        Assert.True(await IsAnalysedAsync(sources, "Service"));
    }

    [Fact]
    public async Task Skips_a_type_that_only_names_a_Kafka_type_without_using_it()
    {
        // As before the gate: a declaration alone is not Kafka code (no creation, call or property access).
        const string source = """
            using Confluent.Kafka;
            public sealed class Service
            {
                public System.Type Kind => typeof(ProducerConfig);
            }
            """;

        Assert.False(await IsAnalysedAsync(source, "Service"));
    }

    private static string PerCodeActions(AnalyzerTelemetryInfo t)
    {
        var parts = new List<string>();
        void Add(string name, int count)
        {
            if (count > 0)
            {
                parts.Add($"{name} {count}");
            }
        }

        Add("compilation", t.CompilationActionsCount);
        Add("compilation-end", t.CompilationEndActionsCount);
        Add("syntax-tree", t.SyntaxTreeActionsCount);
        Add("semantic-model", t.SemanticModelActionsCount);
        Add("symbol-start", t.SymbolStartActionsCount);
        Add("symbol-end", t.SymbolEndActionsCount);
        Add("syntax-node", t.SyntaxNodeActionsCount);
        Add("code-block-start", t.CodeBlockStartActionsCount);
        Add("code-block-end", t.CodeBlockEndActionsCount);
        Add("code-block", t.CodeBlockActionsCount);
        Add("operation", t.OperationActionsCount);
        Add("operation-block-start", t.OperationBlockStartActionsCount);
        Add("operation-block-end", t.OperationBlockEndActionsCount);
        Add("operation-block", t.OperationBlockActionsCount);
        return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
    }

    private static async Task<AnalyzerTelemetryInfo> TelemetryAsync(string analyzerName, string source, IEnumerable<MetadataReference> references)
    {
        var analyzer = KafkaAssemblies.CreateAnalyzers().Single(a => a.GetType().FullName == analyzerName);
        var compilation = CSharpCompilation.Create(
            "GateTest",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "/0/Test0.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer), options);
        Assert.DoesNotContain(await withAnalyzers.GetAnalyzerDiagnosticsAsync(), d => d.Id == "AD0001");
        return await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
    }

    private static Task<bool> IsAnalysedAsync(string source, string typeName, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
        => IsAnalysedAsync(new[] { source }, typeName, kind);

    private static async Task<bool> IsAnalysedAsync(string[] sources, string typeName, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var compilation = CSharpCompilation.Create(
            "GateTest",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/0/Test{i}.cs")),
            TestReferences.All,
            new CSharpCompilationOptions(kind));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var capture = new CaptureAnalyzer();
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(capture)).GetAllDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        Assert.NotEmpty(compilation.GetSymbolsWithName(typeName, SymbolFilter.Type));
        return capture.Analysed.ContainsKey(typeName);
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CaptureAnalyzer : KafkaTypeAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = DescriptorFactory.Create("TEST0090", "Test", DiagnosticSeverity.Hidden, "t", "t", "t", dataLoss: false);

        public ConcurrentDictionary<string, KafkaTypeAnalysis> Analysed { get; } = new();

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
            => Analysed[analysis.Type.Name] = analysis;
    }
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using KafkaAnalyzers.Configuration;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// The package exports one analyzer, <see cref="KafkaAnalyzer"/>, which runs every rule family through one
/// registration of the gate (issue 9): the compiler's driver keeps per-type and per-member state for each
/// analyzer that registers symbol-start actions, so one exported analyzer per family made every family
/// cost allocations on every type of the code base (measured: about 1.5 MB per family per 10k lines,
/// 0.02 of the compiler's allocations). These tests keep a new family from being exported on its own,
/// and check that running the families together finds exactly what each finds alone.
/// </summary>
public class OneAnalyzerTests
{
    private static readonly ImmutableArray<Type> FamilyTypes = KafkaAssemblies.AnalyzerAssembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(KafkaTypeAnalyzer).IsAssignableFrom(type))
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .ToImmutableArray();

    public static TheoryData<string> Families()
    {
        var data = new TheoryData<string>();
        foreach (var type in FamilyTypes)
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void The_package_exports_one_analyzer()
        => Assert.Equal(new[] { typeof(KafkaAnalyzer) }, KafkaAssemblies.AnalyzerTypes);

    [Fact]
    public void The_exported_analyzer_runs_every_rule_family()
    {
        Assert.True(FamilyTypes.Length >= 5, "rule families are found by reflection");
        Assert.Equal(
            FamilyTypes.Select(t => t.FullName),
            KafkaAnalyzer.CreateFamilies().Select(f => f.GetType().FullName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void A_family_is_not_exported_on_its_own(string family)
        => Assert.True(
            FamilyTypes.Single(t => t.FullName == family).GetCustomAttribute<DiagnosticAnalyzerAttribute>() is null,
            $"{family} carries [DiagnosticAnalyzer]: list it in KafkaAnalyzer.CreateFamilies() instead (each exported analyzer pays the driver's per-type bookkeeping)");

    [Fact]
    public void The_exported_analyzer_supports_exactly_the_rules_of_its_families()
    {
        var families = KafkaAnalyzer.CreateFamilies().SelectMany(f => f.SupportedDiagnostics).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var exported = new KafkaAnalyzer().SupportedDiagnostics.Select(d => d.Id).ToList();
        Assert.Equal(exported.Count, exported.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(families.Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
    }

    /// <summary>Every source of the repository's Kafka corpus (rule tests, docs pages, samples): the same diagnostics, whether the families run together or each alone.</summary>
    [Fact]
    public async Task Running_the_families_together_finds_what_each_finds_alone()
    {
        var sources = KafkaSourceCorpus.All.Where(s => !s.Origin.Contains("Mutation", StringComparison.Ordinal)).ToList();
        Assert.True(sources.Count > 100, $"only {sources.Count} Kafka sources found");
        var compared = 0;
        foreach (var chunk in sources.Chunk(40))
        {
            var compilation = AnalysisRunner.Compile(chunk.Select((s, i) => AnalysisRunner.Parse(s.Text, $"/{compared + i}/Source.cs")));
            var together = await AnalysisRunner.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new KafkaAnalyzer()));
            var alone = new List<Diagnostic>();
            var failures = new List<string>(together.AnalyzerFailures);
            foreach (var family in KafkaAnalyzer.CreateFamilies())
            {
                var run = await AnalysisRunner.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(family));
                alone.AddRange(run.AnalyzerDiagnostics);
                failures.AddRange(run.AnalyzerFailures);
            }

            Assert.Empty(failures);
            Assert.Equal(Describe(alone), Describe(together.AnalyzerDiagnostics));
            compared += chunk.Length;
        }

        Assert.Equal(sources.Count, compared);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task A_family_alone_registers_one_symbol_start_action_and_nothing_per_operation(string family)
    {
        var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(FamilyTypes.Single(t => t.FullName == family))!;
        var compilation = AnalysisRunner.Compile("""
            using Confluent.Kafka;
            public sealed class Service
            {
                public void Run()
                {
                    using var producer = new ProducerBuilder<string, string>(new ProducerConfig { Acks = Acks.Leader }).Build();
                    producer.Produce("t", new Message<string, string> { Value = "v" });
                }
            }
            """);
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer), options);
        Assert.DoesNotContain(await withAnalyzers.GetAnalyzerDiagnosticsAsync(), d => d.Id == "AD0001");
        var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);

        Assert.Equal(1, telemetry.CompilationStartActionsCount);
        Assert.Equal(1, telemetry.SymbolStartActionsCount);
        Assert.Equal(0, telemetry.SymbolActionsCount + telemetry.OperationActionsCount + telemetry.SyntaxNodeActionsCount
                        + telemetry.OperationBlockStartActionsCount + telemetry.CodeBlockStartActionsCount + telemetry.SyntaxTreeActionsCount
                        + telemetry.SemanticModelActionsCount + telemetry.CompilationActionsCount);
    }

    [Fact]
    public async Task A_family_that_throws_does_not_hide_the_findings_of_the_others()
    {
        var compilation = AnalysisRunner.Compile("""
            using Confluent.Kafka;
            public sealed class Service
            {
                public void Run()
                {
                    var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                    config.Set("enable.idempotance", "true");
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                }
            }
            """);
        var hub = new TestHub(new ThrowingFamily(), new ConfigurationKeyAnalyzer());

        var run = await AnalysisRunner.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(hub));

        Assert.Contains(run.AnalyzerDiagnostics, d => d.Id == "KAFKA301");
        Assert.Contains(run.AnalyzerFailures, f => f.Contains(nameof(ThrowingFamily), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_family_whose_rules_are_all_switched_off_does_not_run()
    {
        var compilation = AnalysisRunner.Compile("""
            using Confluent.Kafka;
            public sealed class Service
            {
                public ProducerConfig Create() => new ProducerConfig { LingerMs = 5 };
            }
            """);
        var off = new CaptureFamily("TEST0091");
        var on = new CaptureFamily("TEST0092");

        var switchedOff = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            ImmutableDictionary<string, ReportDiagnostic>.Empty.Add("TEST0091", ReportDiagnostic.Suppress)));
        var run = await AnalysisRunner.RunAsync(switchedOff, ImmutableArray.Create<DiagnosticAnalyzer>(new TestHub(off, on)));

        Assert.Empty(run.AnalyzerFailures);
        Assert.Empty(off.Analysed);
        Assert.True(on.Analysed.ContainsKey("Service"));

        // Switched on (or left at its default), it runs.
        var again = new CaptureFamily("TEST0091");
        await AnalysisRunner.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new TestHub(again, new CaptureFamily("TEST0092"))));
        Assert.True(again.Analysed.ContainsKey("Service"));
    }

    private static List<string> Describe(IEnumerable<Diagnostic> diagnostics)
        => diagnostics.Select(d => $"{d.Id} {d.Location.SourceTree?.FilePath}{d.Location.SourceSpan} {d.GetMessage()} [{string.Join(",", d.AdditionalLocations.Select(l => l.SourceSpan))}] {string.Join(",", d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))}")
            .Order(StringComparer.Ordinal)
            .ToList();

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class TestHub : DiagnosticAnalyzer
    {
        private readonly ImmutableArray<KafkaTypeAnalyzer> _families;

        public TestHub(params KafkaTypeAnalyzer[] families)
        {
            _families = families.ToImmutableArray();
            SupportedDiagnostics = _families.SelectMany(f => f.SupportedDiagnostics).ToImmutableArray();
        }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            KafkaTypeAnalyzer.Register(context, _families);
        }
    }

#pragma warning disable RS1001 // families are run by a hub, as in the package
    private sealed class ThrowingFamily : KafkaTypeAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = DescriptorFactory.Create("TEST0093", "Test", DiagnosticSeverity.Warning, "t", "t", "t", dataLoss: false);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
            => throw new InvalidOperationException(nameof(ThrowingFamily));
    }

    private sealed class CaptureFamily : KafkaTypeAnalyzer
    {
        private readonly DiagnosticDescriptor _descriptor;

        public CaptureFamily(string id) => _descriptor = DescriptorFactory.Create(id, "Test", DiagnosticSeverity.Warning, "t", "t", "t", dataLoss: false);

        public ConcurrentDictionary<string, bool> Analysed { get; } = new();

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(_descriptor);

        protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
            => Analysed[analysis.Type.Name] = true;
    }
#pragma warning restore RS1001
}

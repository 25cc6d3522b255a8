using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Configuration;
using KafkaAnalyzers.Consumers;
using KafkaAnalyzers.Model;
using KafkaAnalyzers.Producers;
using KafkaAnalyzers.Security;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers;

/// <summary>
/// The one analyzer the package exports: every rule family, run through one registration of the gate
/// (<see cref="KafkaTypeAnalyzer.Register"/>). One analyzer, not one per family, because the compiler's
/// driver keeps per-type and per-member state for each analyzer that registers symbol-start actions; with
/// one per family that bookkeeping, paid for every type of the code base, grew with every family.
/// A new family is added to <see cref="Families"/> (GateTests fails when one is missing or exported on
/// its own).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class KafkaAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Every rule family, by folder.</summary>
    internal static ImmutableArray<KafkaTypeAnalyzer> CreateFamilies() => ImmutableArray.Create<KafkaTypeAnalyzer>(
        new ConfigurationKeyAnalyzer(),
        new ConsumerConfigurationAnalyzer(),
        new ConsumerFlowAnalyzer(),
        new ConsumerHostingAnalyzer(),
        new ProducerConfigurationAnalyzer(),
        new ProducerDeliveryAnalyzer(),
        new ProducerLifetimeAnalyzer(),
        new ProducerThroughputAnalyzer(),
        new SecurityConfigurationAnalyzer());

    public KafkaAnalyzer()
    {
        Families = CreateFamilies();
        SupportedDiagnostics = Families.SelectMany(f => f.SupportedDiagnostics).Distinct().ToImmutableArray();
    }

    public ImmutableArray<KafkaTypeAnalyzer> Families { get; }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        KafkaTypeAnalyzer.Register(context, Families);
    }
}

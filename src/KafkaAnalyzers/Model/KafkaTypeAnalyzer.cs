using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Base of every rule-family analyzer, and the one gate all of them go through. It registers nothing
/// when Confluent.Kafka is not referenced, and otherwise one symbol action on named types: no
/// symbol-start/end bookkeeping and no operation callbacks, which the driver would pay per type and
/// per family for the whole code base. The shared <see cref="KafkaTypeAnalysisCache"/> decides once
/// per type (from its syntax tokens) whether it can touch Confluent.Kafka, and only then builds the
/// shared analysis, which every family receives in <see cref="AnalyzeType"/>.
/// </summary>
/// <remarks>
/// <see cref="Initialize"/> is sealed on purpose: a family that registered its own per-type or
/// per-operation actions would put the whole code base's cost back (the registration meta-test and the
/// analyzer benchmark show it). Families ask the model; the model finds what it needs in the
/// type's operations.
/// </remarks>
internal abstract class KafkaTypeAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(compilationStart =>
        {
            var cache = KafkaTypeAnalysisCache.For(compilationStart.Compilation);
            if (cache is null)
            {
                return;
            }

            compilationStart.RegisterSymbolAction(
                symbol =>
                {
                    if (cache.AnalysisFor((INamedTypeSymbol)symbol.Symbol, symbol.Options, symbol.CancellationToken) is { } analysis)
                    {
                        AnalyzeType(analysis, symbol);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    protected abstract void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context);
}

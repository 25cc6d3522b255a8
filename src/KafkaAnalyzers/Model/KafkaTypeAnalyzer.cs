using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Base of every rule-family analyzer, and the one gate all of them go through. Nothing is registered
/// when Confluent.Kafka is not referenced. Otherwise, at the start of each type, the shared
/// <see cref="KafkaTypeAnalysisCache"/> decides once for all families, from the type's syntax tokens
/// alone, whether it can touch Confluent.Kafka (<see cref="KafkaTypeGate"/>); only such a type gets an
/// operation-block action (its blocks, as the driver already built them, are collected once for all
/// families) and a symbol-end action, which hands every family the shared analysis. No operation
/// actions: the driver would call them for every creation, call and property access of the code base,
/// per family.
/// </summary>
/// <remarks>
/// <see cref="Initialize"/> is sealed on purpose: a family that registered its own actions would put
/// the whole code base's cost back (the registration meta-test and the analyzer benchmark show it).
/// Families ask the model; the model finds what it needs in the type's operations.
/// </remarks>
internal abstract class KafkaTypeAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
#pragma warning disable RS1012 // the start action registers its actions through the symbol-start context
        context.RegisterCompilationStartAction(compilationStart =>
        {
            var cache = KafkaTypeAnalysisCache.For(compilationStart.Compilation);
            if (cache is null)
            {
                return;
            }

            compilationStart.RegisterSymbolStartAction(
                typeStart =>
                {
                    var type = (INamedTypeSymbol)typeStart.Symbol;
                    if (cache.CollectorFor(type, typeStart.Options, typeStart.CancellationToken) is not { } collector)
                    {
                        return;
                    }

                    typeStart.RegisterOperationBlockAction(block => collector.Add(block.OwningSymbol, block.OperationBlocks));
                    typeStart.RegisterSymbolEndAction(typeEnd =>
                    {
                        if (cache.AnalysisFor(type, collector, typeEnd.Options, typeEnd.CancellationToken) is { } analysis)
                        {
                            AnalyzeType(analysis, typeEnd);
                        }
                    });
                },
                SymbolKind.NamedType);
        });
#pragma warning restore RS1012
    }

    protected abstract void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context);
}

using System;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.ExceptionServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Base of every rule family, and the one gate all of them go through. A family is a
/// <see cref="DiagnosticAnalyzer"/> so it can run alone (its tests do), but the package exports only
/// <see cref="KafkaAnalyzer"/>, which runs every family through one registration: the driver's per-type
/// and per-member bookkeeping for symbol-start actions is paid per analyzer, so one analyzer for all
/// families keeps it from growing with every family (issue 9).
/// </summary>
/// <remarks>
/// The registration (<see cref="Register"/>): nothing when Confluent.Kafka is not referenced. Otherwise,
/// at the start of each type, the shared <see cref="KafkaTypeAnalysisCache"/> decides once, from the
/// type's identifiers alone (read from its source text), whether it can touch Confluent.Kafka (<see cref="KafkaTypeGate"/>); only
/// such a type gets an operation-block action (its blocks, as the driver already built them, are
/// collected once) and a symbol-end action, which hands every family the shared analysis. No operation
/// actions: the driver would call them for every creation, call and property access of the code base.
/// <see cref="Initialize"/> is sealed on purpose: a family that registered its own actions would put
/// the whole code base's cost back (GateTests and the analyzer benchmark show it). A family carries no
/// <see cref="DiagnosticAnalyzerAttribute"/>: it is listed in <see cref="KafkaAnalyzer"/> instead.
/// </remarks>
internal abstract class KafkaTypeAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        Register(context, ImmutableArray.Create(this));
    }

    protected abstract void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context);

    /// <summary>
    /// Registers the gate once for <paramref name="families"/>: one symbol-start action for all of them.
    /// The caller's Initialize enables concurrent execution and skips generated code.
    /// </summary>
    internal static void Register(AnalysisContext context, ImmutableArray<KafkaTypeAnalyzer> families)
    {
#pragma warning disable RS1012 // the start action registers its actions through the symbol-start context
        context.RegisterCompilationStartAction(compilationStart =>
        {
            var cache = KafkaTypeAnalysisCache.For(compilationStart.Compilation);
            if (cache is null)
            {
                return;
            }

            // A family whose every rule is switched off for the whole compilation does not run (the driver
            // skipped such an analyzer when each family was one; the hub decides it per family).
            var enabled = families.Length == 1
                ? families
                : families.Where(f => RuleSwitches.AnyEnabled(f.SupportedDiagnostics, compilationStart.Compilation, compilationStart.CancellationToken)).ToImmutableArray();
            if (enabled.IsEmpty)
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
                            AnalyzeWithEveryFamily(enabled, analysis, typeEnd);
                        }
                    });
                },
                SymbolKind.NamedType);
        });
#pragma warning restore RS1012
    }

    /// <summary>
    /// Every family on one type. A family that throws does not keep the others from reporting: the first
    /// failure is rethrown once all have run (the driver turns it into AD0001, as before).
    /// </summary>
    private static void AnalyzeWithEveryFamily(ImmutableArray<KafkaTypeAnalyzer> families, KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        ExceptionDispatchInfo? failure = null;
        foreach (var family in families)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            try
            {
                family.AnalyzeType(analysis, context);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
            {
                failure ??= ExceptionDispatchInfo.Capture(ex);
            }
        }

        failure?.Throw();
    }
}

using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The per-compilation hub every rule family goes through: the Kafka symbols (none when
/// Confluent.Kafka is not referenced), the gate names, and for each type, decided once whichever
/// family asks first, either nothing (the type cannot touch Confluent.Kafka) or the shared
/// <see cref="KafkaTypeAnalysis"/>, so the type is gated, indexed and modelled once for all families.
/// </summary>
internal sealed class KafkaTypeAnalysisCache
{
    private static readonly ConditionalWeakTable<Compilation, Holder> Caches = new();
    private static readonly Lazy<KafkaTypeAnalysis?> NotKafka = new(() => null);

    private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<KafkaTypeAnalysis?>> _analyses = new(SymbolEqualityComparer.Default);
    private readonly Compilation _compilation;
    private readonly object _namesLock = new();
    private KafkaNames? _names;

    private KafkaTypeAnalysisCache(Compilation compilation, KafkaSymbols symbols)
    {
        _compilation = compilation;
        Symbols = symbols;
    }

    public KafkaSymbols Symbols { get; }

    /// <summary>The hub of a compilation, or null when it does not reference Confluent.Kafka (then nothing is registered).</summary>
    public static KafkaTypeAnalysisCache? For(Compilation compilation)
        => Caches.GetValue(compilation, c => new Holder(KafkaSymbols.TryCreate(c) is { } symbols ? new KafkaTypeAnalysisCache(c, symbols) : null)).Cache;

    /// <summary>The shared analysis of <paramref name="type"/>, or null when the type does not touch Confluent.Kafka.</summary>
    public KafkaTypeAnalysis? AnalysisFor(INamedTypeSymbol type, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface) || type.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        return _analyses.GetOrAdd(type, t =>
        {
            var declarations = TypeBlocks.Declarations(t, _compilation, options, cancellationToken);
            return KafkaTypeGate.MayTouchKafka(t, declarations, _compilation, Names(cancellationToken), Symbols.Config.ContainingAssembly, cancellationToken)
                ? new Lazy<KafkaTypeAnalysis?>(() => Build(t, declarations, options, cancellationToken))
                : NotKafka;
        }).Value;
    }

    private KafkaTypeAnalysis? Build(INamedTypeSymbol type, System.Collections.Generic.IReadOnlyList<SyntaxNode> declarations, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var blocks = TypeBlocks.Collect(type, declarations, _compilation, cancellationToken);
        if (blocks.IsEmpty)
        {
            return null;
        }

        // The gate read names; only a creation, call or property access that binds to Confluent.Kafka
        // makes the type Kafka code (as before the gate existed).
        var index = OperationIndex.Build(type, blocks, Symbols);
        return index.TouchesKafka ? new KafkaTypeAnalysis(Symbols, type, index, options) : null;
    }

    private KafkaNames Names(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _names) is { } names)
        {
            return names;
        }

        lock (_namesLock)
        {
            return _names ??= KafkaNames.Create(_compilation, Symbols, cancellationToken);
        }
    }

    private sealed class Holder
    {
        public Holder(KafkaTypeAnalysisCache? cache) => Cache = cache;

        public KafkaTypeAnalysisCache? Cache { get; }
    }
}

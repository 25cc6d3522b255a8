using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

/// <summary>
/// One <see cref="KafkaTypeAnalysis"/> per type and compilation, shared by every rule family, so the
/// type is indexed and its configurations modelled once however many families ask.
/// </summary>
internal sealed class KafkaTypeAnalysisCache
{
    private static readonly ConditionalWeakTable<Compilation, KafkaTypeAnalysisCache> Caches = new();

    private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<KafkaTypeAnalysis>> _analyses = new(SymbolEqualityComparer.Default);

    public static KafkaTypeAnalysisCache For(Compilation compilation) => Caches.GetValue(compilation, _ => new KafkaTypeAnalysisCache());

    public KafkaTypeAnalysis GetOrAdd(INamedTypeSymbol type, Func<KafkaTypeAnalysis> create)
        => _analyses.GetOrAdd(type, _ => new Lazy<KafkaTypeAnalysis>(create)).Value;
}

using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

/// <summary>
/// One set of <see cref="KafkaTypeAnalysis.Models"/> per type and compilation, shared by every rule
/// family, so the type is indexed and its configurations modelled once however many families ask.
/// </summary>
internal sealed class KafkaTypeAnalysisCache
{
    private static readonly ConditionalWeakTable<Compilation, KafkaTypeAnalysisCache> Caches = new();

    private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<KafkaTypeAnalysis.Models>> _models = new(SymbolEqualityComparer.Default);

    public static KafkaTypeAnalysisCache For(Compilation compilation) => Caches.GetValue(compilation, _ => new KafkaTypeAnalysisCache());

    /// <summary>Creating the models computes nothing (that happens on first use, see <see cref="SharedComputation{T}"/>), so it cannot be cancelled half-way.</summary>
    public KafkaTypeAnalysis.Models GetOrAdd(INamedTypeSymbol type, Func<KafkaTypeAnalysis.Models> create)
        => _models.GetOrAdd(type, _ => new Lazy<KafkaTypeAnalysis.Models>(create)).Value;
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The per-compilation hub every rule family goes through: the Kafka symbols (none when
/// Confluent.Kafka is not referenced), the gate names, and per type, decided once whichever family
/// asks first: whether the type can touch Confluent.Kafka, its operation blocks (collected once for
/// all families) and the shared <see cref="KafkaTypeAnalysis.Models"/>, built once; each family gets its
/// own <see cref="KafkaTypeAnalysis"/> over them, with its cancellation token.
/// </summary>
internal sealed class KafkaTypeAnalysisCache
{
    private static readonly ConditionalWeakTable<Compilation, Holder> Caches = new();
    private static readonly object NotKafka = new();

    private readonly ConcurrentDictionary<INamedTypeSymbol, object> _types = new(SymbolEqualityComparer.Default);
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

    /// <summary>The shared block collector of a type that may touch Confluent.Kafka; null for every other type.</summary>
    public BlockCollector? CollectorFor(INamedTypeSymbol type, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface) || type.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        var entry = _types.GetOrAdd(
            type,
            t => KafkaTypeGate.MayTouchKafka(t, _compilation, options, Names(cancellationToken), cancellationToken) ? new BlockCollector(this, t) : NotKafka);
        return entry as BlockCollector;
    }

    /// <summary>The shared analysis, once every block of the type is collected; null when nothing in it binds to Confluent.Kafka.</summary>
    public KafkaTypeAnalysis? AnalysisFor(INamedTypeSymbol type, BlockCollector collector, AnalyzerOptions options, CancellationToken cancellationToken)
        => collector.Analysis(options, cancellationToken);

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

    /// <summary>
    /// The operation blocks of one type, from whichever family's operation-block action runs first
    /// (every family's symbol end runs after its own block actions, so the union is complete when any
    /// family asks for the analysis).
    /// </summary>
    internal sealed class BlockCollector
    {
        private readonly KafkaTypeAnalysisCache _cache;
        private readonly INamedTypeSymbol _type;
        private readonly ConcurrentDictionary<IOperation, ISymbol> _blocks = new();
        private readonly object _lock = new();
        private bool _built;
        private KafkaTypeAnalysis.Models? _models;

        public BlockCollector(KafkaTypeAnalysisCache cache, INamedTypeSymbol type)
        {
            _cache = cache;
            _type = type;
        }

        public void Add(ISymbol owner, ImmutableArray<IOperation> roots)
        {
            // Nested types are analysed on their own.
            if (!SymbolEqualityComparer.Default.Equals(owner.ContainingType, _type))
            {
                return;
            }

            foreach (var root in roots)
            {
                _blocks.TryAdd(root, owner);
            }
        }

        private bool TouchesKafka(CancellationToken cancellationToken)
        {
            var symbols = _cache.Symbols;
            var stack = new Stack<IOperation>();
            foreach (var pair in _blocks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                stack.Clear();
                stack.Push(pair.Key);
                while (stack.Count > 0)
                {
                    var operation = stack.Pop();
                    if (operation.Kind is OperationKind.ObjectCreation or OperationKind.Invocation or OperationKind.PropertyReference
                        && symbols.IsFromKafka(operation))
                    {
                        return true;
                    }

                    foreach (var child in operation.ChildOperations)
                    {
                        stack.Push(child);
                    }
                }
            }

            return false;
        }

        public KafkaTypeAnalysis? Analysis(AnalyzerOptions options, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (!_built)
                {
                    // The gate read names; only a creation, call or property access that binds to
                    // Confluent.Kafka makes the type Kafka code (as before the gate existed). That check
                    // allocates nothing; the index is built only for types that pass it. Decided only
                    // once it completes: a request cancelled half-way leaves the decision to the next
                    // request (the IDE asks again on the same compilation), it does not record "no Kafka".
                    if (TouchesKafka(cancellationToken))
                    {
                        var blocks = _blocks.Select(pair => (pair.Value, pair.Key)).ToImmutableArray();
                        _models = new KafkaTypeAnalysis.Models(_cache.Symbols, _type, OperationIndex.Build(_type, blocks, cancellationToken), options);
                    }

                    _built = true;
                }

                return _models is null ? null : new KafkaTypeAnalysis(_models, options, cancellationToken);
            }
        }
    }

    private sealed class Holder
    {
        public Holder(KafkaTypeAnalysisCache? cache) => Cache = cache;

        public KafkaTypeAnalysisCache? Cache { get; }
    }
}

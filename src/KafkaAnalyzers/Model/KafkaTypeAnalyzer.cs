using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Base of every rule-family analyzer: does nothing unless Confluent.Kafka is referenced, collects the
/// operation blocks of each type that touches Confluent.Kafka, and at the end of the type hands the
/// shared analysis (built once per type, whichever family asks first) to the family.
/// </summary>
internal abstract class KafkaTypeAnalyzer : DiagnosticAnalyzer
{
    private static readonly OperationKind[] KafkaTouchingKinds =
    {
        OperationKind.ObjectCreation,
        OperationKind.Invocation,
        OperationKind.PropertyReference,
    };

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
#pragma warning disable RS1012 // the start action registers its actions through the symbol-start context
        context.RegisterCompilationStartAction(compilationStart =>
        {
            var symbols = KafkaSymbols.TryCreate(compilationStart.Compilation);
            if (symbols is null)
            {
                return;
            }

            var cache = KafkaTypeAnalysisCache.For(compilationStart.Compilation);
            compilationStart.RegisterSymbolStartAction(
                typeStart =>
                {
                    var type = (INamedTypeSymbol)typeStart.Symbol;
                    var blocks = new ConcurrentQueue<(ISymbol Owner, IOperation Root)>();
                    var touchesKafka = 0;
                    typeStart.RegisterOperationBlockAction(block =>
                    {
                        // Nested types are analysed on their own.
                        if (!SymbolEqualityComparer.Default.Equals(block.OwningSymbol.ContainingType, type))
                        {
                            return;
                        }

                        foreach (var root in block.OperationBlocks)
                        {
                            blocks.Enqueue((block.OwningSymbol, root));
                        }
                    });

                    // A cheap test per creation, call and property access: types that never touch
                    // Confluent.Kafka (most of a code base) are never indexed.
                    typeStart.RegisterOperationAction(
                        operation =>
                        {
                            if (touchesKafka == 0 && symbols.IsFromKafka(operation.Operation))
                            {
                                System.Threading.Interlocked.Exchange(ref touchesKafka, 1);
                            }
                        },
                        KafkaTouchingKinds);

                    typeStart.RegisterSymbolEndAction(typeEnd =>
                    {
                        if (touchesKafka == 0 || blocks.IsEmpty)
                        {
                            return;
                        }

                        var models = cache.GetOrAdd(type, () => new KafkaTypeAnalysis.Models(symbols, type, blocks.ToImmutableArray(), typeEnd.Options));
                        AnalyzeType(new KafkaTypeAnalysis(models, typeEnd.Options, typeEnd.CancellationToken), typeEnd);
                    });
                },
                SymbolKind.NamedType);
        });
#pragma warning restore RS1012
    }

    protected abstract void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context);
}

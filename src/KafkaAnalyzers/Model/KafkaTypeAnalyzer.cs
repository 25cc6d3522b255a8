using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Base of every rule-family analyzer: does nothing unless Confluent.Kafka is referenced, collects the
/// operation blocks of each type, and at the end of the type hands the shared analysis to the family.
/// </summary>
internal abstract class KafkaTypeAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(compilationStart =>
        {
            var symbols = KafkaSymbols.TryCreate(compilationStart.Compilation);
            if (symbols is null)
            {
                return;
            }

            compilationStart.RegisterSymbolStartAction(
                typeStart =>
                {
                    var type = (INamedTypeSymbol)typeStart.Symbol;
                    var blocks = new ConcurrentQueue<(ISymbol Owner, IOperation Root)>();
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
                    typeStart.RegisterSymbolEndAction(typeEnd =>
                    {
                        if (blocks.IsEmpty)
                        {
                            return;
                        }

                        var analysis = new KafkaTypeAnalysis(symbols, type, blocks.ToImmutableArray(), typeEnd.Options);
                        AnalyzeType(analysis, typeEnd);
                    });
                },
                SymbolKind.NamedType);
        });
    }

    protected abstract void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context);
}

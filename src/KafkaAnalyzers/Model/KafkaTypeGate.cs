using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Decides from a type's own syntax tokens (its partial declarations, without nested types and
/// generated files) whether it can touch Confluent.Kafka at all. A name only Kafka uses
/// (<c>ProducerConfig</c>, <c>ProduceAsync</c>, <c>StoreOffset</c>...) lets the type through; when
/// the only hits are everyday names (<c>Value</c>, <c>Dispose</c>, <c>Message</c>...), the semantic
/// model confirms that one of them binds to a Confluent.Kafka symbol. Everything else (most of a code
/// base) is ruled out without binding a single member.
/// </summary>
internal static class KafkaTypeGate
{
    public static bool MayTouchKafka(
        INamedTypeSymbol type,
        IReadOnlyList<SyntaxNode> declarations,
        Compilation compilation,
        KafkaNames names,
        IAssemblySymbol kafka,
        CancellationToken cancellationToken)
    {
        List<SimpleNameSyntax>? common = null;
        foreach (var declaration in declarations)
        {
            foreach (var token in Tokens(declaration))
            {
                if (token.IsKind(SyntaxKind.IdentifierToken)
                    && token.Parent is SimpleNameSyntax name
                    && names.Contains(token.ValueText))
                {
                    if (!KafkaNames.IsCommon(token.ValueText))
                    {
                        return true;
                    }

                    (common ??= new List<SimpleNameSyntax>()).Add(name);
                }
            }
        }

        if (common is null)
        {
            return false;
        }

        foreach (var name in common)
        {
            var model = compilation.GetSemanticModel(name.SyntaxTree);
            var info = model.GetSymbolInfo(name, cancellationToken);
            if (IsKafka(info.Symbol, kafka))
            {
                return true;
            }

            foreach (var candidate in info.CandidateSymbols)
            {
                if (IsKafka(candidate, kafka))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsKafka(ISymbol? symbol, IAssemblySymbol kafka)
        => symbol switch
        {
            null => false,
            IAliasSymbol alias => IsKafka(alias.Target, kafka),
            ITypeSymbol type => KafkaNames.IsKafkaType(type, kafka),
            IMethodSymbol { ReducedFrom: { } extension } => KafkaNames.IsKafkaType(extension.ContainingType, kafka),
            _ => KafkaNames.IsKafkaType(symbol.ContainingType, kafka),
        };

    /// <summary>The tokens that belong to the type itself: not those of nested types (analysed on their own).</summary>
    private static IEnumerable<SyntaxToken> Tokens(SyntaxNode declaration)
    {
        if (declaration is CompilationUnitSyntax unit)
        {
            // Top-level statements: the program type is made of the global statements.
            foreach (var member in unit.Members)
            {
                if (member is GlobalStatementSyntax statement)
                {
                    foreach (var token in statement.DescendantTokens())
                    {
                        yield return token;
                    }
                }
            }

            yield break;
        }

        foreach (var token in declaration.DescendantTokens(n => n == declaration || n is not (BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)))
        {
            yield return token;
        }
    }
}

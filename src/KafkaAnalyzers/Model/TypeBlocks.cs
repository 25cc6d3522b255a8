using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The executable code of one type (what the driver would hand an operation-block action): method,
/// constructor, accessor and operator bodies, field and property initializers, a primary
/// constructor's base call and top-level statements, each with the member that owns it. Asked only
/// for types that passed <see cref="KafkaTypeGate"/>, from the semantic model the driver shares.
/// </summary>
internal static class TypeBlocks
{
    /// <summary>The type's declarations that are not generated code (which the analyzers skip).</summary>
    public static IReadOnlyList<SyntaxNode> Declarations(INamedTypeSymbol type, Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var result = new List<SyntaxNode>(type.DeclaringSyntaxReferences.Length);
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (!IsGenerated(reference.SyntaxTree, compilation, options, cancellationToken))
            {
                result.Add(reference.GetSyntax(cancellationToken));
            }
        }

        return result;
    }

    public static ImmutableArray<(ISymbol Owner, IOperation Root)> Collect(
        INamedTypeSymbol type,
        IReadOnlyList<SyntaxNode> declarations,
        Compilation compilation,
        CancellationToken cancellationToken)
    {
        var blocks = ImmutableArray.CreateBuilder<(ISymbol, IOperation)>();
        foreach (var declaration in declarations)
        {
#pragma warning disable RS1030 // the driver's compilation shares its semantic models (SemanticModelProvider); symbol actions get none of their own
            var model = compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
            void Add(SyntaxNode? node, ISymbol? owner)
            {
                if (node is not null && owner is not null && model.GetOperation(node, cancellationToken) is { } operation)
                {
                    blocks.Add((owner, operation));
                }
            }

            switch (declaration)
            {
                case CompilationUnitSyntax unit:
                    foreach (var member in unit.Members)
                    {
                        if (member is GlobalStatementSyntax)
                        {
                            Add(unit, model.GetDeclaredSymbol(unit, cancellationToken) ?? EntryPoint(type));
                            break;
                        }
                    }

                    break;
                case TypeDeclarationSyntax typeDeclaration:
                    if (typeDeclaration.BaseList is { } baseList)
                    {
                        foreach (var baseType in baseList.Types)
                        {
                            if (baseType is PrimaryConstructorBaseTypeSyntax primaryBase)
                            {
                                Add(primaryBase, PrimaryConstructor(type, typeDeclaration));
                            }
                        }
                    }

                    foreach (var member in typeDeclaration.Members)
                    {
                        AddMember(member, model, Add, cancellationToken);
                    }

                    break;
            }
        }

        return blocks.ToImmutable();
    }

    private static void AddMember(MemberDeclarationSyntax member, SemanticModel model, Action<SyntaxNode?, ISymbol?> add, CancellationToken cancellationToken)
    {
        switch (member)
        {
            case BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                add(method, model.GetDeclaredSymbol(method, cancellationToken));
                break;
            case BasePropertyDeclarationSyntax property:
                var symbol = model.GetDeclaredSymbol(property, cancellationToken);
                switch (property)
                {
                    case PropertyDeclarationSyntax { ExpressionBody: { } body }:
                        add(body, (symbol as IPropertySymbol)?.GetMethod);
                        break;
                    case IndexerDeclarationSyntax { ExpressionBody: { } body }:
                        add(body, (symbol as IPropertySymbol)?.GetMethod);
                        break;
                }

                if (property is PropertyDeclarationSyntax { Initializer: { } initializer })
                {
                    add(initializer, symbol);
                }

                if (property.AccessorList is { } accessors)
                {
                    foreach (var accessor in accessors.Accessors)
                    {
                        if (accessor.Body is not null || accessor.ExpressionBody is not null)
                        {
                            add(accessor, model.GetDeclaredSymbol(accessor, cancellationToken));
                        }
                    }
                }

                break;
            case BaseFieldDeclarationSyntax field:
                foreach (var variable in field.Declaration.Variables)
                {
                    if (variable.Initializer is { } value)
                    {
                        add(value, model.GetDeclaredSymbol(variable, cancellationToken));
                    }
                }

                break;
        }
    }

    private static IMethodSymbol? PrimaryConstructor(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree == declaration.SyntaxTree && reference.Span == declaration.Span)
                {
                    return constructor;
                }
            }
        }

        return null;
    }

    private static ISymbol? EntryPoint(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { IsImplicitlyDeclared: true, IsStatic: true } method && !method.DeclaringSyntaxReferences.IsEmpty)
            {
                return method;
            }
        }

        return null;
    }

    /// <summary>
    /// Generated code, as the driver decides it for <see cref="GeneratedCodeAnalysisFlags.None"/>:
    /// marked in .editorconfig (<c>generated_code</c>), named like generated files, or starting with an
    /// <c>&lt;auto-generated&gt;</c> comment.
    /// </summary>
    private static bool IsGenerated(SyntaxTree tree, Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var marked = compilation.Options.SyntaxTreeOptionsProvider?.IsGenerated(tree, cancellationToken) ?? GeneratedKind.Unknown;
        if (marked != GeneratedKind.Unknown)
        {
            return marked == GeneratedKind.MarkedGenerated;
        }

        if (options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue("generated_code", out var value) && bool.TryParse(value, out var generated))
        {
            return generated;
        }

        var name = Path.GetFileName(tree.FilePath);
        if (name.StartsWith("TemporaryGeneratedFile_", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".designer.cs", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".generated.cs", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".g.i.cs", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var trivia in tree.GetRoot(cancellationToken).GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
            {
                var text = trivia.ToString();
                if (text.IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("<autogenerated", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The identifiers through which source code can reach Confluent.Kafka, collected once per compilation:
/// the names of Confluent.Kafka's public types and of their methods and properties, of every type (in
/// source or in a referenced library) derived from one of them and of its members, and of using aliases
/// that name them. A type none of whose identifiers is one of these cannot touch Confluent.Kafka: the
/// per-type gate (<see cref="KafkaTypeGate"/>) reads only its syntax tokens.
/// </summary>
/// <remarks>
/// Some of these names are everyday .NET names too (<c>Value</c>, <c>Key</c>, <c>Message</c>,
/// <c>Dispose</c>...): a type using them passes the gate and its operations decide. The gate only ever
/// lets through more types than touch Kafka, never fewer.
/// </remarks>
internal sealed class KafkaNames
{
    /// <summary>Names every type has; a call to them is never what makes a type Kafka code.</summary>
    private static readonly HashSet<string> ObjectMembers = new(StringComparer.Ordinal) { "ToString", "Equals", "GetHashCode", "GetType" };

    private static readonly ConditionalWeakTable<IAssemblySymbol, HashSet<string>> AssemblyNames = new();

    private readonly HashSet<string> _names;

    private KafkaNames(HashSet<string> names) => _names = names;

    /// <summary>True when <paramref name="name"/> may name a Confluent.Kafka type or member (or one derived from it).</summary>
    public bool Contains(string name) => _names.Contains(name);

    public static KafkaNames Create(Compilation compilation, KafkaSymbols symbols, CancellationToken cancellationToken)
    {
        var kafka = symbols.Config.ContainingAssembly;
        var names = new HashSet<string>(ForAssembly(kafka, kafka, cancellationToken), StringComparer.Ordinal);

        // Libraries built on Confluent.Kafka (Confluent.SchemaRegistry's serde configs, frameworks) may
        // derive from its types; so may the project's own code.
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (!SymbolEqualityComparer.Default.Equals(assembly, kafka) && References(assembly, kafka))
            {
                names.UnionWith(ForAssembly(assembly, kafka, cancellationToken));
            }
        }

        AddDerived(compilation.Assembly.GlobalNamespace, kafka, names, metadata: false, cancellationToken);
        AddAliases(compilation, names, cancellationToken);
        return new KafkaNames(names);
    }

    /// <summary>True for a type of Confluent.Kafka or one derived from one.</summary>
    public static bool IsKafkaType(ITypeSymbol? type, IAssemblySymbol kafka)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.ContainingAssembly, kafka))
            {
                return true;
            }
        }

        return false;
    }

    private static bool References(IAssemblySymbol assembly, IAssemblySymbol kafka)
    {
        foreach (var module in assembly.Modules)
        {
            foreach (var identity in module.ReferencedAssemblies)
            {
                if (identity.Name == kafka.Identity.Name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Names of the public types of a metadata assembly that are (or derive from) Kafka types, and of their members; cached per assembly.</summary>
    private static HashSet<string> ForAssembly(IAssemblySymbol assembly, IAssemblySymbol kafka, CancellationToken cancellationToken)
        => AssemblyNames.GetValue(assembly, a =>
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            AddDerived(a.GlobalNamespace, kafka, names, metadata: true, cancellationToken);
            return names;
        });

    private static void AddDerived(INamespaceSymbol root, IAssemblySymbol kafka, HashSet<string> names, bool metadata, CancellationToken cancellationToken)
    {
        var namespaces = new Stack<INamespaceSymbol>();
        namespaces.Push(root);
        var types = new Stack<INamedTypeSymbol>();
        while (namespaces.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = namespaces.Pop();
            foreach (var ns in current.GetNamespaceMembers())
            {
                namespaces.Push(ns);
            }

            foreach (var type in current.GetTypeMembers())
            {
                types.Push(type);
            }

            while (types.Count > 0)
            {
                var type = types.Pop();
                // A library's internal types are out of the project's reach; the project's own are not.
                if (metadata && type.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
                {
                    continue;
                }

                foreach (var nested in type.GetTypeMembers())
                {
                    types.Push(nested);
                }

                if (IsKafkaType(type, kafka))
                {
                    AddType(type, names);
                }
            }
        }
    }

    private static void AddType(INamedTypeSymbol type, HashSet<string> names)
    {
        names.Add(type.Name);
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Ordinary } method when !ObjectMembers.Contains(method.Name):
                    names.Add(method.Name);
                    break;
                case IPropertySymbol { IsIndexer: false } property:
                    names.Add(property.Name);
                    break;
            }
        }
    }

    /// <summary><c>using Config = Confluent.Kafka.ProducerConfig;</c>: the alias names a Kafka type too.</summary>
    private static void AddAliases(Compilation compilation, HashSet<string> names, CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot(cancellationToken) is not CompilationUnitSyntax unit)
            {
                continue;
            }

            AddAliases(unit.Usings, names);
            var members = new Stack<MemberDeclarationSyntax>(unit.Members);
            while (members.Count > 0)
            {
                if (members.Pop() is BaseNamespaceDeclarationSyntax ns)
                {
                    AddAliases(ns.Usings, names);
                    foreach (var member in ns.Members)
                    {
                        members.Push(member);
                    }
                }
            }
        }
    }

    private static void AddAliases(SyntaxList<UsingDirectiveSyntax> usings, HashSet<string> names)
    {
        foreach (var directive in usings)
        {
            if (directive.Alias is { } alias && directive.Name is { } target
                && target.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && names.Contains(t.ValueText)))
            {
                names.Add(alias.Name.Identifier.ValueText);
            }
        }
    }
}

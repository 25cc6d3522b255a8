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
/// source or in a referenced library) derived from one of them and of its members, of using aliases
/// that name them, and Confluent.SchemaRegistry's <c>SchemaRegistryConfig</c> (KAFKA202). A type none of whose identifiers is one of these cannot touch Confluent.Kafka: the
/// per-type gate (<see cref="KafkaTypeGate"/>) reads only its syntax tokens.
/// </summary>
/// <remarks>
/// Code reaches a Kafka member through a receiver, and the receiver's type is named somewhere: in the
/// type itself (a field, parameter, local or creation naming a Kafka type), or in the member it comes from
/// (an inherited property, a factory method, a callback parameter). So the names of members whose
/// signature involves a Kafka type (in source and in libraries built on Confluent.Kafka) are collected too,
/// and the Kafka member names that are everyday .NET names (<c>Value</c>, <c>Count</c>, <c>Dispose</c>,
/// <c>Commit</c>...) do not count on their own. Kafka type names that are everyday member names
/// (<c>Message</c>, <c>Error</c>, <c>Headers</c>...) count where they name a type, not after a dot
/// (<c>ex.Message</c>).
/// </remarks>
internal sealed class KafkaNames
{
    /// <summary>Names every type has; a call to them is never what makes a type Kafka code.</summary>
    private static readonly HashSet<string> ObjectMembers = new(StringComparer.Ordinal) { "ToString", "Equals", "GetHashCode", "GetType" };

    /// <summary>Members of Confluent.Kafka types whose names ordinary code uses for other things all the time.</summary>
    private static readonly HashSet<string> EverydayMemberNames = new(StringComparer.Ordinal)
    {
        "Add", "Assign", "Assignment", "Broker", "Brokers", "Build", "Clone", "Close", "Code", "Commit", "Committed",
        "CompareTo", "Component", "Configs", "Controller", "Count", "Debug", "Default", "Deserialize", "Dispose",
        "Earliest", "Empty", "Entries", "Entry", "Errors", "Facility", "Flush", "Get", "GetEnumerator", "Group",
        "High", "Host", "Id", "Initialize", "IsDefault", "IsError", "IsReadOnly", "Item", "Iterations", "Key",
        "Latest", "Leader", "Level", "Load", "Low", "Mechanism", "Members", "Name", "Nodes", "Offsets", "Operation",
        "Partitions", "Password", "Pattern", "Pause", "Poll", "Port", "Position", "Principal", "Protocol", "Rack",
        "Reason", "Remove", "Replicas", "Result", "Results", "Resume", "Salt", "Seek", "Serialize", "Set",
        "Snapshot", "Source", "Split", "State", "Status", "Subscribe", "Subscription", "Topic", "Topics", "Type",
        "Unsubscribe", "User", "Valid", "Validate", "Value", "Version",

        // Names .NET itself uses all the time (JsonSerializer.SerializeAsync, delegates' BeginInvoke,
        // DateTimeOffset.UtcDateTime, SafeHandle.IsInvalid, configuration readers' GetInt...): in the
        // generated benchmark project SerializeAsync alone let almost every ordinary type through the gate.
        "BeginInvoke", "DeserializeAsync", "EndInvoke", "ErrorCode", "GetBool", "GetDouble", "GetEnum", "GetInt",
        "HandleCount", "IsInvalid", "IsLoaded", "SerializeAsync", "UtcDateTime",
    };

    /// <summary>Confluent.Kafka type names that are everyday member names (<c>ex.Message</c>): they count where they name a type.</summary>
    private static readonly HashSet<string> EverydayTypeNames = new(StringComparer.Ordinal)
    {
        "Config", "Error", "Handle", "Header", "Headers", "Library", "Message", "Metadata", "Node", "Null", "Offset", "Partition", "Timestamp", "Uuid",
    };

    private static readonly ConditionalWeakTable<IAssemblySymbol, HashSet<string>> AssemblyNames = new();

    private readonly HashSet<string> _names;

    private KafkaNames(HashSet<string> names) => _names = names;

    /// <summary>True when <paramref name="name"/> names a Confluent.Kafka type or member (or one reaching it) wherever it stands.</summary>
    public bool Contains(string name) => _names.Contains(name) && !EverydayTypeNames.Contains(name);

    /// <summary>True when <paramref name="name"/> names a Kafka type where it names a type, but is an everyday member name after a dot.</summary>
    public bool IsTypeName(string name) => EverydayTypeNames.Contains(name) && _names.Contains(name);

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

        // Confluent.SchemaRegistry's SchemaRegistryConfig is no Kafka type but KAFKA202 reads its writes; its
        // certificate-verification property shares the name of ClientConfig's, already collected above.
        if (symbols.SchemaRegistryConfig is { } registry)
        {
            names.Add(registry.Name);
        }

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

                if (!SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, kafka))
                {
                    AddKafkaTypedMembers(type, kafka, names, metadata);
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
                case IMethodSymbol { MethodKind: MethodKind.Ordinary } method when !ObjectMembers.Contains(method.Name) && !EverydayMemberNames.Contains(method.Name):
                    names.Add(method.Name);
                    break;
                case IPropertySymbol { IsIndexer: false } property when !EverydayMemberNames.Contains(property.Name):
                    names.Add(property.Name);
                    break;
            }
        }
    }

    /// <summary>Members that hand out or take a Kafka object: <c>protected IConsumer&lt;K, V&gt; Consumer</c>, <c>IProducer&lt;K, V&gt; Create()</c>.</summary>
    private static void AddKafkaTypedMembers(INamedTypeSymbol type, IAssemblySymbol kafka, HashSet<string> names, bool metadata)
    {
        foreach (var member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared
                || (metadata && member.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal)))
            {
                continue;
            }

            var involves = member switch
            {
                IFieldSymbol field => Involves(field.Type, kafka, 0),
                IPropertySymbol property => Involves(property.Type, kafka, 0) || property.Parameters.Any(p => Involves(p.Type, kafka, 0)),
                IEventSymbol @event => Involves(@event.Type, kafka, 0),
                IMethodSymbol { MethodKind: MethodKind.Ordinary } method => Involves(method.ReturnType, kafka, 0)
                    || method.Parameters.Any(p => Involves(p.Type, kafka, 0))
                    || method.TypeParameters.Any(t => t.ConstraintTypes.Any(c => Involves(c, kafka, 0))),
                _ => false,
            };
            if (involves)
            {
                names.Add(member.Name);
            }
        }
    }

    private static bool Involves(ITypeSymbol? type, IAssemblySymbol kafka, int depth)
    {
        if (type is null || depth > 4)
        {
            return false;
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                return Involves(array.ElementType, kafka, depth + 1);
            case IPointerTypeSymbol pointer:
                return Involves(pointer.PointedAtType, kafka, depth + 1);
            case ITypeParameterSymbol parameter:
                return parameter.ConstraintTypes.Any(c => Involves(c, kafka, depth + 1));
            case INamedTypeSymbol named:
                if (IsKafkaType(named, kafka))
                {
                    return true;
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (Involves(argument, kafka, depth + 1))
                    {
                        return true;
                    }
                }

                return named.DelegateInvokeMethod is { } invoke
                       && (Involves(invoke.ReturnType, kafka, depth + 1) || invoke.Parameters.Any(p => Involves(p.Type, kafka, depth + 1)));
            default:
                return false;
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

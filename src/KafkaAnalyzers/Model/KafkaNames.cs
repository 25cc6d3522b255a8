using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The identifiers through which source code can reach Confluent.Kafka, collected once per compilation:
/// the names of Confluent.Kafka's public types and of their methods and properties, of every type (in
/// source or in a referenced library) derived from one of them and of its members, of delegates and using
/// aliases that name them, and Confluent.SchemaRegistry's <c>SchemaRegistryConfig</c> (KAFKA202). A type
/// none of whose identifiers is one of these cannot touch Confluent.Kafka: the per-type gate
/// (<see cref="KafkaTypeGate"/>) reads only its source text (<see cref="NamedIn"/>).
/// </summary>
/// <remarks>
/// <para>
/// Code reaches a Kafka member through a receiver, and the receiver's type is named somewhere: in the
/// type itself (a field, parameter, local or creation naming a Kafka type), or in the member it comes from
/// (an inherited property, a factory method, a callback parameter). So the names of members whose
/// signature involves a Kafka type (in source and in libraries built on Confluent.Kafka) are collected too,
/// and the Kafka member names that are everyday .NET names (<c>Value</c>, <c>Count</c>, <c>Dispose</c>,
/// <c>Commit</c>...) do not count on their own. Kafka type names that are everyday member names
/// (<c>Message</c>, <c>Error</c>, <c>Headers</c>...) count where they name a type, not after a dot
/// (<c>ex.Message</c>).
/// </para>
/// <para>
/// The project's own members are not all bound to find them: that bound every signature of the
/// compilation inside the analyzer's first callback. Only a member whose signature's text names a Kafka
/// type, a type derived from one, such a delegate or alias, or a type parameter constrained to one, is
/// asked for its symbol; GateEquivalenceTests checks that this finds what binding every member found.
/// </para>
/// <para>
/// Source text is read as words (runs of ASCII letters, digits and underscores); only a word whose hash
/// is in the names' filter is made a string, and only a word that is a name is looked up in the syntax
/// tree (an identifier there, not in a comment or a string). Walking every token instead built the whole
/// code base's syntax nodes inside the analyzer's first callbacks. Text the words cannot read exactly
/// (a <c>\u</c> escape, a Unicode formatting character) is read token by token.
/// </para>
/// </remarks>
internal sealed class KafkaNames
{
    /// <summary>Names every type has; a call to them is never what makes a type Kafka code.</summary>
    internal static readonly HashSet<string> ObjectMembers = new(StringComparer.Ordinal) { "ToString", "Equals", "GetHashCode", "GetType" };

    /// <summary>Members of Confluent.Kafka types whose names ordinary code uses for other things all the time.</summary>
    internal static readonly HashSet<string> EverydayMemberNames = new(StringComparer.Ordinal)
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
    internal static readonly HashSet<string> EverydayTypeNames = new(StringComparer.Ordinal)
    {
        "Config", "Error", "Handle", "Header", "Headers", "Library", "Message", "Metadata", "Node", "Null", "Offset", "Partition", "Timestamp", "Uuid",
    };

    private static readonly ConditionalWeakTable<IAssemblySymbol, HashSet<string>> AssemblyNames = new();

    [ThreadStatic]
    private static char[]? t_text;

    private readonly HashSet<string> _names;
    private readonly ulong[] _filter;

    private KafkaNames(HashSet<string> names)
    {
        _names = names;
        _filter = Filter(names);
    }

    /// <summary>True when <paramref name="name"/> names a Confluent.Kafka type or member (or one reaching it) wherever it stands.</summary>
    public bool Contains(string name) => _names.Contains(name) && !EverydayTypeNames.Contains(name);

    /// <summary>True when <paramref name="name"/> names a Kafka type where it names a type, but is an everyday member name after a dot.</summary>
    public bool IsTypeName(string name) => EverydayTypeNames.Contains(name) && _names.Contains(name);

    /// <summary>True when an identifier within <paramref name="span"/> of <paramref name="node"/> is one of the names (an everyday type name only where it is no member name).</summary>
    public bool NamedIn(SyntaxNode node, TextSpan span) => Names(node, span, _names, _filter, memberNamesCount: false);

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

        // Confluent.SchemaRegistry's SchemaRegistryConfig is no Kafka type but KAFKA202 reads its writes; its
        // certificate-verification property shares the name of ClientConfig's, already collected above.
        if (symbols.SchemaRegistryConfig is { } registry)
        {
            names.Add(registry.Name);
        }

        AddSource(compilation, kafka, names, cancellationToken);
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
            foreach (var type in Types(a.GlobalNamespace, metadata: true, cancellationToken))
            {
                AddKafkaType(type, kafka, names);
                if (!SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, kafka))
                {
                    AddKafkaTypedMembers(type.GetMembers(), kafka, names, metadata: true);
                }
            }

            return names;
        });

    /// <summary>
    /// The project's own names: its types derived from Kafka types (only base types are bound) and their
    /// members, its delegates and aliases that name Kafka types, then the members handing out or taking
    /// Kafka objects, of which only those whose signature's text names one of these are bound.
    /// </summary>
    private static void AddSource(Compilation compilation, IAssemblySymbol kafka, HashSet<string> names, CancellationToken cancellationToken)
    {
        var types = Types(compilation.Assembly.GlobalNamespace, metadata: false, cancellationToken);
        foreach (var type in types)
        {
            AddKafkaType(type, kafka, names);
        }

        AddAliases(compilation, names, cancellationToken);
        var filter = Filter(names);
        foreach (var type in types)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (type.TypeKind == TypeKind.Delegate)
            {
                continue;
            }

            var typeParameters = KafkaTypeParameters(type, names, filter);
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration)
                {
                    foreach (var candidate in Candidates(declaration, names, filter, typeParameters))
                    {
                        AddKafkaTypedMembers(type.GetMembers(candidate), kafka, names, metadata: false);
                    }
                }
            }
        }

        // Aliases of the project's members too, as before.
        AddAliases(compilation, names, cancellationToken);
    }

    /// <summary>Every type declared in a namespace tree, nested ones included; of a library, only those the project can reach.</summary>
    private static List<INamedTypeSymbol> Types(INamespaceSymbol root, bool metadata, CancellationToken cancellationToken)
    {
        var types = new List<INamedTypeSymbol>();
        var stack = new Stack<INamespaceOrTypeSymbol>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = stack.Pop();
            if (current is INamespaceSymbol ns)
            {
                foreach (var member in ns.GetNamespaceMembers())
                {
                    stack.Push(member);
                }
            }
            else if (metadata && current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                // A library's internal types are out of the project's reach; the project's own are not.
                continue;
            }
            else
            {
                types.Add((INamedTypeSymbol)current);
            }

            foreach (var type in current.GetTypeMembers())
            {
                stack.Push(type);
            }
        }

        return types;
    }

    /// <summary>A Kafka type (or one derived from one) and its members; a delegate whose signature takes or returns one.</summary>
    private static void AddKafkaType(INamedTypeSymbol type, IAssemblySymbol kafka, HashSet<string> names)
    {
        if (IsKafkaType(type, kafka))
        {
            AddType(type, names);
        }
        else if (type.TypeKind == TypeKind.Delegate && Involves(type, kafka, 0))
        {
            names.Add(type.Name);
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

    /// <summary>Names of the members of a declaration whose signature names one of <paramref name="names"/> or a Kafka-constrained type parameter.</summary>
    private static IEnumerable<string> Candidates(TypeDeclarationSyntax declaration, HashSet<string> names, ulong[] filter, HashSet<string>? typeParameters)
    {
        if (declaration.ParameterList is { } primary)
        {
            // A record's positional parameters are its properties.
            foreach (var parameter in primary.Parameters)
            {
                if (Mentions(parameter.Type, names, filter, typeParameters))
                {
                    yield return parameter.Identifier.ValueText;
                }
            }
        }

        foreach (var member in declaration.Members)
        {
            switch (member)
            {
                case BaseFieldDeclarationSyntax field when Mentions(field.Declaration.Type, names, filter, typeParameters):
                    foreach (var variable in field.Declaration.Variables)
                    {
                        yield return variable.Identifier.ValueText;
                    }

                    break;
                case PropertyDeclarationSyntax property when Mentions(property.Type, names, filter, typeParameters):
                    yield return property.Identifier.ValueText;
                    break;
                case EventDeclarationSyntax @event when Mentions(@event.Type, names, filter, typeParameters):
                    yield return @event.Identifier.ValueText;
                    break;
                case MethodDeclarationSyntax method when Mentions(method.ReturnType, names, filter, typeParameters)
                                                         || Mentions(method.ParameterList, names, filter, typeParameters)
                                                         || method.ConstraintClauses.Any(c => Mentions(c, names, filter, typeParameters)):
                    yield return method.Identifier.ValueText;
                    break;
            }
        }
    }

    /// <summary>Type parameters of the type (or of a type containing it) constrained to something that names a Kafka type.</summary>
    private static HashSet<string>? KafkaTypeParameters(INamedTypeSymbol type, HashSet<string> names, ulong[] filter)
    {
        HashSet<string>? result = null;
        for (var current = type; current is not null; current = current.ContainingType)
        {
            foreach (var reference in current.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax { ConstraintClauses.Count: > 0 } declaration)
                {
                    // where U : T where T : IConsumer<K, V>: until nothing changes.
                    for (var changed = true; changed;)
                    {
                        changed = false;
                        foreach (var clause in declaration.ConstraintClauses)
                        {
                            if (Mentions(clause, names, filter, result) && (result ??= new HashSet<string>(StringComparer.Ordinal)).Add(clause.Name.Identifier.ValueText))
                            {
                                changed = true;
                            }
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>True when a name in <paramref name="node"/> is one of the names or type parameters.</summary>
    private static bool Mentions(SyntaxNode? node, HashSet<string> names, ulong[] filter, HashSet<string>? typeParameters)
    {
        if (node is null)
        {
            return false;
        }

        if (typeParameters is null)
        {
            return Names(node, node.Span, names, filter, memberNamesCount: true);
        }

        foreach (var token in node.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is SimpleNameSyntax
                && (names.Contains(token.ValueText) || typeParameters.Contains(token.ValueText)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Members that hand out or take a Kafka object: <c>protected IConsumer&lt;K, V&gt; Consumer</c>, <c>IProducer&lt;K, V&gt; Create()</c>.</summary>
    private static void AddKafkaTypedMembers(ImmutableArray<ISymbol> members, IAssemblySymbol kafka, HashSet<string> names, bool metadata)
    {
        foreach (var member in members)
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

    /// <summary>
    /// True when an identifier within <paramref name="span"/> of <paramref name="node"/> is one of
    /// <paramref name="names"/> and a name (not a declared name); unless <paramref name="memberNamesCount"/>,
    /// an everyday type name counts only where it is no member name.
    /// </summary>
    private static bool Names(SyntaxNode node, TextSpan span, HashSet<string> names, ulong[] filter, bool memberNamesCount)
    {
        var length = span.Length;
        var text = t_text is { } existing && existing.Length >= length ? existing : t_text = new char[Math.Max(length, 4096)];
        node.SyntaxTree.GetText().CopyTo(span.Start, text, 0, length);
        for (var i = 0; i < length;)
        {
            var c = text[i];
            if (!IsWordCharacter(c))
            {
                if ((c == '\\' && i + 1 < length && text[i + 1] is 'u' or 'U') || (c > 127 && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
                {
                    return NamesByToken(node, span, names, memberNamesCount);
                }

                i++;
                continue;
            }

            var start = i;
            var hash = HashStart;
            for (; i < length && IsWordCharacter(text[i]); i++)
            {
                hash = Hash(hash, text[i]);
            }

            if (MayContain(filter, hash))
            {
                var word = new string(text, start, i - start);
                if (names.Contains(word))
                {
                    var token = node.FindToken(span.Start + start);
                    if (token.Span.Contains(span.Start + start) && token.ValueText == word && IsName(token, memberNamesCount))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool NamesByToken(SyntaxNode node, TextSpan span, HashSet<string> names, bool memberNamesCount)
    {
        foreach (var token in node.DescendantTokens(span))
        {
            if (span.Contains(token.Span) && names.Contains(token.ValueText) && IsName(token, memberNamesCount))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsName(SyntaxToken token, bool memberNamesCount)
        => token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is SimpleNameSyntax name
           && (memberNamesCount || !EverydayTypeNames.Contains(token.ValueText) || !IsMemberName(name));

    /// <summary><c>x.Message</c>, <c>x?.Error</c>: a member name, not a type name.</summary>
    private static bool IsMemberName(SimpleNameSyntax name)
        => name.Parent is MemberAccessExpressionSyntax access && access.Name == name
           || name.Parent is MemberBindingExpressionSyntax;

    private static bool IsWordCharacter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    private const uint HashStart = 2166136261;

    /// <summary>FNV-1a over a word's characters.</summary>
    private static uint Hash(uint hash, char c) => unchecked((hash ^ c) * 16777619);

    /// <summary>One bit per hash (modulo 2^16) of a name: most words of ordinary code miss it without a string being made.</summary>
    private static ulong[] Filter(HashSet<string> names)
    {
        var filter = new ulong[1024];
        foreach (var name in names)
        {
            var hash = HashStart;
            foreach (var c in name)
            {
                hash = Hash(hash, c);
            }

            filter[(hash & 0xFFFF) >> 6] |= 1UL << (int)(hash & 63);
        }

        return filter;
    }

    private static bool MayContain(ulong[] filter, uint hash) => (filter[(hash & 0xFFFF) >> 6] & (1UL << (int)(hash & 63))) != 0;
}

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
/// (<c>ex.Message</c>), and after a qualifier only when it can lead to Confluent.Kafka: a segment of one of
/// its namespaces or a using alias (<c>Confluent.Kafka.Message</c>, <c>K.Error</c>), not <c>Shared.Error</c>.
/// So in a type whose text has no such word before it, an everyday name right after a dot is rejected
/// from the text alone: the gate met about 11,500 of them in the 1,469 ordinary types of the benchmark's
/// generated project (<c>ex.Message</c>, <c>Console.Error</c>), and looking each up in the tree took half
/// of the time it spent rejecting those types.
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

    private static readonly ConditionalWeakTable<IAssemblySymbol, AssemblyNameSet> AssemblyNames = new();

    [ThreadStatic]
    private static char[]? t_text;

    private readonly HashSet<string> _names;
    private readonly ulong[] _filter;
    private readonly Qualifiers? _qualifiers;

    private KafkaNames(HashSet<string> names, Qualifiers? qualifiers)
    {
        _names = names;
        _filter = Filter(names);
        _qualifiers = qualifiers;
    }

    /// <summary>True when <paramref name="name"/> names a Confluent.Kafka type or member (or one reaching it) wherever it stands.</summary>
    public bool Contains(string name) => _names.Contains(name) && !EverydayTypeNames.Contains(name);

    /// <summary>True when <paramref name="name"/> names a Kafka type where it names a type, but is an everyday member name after a dot.</summary>
    public bool IsTypeName(string name) => EverydayTypeNames.Contains(name) && _names.Contains(name);

    /// <summary>True when an identifier within <paramref name="span"/> of <paramref name="node"/> is one of the names (an everyday type name only where it is no member name).</summary>
    public bool NamedIn(SyntaxNode node, TextSpan span) => Names(node, span, _names, _filter, memberNamesCount: false, _qualifiers);

    public static KafkaNames Create(Compilation compilation, KafkaSymbols symbols, CancellationToken cancellationToken)
    {
        var kafka = symbols.Config.ContainingAssembly;
        var names = new HashSet<string>(ForAssembly(kafka, kafka, cancellationToken).Names, StringComparer.Ordinal);

        // An everyday type name reaches Confluent.Kafka after a qualifier only through its own types, unless
        // a type derived from one shares such a name (then every qualified occurrence counts, as before).
        var everydayTypeElsewhere = false;

        // Libraries built on Confluent.Kafka (Confluent.SchemaRegistry's serde configs, frameworks) may
        // derive from its types; so may the project's own code.
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (!SymbolEqualityComparer.Default.Equals(assembly, kafka) && References(assembly, kafka))
            {
                var library = ForAssembly(assembly, kafka, cancellationToken);
                names.UnionWith(library.Names);
                everydayTypeElsewhere |= library.DeclaresEverydayTypeName;
            }
        }

        // Confluent.SchemaRegistry's SchemaRegistryConfig is no Kafka type but KAFKA202 reads its writes; its
        // certificate-verification property shares the name of ClientConfig's, already collected above.
        if (symbols.SchemaRegistryConfig is { } registry)
        {
            names.Add(registry.Name);
        }

        var qualifiers = AddSource(compilation, kafka, names, everydayTypeElsewhere ? null : NamespaceSegments(kafka.GlobalNamespace), cancellationToken);
        return new KafkaNames(names, qualifiers);
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
    private static AssemblyNameSet ForAssembly(IAssemblySymbol assembly, IAssemblySymbol kafka, CancellationToken cancellationToken)
        => AssemblyNames.GetValue(assembly, a =>
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var declaresEverydayTypeName = false;
            var isKafka = SymbolEqualityComparer.Default.Equals(a, kafka);
            foreach (var type in Types(a.GlobalNamespace, metadata: true, cancellationToken))
            {
                declaresEverydayTypeName |= AddKafkaType(type, kafka, names) && !isKafka && EverydayTypeNames.Contains(type.Name);
                if (!isKafka)
                {
                    AddKafkaTypedMembers(type.GetMembers(), kafka, names, metadata: true);
                }
            }

            return new AssemblyNameSet(names, declaresEverydayTypeName);
        });

    /// <summary>Every segment of every namespace of the assembly (<c>Confluent</c>, <c>Kafka</c>, <c>Admin</c>...).</summary>
    private static HashSet<string> NamespaceSegments(INamespaceSymbol root)
    {
        var segments = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<INamespaceSymbol>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            foreach (var ns in stack.Pop().GetNamespaceMembers())
            {
                segments.Add(ns.Name);
                stack.Push(ns);
            }
        }

        return segments;
    }

    /// <summary>
    /// The project's own names: its types derived from Kafka types (only base types are bound) and their
    /// members, its delegates and aliases that name Kafka types, then the members handing out or taking
    /// Kafka objects, of which only those whose signature's text names one of these are bound.
    /// </summary>
    /// <param name="kafkaNamespaces">Confluent.Kafka's namespace segments; null when a library type derived from a Kafka type has an everyday type name.</param>
    /// <returns>The qualifiers an everyday type name must follow (<see cref="Qualifiers"/>); null when every qualifier counts.</returns>
    private static Qualifiers? AddSource(Compilation compilation, IAssemblySymbol kafka, HashSet<string> names, HashSet<string>? kafkaNamespaces, CancellationToken cancellationToken)
    {
        var types = Types(compilation.Assembly.GlobalNamespace, metadata: false, cancellationToken);
        var everydayTypeName = false;
        foreach (var type in types)
        {
            // A class or struct without a base list in any of its declarations derives from object: its base
            // types need not be bound to know it is no Kafka type.
            if (type.TypeKind == TypeKind.Delegate || HasBaseList(type, cancellationToken))
            {
                everydayTypeName |= AddKafkaType(type, kafka, names) && EverydayTypeNames.Contains(type.Name);
            }
        }

        var aliases = new HashSet<string>(StringComparer.Ordinal);
        AddAliases(compilation, names, aliases, cancellationToken);
        var qualifiers = everydayTypeName || kafkaNamespaces is null ? null : new Qualifiers(kafkaNamespaces, aliases);
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
        AddAliases(compilation, names, aliases, cancellationToken);
        return qualifiers;
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

    private static bool HasBaseList(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not BaseTypeDeclarationSyntax { BaseList: null })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A Kafka type (or one derived from one) and its members; a delegate whose signature takes or returns one. True when the type's name was added.</summary>
    private static bool AddKafkaType(INamedTypeSymbol type, IAssemblySymbol kafka, HashSet<string> names)
    {
        if (IsKafkaType(type, kafka))
        {
            AddType(type, names);
            return true;
        }

        if (type.TypeKind == TypeKind.Delegate && Involves(type, kafka, 0))
        {
            names.Add(type.Name);
            return true;
        }

        return false;
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

    /// <summary>
    /// <c>using Config = Confluent.Kafka.ProducerConfig;</c>: the alias names a Kafka type too. Every alias
    /// (and extern alias) is also a qualifier (<c>using K = Confluent.Kafka;</c> then <c>K.Message</c>).
    /// </summary>
    private static void AddAliases(Compilation compilation, HashSet<string> names, HashSet<string> aliases, CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot(cancellationToken) is not CompilationUnitSyntax unit)
            {
                continue;
            }

            AddAliases(unit.Externs, unit.Usings, names, aliases);
            var members = new Stack<MemberDeclarationSyntax>(unit.Members);
            while (members.Count > 0)
            {
                if (members.Pop() is BaseNamespaceDeclarationSyntax ns)
                {
                    AddAliases(ns.Externs, ns.Usings, names, aliases);
                    foreach (var member in ns.Members)
                    {
                        members.Push(member);
                    }
                }
            }
        }
    }

    private static void AddAliases(SyntaxList<ExternAliasDirectiveSyntax> externs, SyntaxList<UsingDirectiveSyntax> usings, HashSet<string> names, HashSet<string> aliases)
    {
        foreach (var external in externs)
        {
            aliases.Add(external.Identifier.ValueText);
        }

        foreach (var directive in usings)
        {
            if (directive.Alias is not { } alias)
            {
                continue;
            }

            aliases.Add(alias.Name.Identifier.ValueText);
            if (directive.Name is { } target
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
    private static bool Names(SyntaxNode node, TextSpan span, HashSet<string> names, ulong[] filter, bool memberNamesCount, Qualifiers? qualifiers = null)
    {
        // Whether a word that may lead to Confluent.Kafka has come before: until one has, an everyday type
        // name right after a dot is a member name or follows a foreign qualifier.
        var qualified = qualifiers is null;
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
                    return NamesByToken(node, span, names, memberNamesCount, qualifiers);
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

            if (!qualified && MayContain(qualifiers!.Filter, hash) && qualifiers.Contains(new string(text, start, i - start)))
            {
                qualified = true;
            }

            if (MayContain(filter, hash))
            {
                var word = new string(text, start, i - start);
                if (names.Contains(word) && (qualified || memberNamesCount || !EverydayTypeNames.Contains(word) || !RightAfterDot(text, start)))
                {
                    var token = node.FindToken(span.Start + start);
                    if (token.Span.Contains(span.Start + start) && token.ValueText == word && IsName(token, memberNamesCount, qualifiers))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>A dot (spaces aside, on the same line) just before the word at <paramref name="start"/>, not a range's <c>..</c>.</summary>
    private static bool RightAfterDot(char[] text, int start)
    {
        var j = start - 1;
        while (j >= 0 && text[j] is ' ' or '\t')
        {
            j--;
        }

        return j >= 1 && text[j] == '.' && text[j - 1] != '.';
    }

    private static bool NamesByToken(SyntaxNode node, TextSpan span, HashSet<string> names, bool memberNamesCount, Qualifiers? qualifiers)
    {
        foreach (var token in node.DescendantTokens(span))
        {
            if (span.Contains(token.Span) && names.Contains(token.ValueText) && IsName(token, memberNamesCount, qualifiers))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsName(SyntaxToken token, bool memberNamesCount, Qualifiers? qualifiers)
        => token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is SimpleNameSyntax name
           && (memberNamesCount || !EverydayTypeNames.Contains(token.ValueText)
               || (!IsMemberName(name) && (qualifiers is null || !IsForeignQualified(name, qualifiers))));

    /// <summary><c>Shared.Error</c>: the right side of a qualified name none of whose qualifiers can lead to Confluent.Kafka.</summary>
    private static bool IsForeignQualified(SimpleNameSyntax name, Qualifiers qualifiers)
    {
        NameSyntax? left = name.Parent switch
        {
            QualifiedNameSyntax qualified when qualified.Right == name => qualified.Left,
            AliasQualifiedNameSyntax aliased when aliased.Name == name => aliased.Alias,
            _ => null,
        };
        if (left is null)
        {
            return false;
        }

        foreach (var token in left.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && qualifiers.Contains(token.ValueText))
            {
                return false;
            }
        }

        return true;
    }

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

    /// <summary>The words a qualifier must contain for an everyday type name after it to name a Kafka type: namespace segments of Confluent.Kafka and using aliases.</summary>
    private sealed class Qualifiers
    {
        private readonly HashSet<string> _words;

        public Qualifiers(HashSet<string> namespaces, HashSet<string> aliases)
        {
            _words = new HashSet<string>(namespaces, StringComparer.Ordinal);
            _words.UnionWith(aliases);
            Filter = KafkaNames.Filter(_words);
        }

        public ulong[] Filter { get; }

        public bool Contains(string word) => _words.Contains(word);
    }

    private sealed class AssemblyNameSet
    {
        public AssemblyNameSet(HashSet<string> names, bool declaresEverydayTypeName)
        {
            Names = names;
            DeclaresEverydayTypeName = declaresEverydayTypeName;
        }

        public HashSet<string> Names { get; }

        /// <summary>A type derived from a Kafka type (outside Confluent.Kafka) has an everyday type name.</summary>
        public bool DeclaresEverydayTypeName { get; }
    }
}

using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// The gate is cheap (issue 9) without letting less through: <see cref="KafkaNames"/> reads the project's
/// own member signatures from syntax and binds only the members whose signature can name a Kafka type,
/// and <see cref="KafkaTypeGate"/> reads a type's text as words, looking up only the words that are names.
/// Over the whole Kafka corpus (rule tests, docs pages, samples) and shapes written to trip each shortcut,
/// both decide exactly as the straightforward versions they replaced: binding the signature of every
/// member of the compilation, and walking every syntax token of every type.
/// </summary>
public class GateEquivalenceTests
{
    [Fact]
    public void Names_and_gate_decide_as_binding_every_member_and_walking_every_token_over_the_corpus()
    {
        var compared = 0;
        var passed = 0;
        foreach (var compilation in CorpusCompilations())
        {
            var (p, c) = Compare(compilation);
            passed += p;
            compared += c;
        }

        Assert.True(compared > 500, $"only {compared} types compared ({passed} passed)");
        Assert.True(passed > 100 && passed < compared, $"{passed} of {compared} types passed the gate");
    }

    [Fact]
    public void Names_of_members_reaching_Kafka_through_project_types_delegates_aliases_and_type_parameters()
    {
        var compilation = Compile(
            """
            using Confluent.Kafka;
            using Settings = Confluent.Kafka.ProducerConfig;
            using Derived = OrdersConfig;
            public delegate void OnConsumer(IConsumer<string, string> consumer);
            public delegate void OnHandler(OnConsumer inner);
            public class OrdersConfig : Settings { public void Harden() { } }
            public class StrictOrdersConfig : OrdersConfig { public void Tighten() { } }
            public record Envelope(IConsumer<string, string> Source, int Attempt);
            public class Worker<TClient, TInner> where TClient : TInner where TInner : IClient
            {
                protected TClient Client { get; } = default!;
                public TInner Inner() => default!;
                public class Nested { public TClient Parent = default!; }
            }
            public class Holder
            {
                public StrictOrdersConfig Strict = new(), Second = new();
                public Derived ViaAlias { get; } = new();
                public OnHandler Callback = _ => { };
                public event OnConsumer? Assigned;
                public T Build<T>() where T : IProducer<string, string> => default!;
                public (IAdminClient Admin, int Count) Pair() => default;
                public Message<string, string>[] Batch() => System.Array.Empty<Message<string, string>>();
                public string Plain(string s) => s;
                public Error? NotKafka => null;
            }
            public sealed class Error { }
            """,
            """
            public partial class Later { public StrictOrdersConfig Late() => new(); }
            """);

        var names = Names(compilation);
        foreach (var name in new[] { "OrdersConfig", "Harden", "StrictOrdersConfig", "Tighten", "Derived", "OnConsumer", "OnHandler", "Source", "Client", "Inner", "Parent", "Strict", "Second", "ViaAlias", "Callback", "Assigned", "Build", "Pair", "Batch", "Late" })
        {
            Assert.True(names.Contains(name) || names.IsTypeName(name), name);
        }

        foreach (var name in new[] { "Attempt", "Plain", "NotKafka", "Holder", "Envelope", "Worker" })
        {
            Assert.False(names.Contains(name) || names.IsTypeName(name), name);
        }

        Compare(compilation);
    }

    [Fact]
    public void Gate_reads_identifiers_not_comments_strings_or_disabled_text()
    {
        var compilation = Compile(
            """
            using Confluent.Kafka;
            public class InComment { /* new ProducerConfig() */ public int Value; } // IProducer
            public class InString { public string Text => "new ProducerConfig() IConsumer"; }
            public class InInterpolationText { public string Text(int x) => $"Flush {x} ProducerBuilder"; }
            public class InInterpolationHole { public string Text(IProducer<string, string> p) => $"{p.Name}"; }
            public class Verbatim { public object Create() => new @ProducerConfig(); }
            public class Escaped { public object Create() => new \u0050roducerConfig(); }
            public class EscapeInString { public string Text => "caf\u00e9"; }
            public class MemberAccess { public string Describe(System.Exception ex) => ex.Message + ex?.Data; }
            public class QualifiedTypeName { public object Create() => new Confluent.Kafka.Message<string, string>(); }
            public class Disabled
            {
            #if NEVER
                public object Create() => new ProducerConfig();
            #endif
                public int Count;
            }
            public class Outer
            {
                public int Count;
                public class Inner { public object Create() => new ConsumerConfig(); }
                public delegate void Handler(int x);
            }
            public class Suffix { public int MyProducerConfig; public int ProducerConfigs; public int ÄProducerConfig; }
            """);

        var (passed, compared) = Compare(compilation);
        Assert.Equal(13, compared);
        Assert.Equal(5, passed);
        Assert.True(Gate(compilation, "InInterpolationHole") && Gate(compilation, "Verbatim") && Gate(compilation, "Escaped")
                    && Gate(compilation, "QualifiedTypeName") && Gate(compilation, "Inner"));
        Assert.False(Gate(compilation, "InComment") || Gate(compilation, "InString") || Gate(compilation, "InInterpolationText")
                     || Gate(compilation, "EscapeInString") || Gate(compilation, "MemberAccess") || Gate(compilation, "Disabled")
                     || Gate(compilation, "Outer") || Gate(compilation, "Suffix"));
    }

    [Fact]
    public void An_everyday_type_name_counts_after_a_qualifier_only_when_the_qualifier_can_lead_to_Kafka()
    {
        var compilation = Compile(
            """
            using Confluent.Kafka;
            using K = Confluent.Kafka;
            public class ForeignQualified { public object Describe(Shared.Error e) => e; }
            public class ForeignGeneric { public object Describe(Shared.Box<int>.Message m) => m; }
            public class AliasQualified { public object Create() => new K.Message<string, string>(); }
            public class FullyQualified { public object Create() => new global::Confluent.Kafka.Message<string, string>(); }
            public class MemberChain { public string Describe(System.Exception ex) => ex.InnerException!.Message + ex?.Message + System.Console.Error; }
            public class NextLine
            {
                public string Describe(System.Exception ex) => ex
                    .Message;
            }
            public class Unqualified { public Error? Last { get; set; } }
            namespace Shared
            {
                public sealed class Error { }
                public sealed class Box<T> { public sealed class Message { } }
            }
            namespace Confluent
            {
                public class PartiallyQualified { public object Create() => new Kafka.Message<string, string>(); }
            }
            """);

        var (passed, compared) = Compare(compilation);
        Assert.Equal(11, compared);
        Assert.Equal(4, passed);
        Assert.True(Gate(compilation, "AliasQualified") && Gate(compilation, "FullyQualified") && Gate(compilation, "PartiallyQualified") && Gate(compilation, "Unqualified"));
        Assert.False(Gate(compilation, "ForeignQualified") || Gate(compilation, "ForeignGeneric") || Gate(compilation, "MemberChain") || Gate(compilation, "NextLine"));
    }

    [Fact]
    public void A_project_type_derived_from_Kafka_with_an_everyday_name_counts_after_any_qualifier()
    {
        var compilation = Compile(
            """
            public class UsesShared { public object Create() => new Shared.Message(); }
            namespace Shared
            {
                public class Message : Confluent.Kafka.Message<string, string> { }
            }
            """);

        Compare(compilation);
        Assert.True(Gate(compilation, "UsesShared"));
    }

    private static IEnumerable<Compilation> CorpusCompilations()
    {
        // One compilation per source: the sources reuse type names.
        foreach (var source in KafkaSourceCorpus.All)
        {
            yield return AnalysisRunner.Compile(source.Text);
        }

        foreach (var (_, files, _) in KafkaSourceCorpus.SampleProjects())
        {
            yield return AnalysisRunner.Compile(files.Select(f => AnalysisRunner.Parse(f.Text, f.Origin)).Append(AnalysisRunner.ImplicitUsings));
        }
    }

    private static Compilation Compile(params string[] sources)
    {
        var compilation = AnalysisRunner.Compile(sources);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    private static KafkaNames Names(Compilation compilation)
        => KafkaNames.Create(compilation, KafkaSymbols.TryCreate(compilation)!, CancellationToken.None);

    private static bool Gate(Compilation compilation, string typeName)
    {
        var type = (INamedTypeSymbol)Assert.Single(compilation.GetSymbolsWithName(typeName, SymbolFilter.Type));
        return KafkaTypeGate.MayTouchKafka(type, compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), Names(compilation), CancellationToken.None);
    }

    /// <summary>Names and gate against the reference versions on every type of the compilation; returns how many types passed and were compared.</summary>
    private static (int Passed, int Compared) Compare(Compilation compilation)
    {
        var symbols = KafkaSymbols.TryCreate(compilation)!;
        var names = KafkaNames.Create(compilation, symbols, CancellationToken.None);
        var expected = ReferenceNames.Create(compilation, symbols.Config.ContainingAssembly, symbols.SchemaRegistryConfig);
        var qualifiers = ReferenceNames.Qualifiers(compilation, symbols.Config.ContainingAssembly);
        var missing = expected.Where(n => !names.Contains(n) && !names.IsTypeName(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "names binding every member finds and the gate's do not: " + string.Join(", ", missing));

        // Every name the gate's collection adds, binding every member finds too (no name lets more through).
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty);
        var passed = 0;
        var compared = 0;
        var differences = new List<string>();
        foreach (var type in AllTypes(compilation.Assembly.GlobalNamespace))
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface) || type.DeclaringSyntaxReferences.IsEmpty)
            {
                continue;
            }

            var gate = KafkaTypeGate.MayTouchKafka(type, compilation, options, names, CancellationToken.None);
            var reference = ReferenceGate(type, expected, qualifiers);
            if (gate != reference)
            {
                differences.Add($"{type.ToDisplayString()} in {type.Locations[0].SourceTree?.FilePath}: gate {gate}, token walk {reference}");
            }

            compared++;
            passed += gate ? 1 : 0;
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
        return (passed, compared);
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container)
    {
        if (container is INamespaceSymbol ns)
        {
            foreach (var child in ns.GetNamespaceMembers().SelectMany(AllTypes))
            {
                yield return child;
            }
        }
        else
        {
            yield return (INamedTypeSymbol)container;
        }

        foreach (var type in container.GetTypeMembers().SelectMany(AllTypes))
        {
            yield return type;
        }
    }

    /// <summary>
    /// The gate as it was: every identifier token of the type's own declarations (generated files aside: the
    /// corpus has none); since the qualifier rule, an everyday type name after a qualifier none of whose words
    /// is in <paramref name="qualifiers"/> does not count (all count when it is null).
    /// </summary>
    private static bool ReferenceGate(INamedTypeSymbol type, HashSet<string> names, HashSet<string>? qualifiers)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            var tokens = declaration is CompilationUnitSyntax unit
                ? unit.Members.OfType<GlobalStatementSyntax>().SelectMany(s => s.DescendantTokens())
                : declaration.DescendantTokens(n => n == declaration || n is not (BaseTypeDeclarationSyntax or DelegateDeclarationSyntax));
            foreach (var token in tokens)
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is SimpleNameSyntax name && names.Contains(token.ValueText)
                    && (!KafkaNames.EverydayTypeNames.Contains(token.ValueText)
                        || !(name.Parent is MemberAccessExpressionSyntax access && access.Name == name || name.Parent is MemberBindingExpressionSyntax
                             || ForeignQualified(name, qualifiers))))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ForeignQualified(SimpleNameSyntax name, HashSet<string>? qualifiers)
    {
        var left = name.Parent switch
        {
            QualifiedNameSyntax qualified when qualified.Right == name => (SyntaxNode)qualified.Left,
            AliasQualifiedNameSyntax aliased when aliased.Name == name => aliased.Alias,
            _ => null,
        };
        return qualifiers is not null && left is not null
               && !left.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && qualifiers.Contains(t.ValueText));
    }

    /// <summary>
    /// The names as they were collected before: the signature of every member of every type of the
    /// compilation bound (plus delegates whose signature takes or returns a Kafka type, which the gate's
    /// collection adds so that members typed with them are found without binding).
    /// </summary>
    private static class ReferenceNames
    {
        public static HashSet<string> Create(Compilation compilation, IAssemblySymbol kafka, INamedTypeSymbol? registry)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            Add(kafka.GlobalNamespace, kafka, names, metadata: true);
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (!SymbolEqualityComparer.Default.Equals(assembly, kafka)
                    && assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == kafka.Identity.Name)))
                {
                    Add(assembly.GlobalNamespace, kafka, names, metadata: true);
                }
            }

            Add(compilation.Assembly.GlobalNamespace, kafka, names, metadata: false);
            if (registry is not null)
            {
                names.Add(registry.Name);
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                foreach (var directive in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<UsingDirectiveSyntax>())
                {
                    if (directive.Alias is { } alias && directive.Name is { } target
                        && target.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && names.Contains(t.ValueText)))
                    {
                        names.Add(alias.Name.Identifier.ValueText);
                    }
                }
            }

            return names;
        }

        /// <summary>Confluent.Kafka's namespace segments and every alias; null when a type derived from a Kafka type elsewhere (or such a delegate) has an everyday type name.</summary>
        public static HashSet<string>? Qualifiers(Compilation compilation, IAssemblySymbol kafka)
        {
            var elsewhere = compilation.SourceModule.ReferencedAssemblySymbols
                .Where(a => !SymbolEqualityComparer.Default.Equals(a, kafka) && a.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == kafka.Identity.Name)))
                .Select(a => a.GlobalNamespace)
                .Append(compilation.Assembly.GlobalNamespace)
                .SelectMany(AllTypes)
                .Any(t => KafkaNames.EverydayTypeNames.Contains(t.Name)
                          && (IsKafkaType(t, kafka) || t.TypeKind == TypeKind.Delegate && Involves(t, kafka, 0)));
            if (elsewhere)
            {
                return null;
            }

            var qualifiers = new HashSet<string>(StringComparer.Ordinal);
            var namespaces = new Stack<INamespaceSymbol>();
            namespaces.Push(kafka.GlobalNamespace);
            while (namespaces.Count > 0)
            {
                foreach (var ns in namespaces.Pop().GetNamespaceMembers())
                {
                    qualifiers.Add(ns.Name);
                    namespaces.Push(ns);
                }
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                foreach (var node in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax))
                {
                    if (node is UsingDirectiveSyntax { Alias: { } alias })
                    {
                        qualifiers.Add(alias.Name.Identifier.ValueText);
                    }
                    else if (node is ExternAliasDirectiveSyntax external)
                    {
                        qualifiers.Add(external.Identifier.ValueText);
                    }
                }
            }

            return qualifiers;
        }

        private static void Add(INamespaceSymbol root, IAssemblySymbol kafka, HashSet<string> names, bool metadata)
        {
            foreach (var type in AllTypes(root))
            {
                if (metadata && !Reachable(type))
                {
                    continue;
                }

                if (IsKafkaType(type, kafka))
                {
                    names.Add(type.Name);
                    foreach (var member in type.GetMembers())
                    {
                        if ((member is IMethodSymbol { MethodKind: MethodKind.Ordinary } && !KafkaNames.ObjectMembers.Contains(member.Name)
                             || member is IPropertySymbol { IsIndexer: false })
                            && !KafkaNames.EverydayMemberNames.Contains(member.Name))
                        {
                            names.Add(member.Name);
                        }
                    }
                }
                else if (type.TypeKind == TypeKind.Delegate && Involves(type, kafka, 0))
                {
                    names.Add(type.Name);
                }

                if (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, kafka))
                {
                    continue;
                }

                foreach (var member in type.GetMembers())
                {
                    if (member.IsImplicitlyDeclared || (metadata && !Visible(member)))
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
        }

        private static bool Reachable(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.ContainingType)
            {
                if (!Visible(current))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Visible(ISymbol symbol) => symbol.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal;

        private static bool IsKafkaType(ITypeSymbol? type, IAssemblySymbol kafka)
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

        private static bool Involves(ITypeSymbol? type, IAssemblySymbol kafka, int depth) => type switch
        {
            null => false,
            _ when depth > 4 => false,
            IArrayTypeSymbol array => Involves(array.ElementType, kafka, depth + 1),
            IPointerTypeSymbol pointer => Involves(pointer.PointedAtType, kafka, depth + 1),
            ITypeParameterSymbol parameter => parameter.ConstraintTypes.Any(c => Involves(c, kafka, depth + 1)),
            INamedTypeSymbol named => IsKafkaType(named, kafka)
                                      || named.TypeArguments.Any(a => Involves(a, kafka, depth + 1))
                                      || (named.DelegateInvokeMethod is { } invoke
                                          && (Involves(invoke.ReturnType, kafka, depth + 1) || invoke.Parameters.Any(p => Involves(p.Type, kafka, depth + 1)))),
            _ => false,
        };
    }
}

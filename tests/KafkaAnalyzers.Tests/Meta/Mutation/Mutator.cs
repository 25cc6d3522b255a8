using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaAnalyzers.Tests.Meta.Mutation;

/// <summary>
/// Makes variants of a source: each mutation takes a variant and a random source and returns a new
/// variant, or null when it does not apply (no using to remove, no method body to repeat). Mutations
/// stack: a partial split of a truncated file is still a variant.
/// </summary>
internal sealed class Mutator
{
    public static readonly ImmutableArray<MutationKind> Mutations = Enum.GetValues<MutationKind>().Where(k => k != MutationKind.Original).ToImmutableArray();

    private readonly HarnessSettings _settings;

    public Mutator(HarnessSettings settings) => _settings = settings;

    public Variant? Apply(MutationKind kind, Variant variant, Random random)
    {
        // Twice nested is the compiler's own exponential case (nested lambdas bind per level), not ours.
        if (kind is MutationKind.DeeplyNestedLambdas or MutationKind.VeryLongMethod && variant.Kinds.Contains(kind))
        {
            return null;
        }

        var mutated = kind switch
        {
            MutationKind.TruncatedAtToken => OnOneFile(variant, random, (text, root) => TruncateAtToken(text, root, random)),
            MutationKind.TruncatedMidToken => OnOneFile(variant, random, (text, root) => TruncateMidToken(text, root, random)),
            MutationKind.TypingInPlace => OnOneFile(variant, random, (text, root) => TypeInPlace(text, root, random)),
            MutationKind.DeletedTokens => OnOneFile(variant, random, (text, root) => DeleteTokens(text, root, random)),
            MutationKind.DuplicatedTokens => OnOneFile(variant, random, (text, root) => DuplicateTokens(text, root, random)),
            MutationKind.SwappedLiterals => OnOneFile(variant, random, (text, root) => SwapLiterals(text, root, random)),
            MutationKind.MovedLines => OnOneFile(variant, random, (text, root) => MoveLine(text, random)),
            MutationKind.NoKafkaReference => variant.ReferenceKafka ? variant with { ReferenceKafka = false } : null,
            MutationKind.ShadowedKafkaTypes => variant.ReferenceKafka ? Shadow(variant, random) : null,
            MutationKind.WrongGenericArity => OnOneFile(variant, random, (text, root) => WrongArity(text, root, random)),
            MutationKind.MissingUsings => OnOneFile(variant, random, (text, root) => RemoveUsings(text, root, random)),
            MutationKind.TopLevelStatements => ToTopLevel(variant, random),
            MutationKind.PartialClassesSplit => Split(variant, random, generated: false),
            MutationKind.GeneratedPartialFile => Split(variant, random, generated: true),
            MutationKind.VeryLongMethod => OnOneFile(variant, random, (text, root) => Lengthen(text, root, random)),
            MutationKind.DeeplyNestedLambdas => OnOneFile(variant, random, (text, root) => Nest(text, root, random)),
            MutationKind.ConditionalDirectives => OnOneFile(variant, random, (text, root) => WrapInDirectives(text, random)),
            _ => null,
        };
        return mutated is null ? null : mutated with { Kinds = variant.Kinds.Remove(MutationKind.Original).Add(kind) };
    }

    // ---- text mutations on one file ------------------------------------------------------------

    private static Variant? OnOneFile(Variant variant, Random random, Func<string, CompilationUnitSyntax, string?> mutate)
    {
        var candidates = variant.Files.Where(f => !f.Path.StartsWith("/shadow/", StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var file = candidates[random.Next(candidates.Count)];
        var root = (CompilationUnitSyntax)AnalysisRunner.Parse(file.Text, file.Path).GetRoot();
        var text = mutate(file.Text, root);
        if (text is null || text == file.Text)
        {
            return null;
        }

        return variant with { Files = variant.Files.Replace(file, file with { Text = text }) };
    }

    private static List<SyntaxToken> Tokens(SyntaxNode root)
        => root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken) && t.Span.Length > 0).ToList();

    private static string? TruncateAtToken(string text, SyntaxNode root, Random random)
    {
        var tokens = Tokens(root);
        return tokens.Count == 0 ? null : text.Substring(0, tokens[random.Next(tokens.Count)].Span.End);
    }

    private static string? TruncateMidToken(string text, SyntaxNode root, Random random)
    {
        var tokens = Tokens(root).Where(t => t.Span.Length >= 2).ToList();
        if (tokens.Count == 0)
        {
            return null;
        }

        var token = tokens[random.Next(tokens.Count)];
        return text.Substring(0, token.SpanStart + random.Next(1, token.Span.Length));
    }

    private static string? TypeInPlace(string text, SyntaxNode root, Random random)
    {
        var tokens = Tokens(root);
        if (tokens.Count == 0)
        {
            return null;
        }

        var token = tokens[random.Next(tokens.Count)];
        var start = token.SpanStart + random.Next(0, token.Span.Length);
        var lineEnd = text.IndexOf('\n', start);
        var end = lineEnd < 0 ? text.Length : lineEnd;
        return text.Remove(start, end - start);
    }

    private static string? DeleteTokens(string text, SyntaxNode root, Random random)
    {
        var tokens = Tokens(root);
        if (tokens.Count == 0)
        {
            return null;
        }

        var chosen = Enumerable.Range(0, random.Next(1, 4)).Select(_ => tokens[random.Next(tokens.Count)]).Distinct().OrderByDescending(t => t.SpanStart);
        var builder = new StringBuilder(text);
        foreach (var token in chosen)
        {
            builder.Remove(token.SpanStart, token.Span.Length);
        }

        return builder.ToString();
    }

    private static string? DuplicateTokens(string text, SyntaxNode root, Random random)
    {
        var tokens = Tokens(root);
        if (tokens.Count == 0)
        {
            return null;
        }

        var chosen = Enumerable.Range(0, random.Next(1, 4)).Select(_ => tokens[random.Next(tokens.Count)]).Distinct().OrderByDescending(t => t.SpanStart);
        var builder = new StringBuilder(text);
        foreach (var token in chosen)
        {
            builder.Insert(token.Span.End, " " + token.Text);
        }

        return builder.ToString();
    }

    /// <summary>Values a configuration may be given that parse badly, overflow or have the wrong type.</summary>
    private static readonly string[] EdgeValues =
    {
        "null", "default", "\"\"", "\" \"", "\"-1\"", "\"0\"", "\"1e309\"", "\"NaN\"", "\"99999999999999999999999\"",
        "\"all\"", "\"true\"", "\"FALSE\"", "\"5ms\"", "\"0x10\"", "\"\\u0000\"", "-1", "0", "1.5", "int.MaxValue", "long.MinValue",
        "double.NaN", "true", "'c'", "(Acks)42", "(Acks?)null", "(SecurityProtocol)(-3)", "new object()", "$\"{1}\"", "\"a\" + \"cks\"",
    };

    private static string? SwapLiterals(string text, SyntaxNode root, Random random)
    {
        var values = root.DescendantNodes()
            .Where(n => n is LiteralExpressionSyntax || (n is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Acks" or "SecurityProtocol" or "SaslMechanism" or "AutoOffsetReset" or "PartitionAssignmentStrategy" } }))
            .ToList();
        if (values.Count == 0)
        {
            return null;
        }

        var chosen = Enumerable.Range(0, random.Next(1, 4)).Select(_ => values[random.Next(values.Count)]).Distinct().OrderByDescending(n => n.SpanStart);
        var builder = new StringBuilder(text);
        foreach (var value in chosen)
        {
            builder.Remove(value.SpanStart, value.Span.Length).Insert(value.SpanStart, EdgeValues[random.Next(EdgeValues.Length)]);
        }

        return builder.ToString();
    }

    private static string? MoveLine(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count < 3)
        {
            return null;
        }

        var from = random.Next(lines.Count);
        var line = lines[from];
        if (random.Next(2) == 0)
        {
            lines.RemoveAt(from);
        }

        lines.Insert(random.Next(lines.Count + 1), line);
        return string.Join('\n', lines);
    }

    private static string? WrongArity(string text, SyntaxNode root, Random random)
    {
        var generics = root.DescendantNodes().OfType<GenericNameSyntax>().Where(g => !g.IsUnboundGenericName).ToList();
        if (generics.Count == 0)
        {
            return null;
        }

        var chosen = Enumerable.Range(0, random.Next(1, 3)).Select(_ => generics[random.Next(generics.Count)]).Distinct()
            .Where(g => !generics.Any(other => other != g && other.TypeArgumentList.Span.Contains(g.Span)))
            .OrderByDescending(g => g.SpanStart);
        var builder = new StringBuilder(text);
        foreach (var generic in chosen)
        {
            var arguments = generic.TypeArgumentList.Arguments.Select(a => a.ToString()).ToList();
            var replacement = random.Next(3) switch
            {
                0 when arguments.Count > 1 => "<" + string.Join(", ", arguments.Skip(1)) + ">",
                1 => "<>",
                _ => "<" + string.Join(", ", arguments.Append("int")) + ">",
            };
            builder.Remove(generic.TypeArgumentList.SpanStart, generic.TypeArgumentList.Span.Length);
            builder.Insert(generic.TypeArgumentList.SpanStart, replacement);
        }

        return builder.ToString();
    }

    private static string? RemoveUsings(string text, CompilationUnitSyntax root, Random random)
    {
        var usings = root.DescendantNodes().OfType<UsingDirectiveSyntax>().ToList();
        if (usings.Count == 0)
        {
            return null;
        }

        var kafka = usings.Where(u => u.Name?.ToString().StartsWith("Confluent.Kafka", StringComparison.Ordinal) == true).ToList();
        var removed = kafka.Count > 0 && random.Next(2) == 0
            ? kafka
            : usings.Where(_ => random.Next(2) == 0).DefaultIfEmpty(usings[random.Next(usings.Count)]).ToList();
        var builder = new StringBuilder(text);
        foreach (var directive in removed.OrderByDescending(u => u.SpanStart))
        {
            builder.Remove(directive.SpanStart, directive.Span.Length);
        }

        return builder.ToString();
    }

    // ---- method bodies -------------------------------------------------------------------------

    private static BlockSyntax? RandomBody(SyntaxNode root, Random random)
    {
        var bodies = root.DescendantNodes().OfType<BaseMethodDeclarationSyntax>()
            .Select(m => m.Body)
            .OfType<BlockSyntax>()
            .Where(b => b.Statements.Count > 0)
            .ToList();
        return bodies.Count == 0 ? null : bodies[random.Next(bodies.Count)];
    }

    /// <summary>
    /// The body repeated a few times (each copy in its own block, so locals do not clash) among hundreds
    /// of plain statements: a long method for the analyzers' loops, without multiplying the diagnostics.
    /// </summary>
    private string? Lengthen(string text, SyntaxNode root, Random random)
    {
        var body = RandomBody(root, random);
        if (body is null)
        {
            return null;
        }

        var statements = string.Concat(body.Statements.Select(s => s.ToFullString()));
        var copies = random.Next(1, _settings.LongMethodCopies + 1);
        var filler = random.Next(_settings.LongMethodFiller / 2, _settings.LongMethodFiller + 1);
        var builder = new StringBuilder("{\n");
        for (var i = 0; i < filler; i++)
        {
            builder.Append($"{{ int __f = {i}; __f += __f * {i % 7}; System.GC.KeepAlive(__f.ToString()); }}\n");
            if (i % (filler / copies + 1) == 0)
            {
                builder.Append("{\n").Append(statements).Append("\n}\n");
            }
        }

        builder.Append('}');
        return text.Remove(body.SpanStart, body.Span.Length).Insert(body.SpanStart, builder.ToString());
    }

    /// <summary>
    /// The body of a method moves into nested lambdas invoked in place, typed so that the method still
    /// compiles: <c>Action</c> for void, <c>Func&lt;Task&gt;</c> for async methods, <c>Func&lt;T&gt;</c> otherwise.
    /// </summary>
    private string? Nest(string text, SyntaxNode root, Random random)
    {
        var body = RandomBody(root, random);
        if (body?.Parent is not BaseMethodDeclarationSyntax method)
        {
            return null;
        }

        var returnType = (method as MethodDeclarationSyntax)?.ReturnType.ToString() ?? "void";
        var isAsync = method.Modifiers.Any(SyntaxKind.AsyncKeyword);
        var (open, close) = (returnType, isAsync) switch
        {
            ("void", false) => ("((System.Action)(() => {\n", "\n}))();\n"),
            ("void", true) => ("((System.Func<System.Threading.Tasks.Task>)(async () => {\n", "\n}))().Wait();\n"),
            (_, true) when returnType is "Task" or "System.Threading.Tasks.Task" or "ValueTask" => ($"await ((System.Func<{returnType}>)(async () => {{\n", "\n}))();\n"),
            (_, true) => ($"return await ((System.Func<{returnType}>)(async () => {{\n", "\n}))();\n"),
            _ => ($"return ((System.Func<{returnType}>)(() => {{\n", "\n}))();\n"),
        };

        var depth = random.Next(_settings.LambdaDepth / 2, _settings.LambdaDepth + 1);
        var builder = new StringBuilder("{\n");
        for (var i = 0; i < depth; i++)
        {
            builder.Append(open);
        }

        builder.Append(string.Concat(body.Statements.Select(s => s.ToFullString())));
        for (var i = 0; i < depth; i++)
        {
            builder.Append(close);
        }

        builder.Append('}');
        return text.Remove(body.SpanStart, body.Span.Length).Insert(body.SpanStart, builder.ToString());
    }

    private static string? WrapInDirectives(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count < 3)
        {
            return null;
        }

        var first = random.Next(1, lines.Count - 1);
        var last = Math.Min(lines.Count - 1, first + random.Next(0, 6));
        var condition = random.Next(3) switch
        {
            0 => "KAFKA_NEVER_DEFINED",
            1 => "!KAFKA_NEVER_DEFINED",
            _ => "DEBUG",
        };
        lines.Insert(last + 1, random.Next(2) == 0 ? "#endif" : "#else\n" + string.Join('\n', lines.Skip(first).Take(last - first + 1)) + "\n#endif");
        lines.Insert(first, "#if " + condition);
        return string.Join('\n', lines);
    }

    // ---- shapes over several files -------------------------------------------------------------

    /// <summary>Kafka type names declared in source with other shapes, a random subset each time.</summary>
    private static readonly string[] ShadowTypes =
    {
        "public class ClientConfig { public string this[string key] { get => \"\"; set { } } public void Set(string key) { } }",
        "public class ProducerConfig : ClientConfig { public int Acks; public string EnableIdempotence { get; set; } = \"\"; public ProducerConfig(int x = 0) { } }",
        "public class ConsumerConfig { public ConsumerConfig(System.Collections.Generic.IDictionary<string, string> d) { } public object SessionTimeoutMs; }",
        "public class ProducerBuilder<TKey> { public ProducerBuilder(object config) { } public object Build() => null!; }",
        "public class ConsumerBuilder<TKey, TValue, TExtra> { public ConsumerBuilder(ConsumerConfig c) { } public IConsumer<TKey, TValue> Build() => null!; }",
        "public interface IProducer<TKey, TValue> { void Produce(string topic); }",
        "public interface IConsumer<TKey, TValue> { object Consume(int timeout); }",
        "public static class Acks { public const int All = -1, Leader = 1, None = 0; }",
        "public enum SecurityProtocol { Plaintext }",
        "public class Message<TKey, TValue> { public TKey Key = default!; }",
        "public delegate void DeliveryReport<TKey, TValue>();",
    };

    private static Variant Shadow(Variant variant, Random random)
    {
        var types = ShadowTypes.Where(_ => random.Next(2) == 0).DefaultIfEmpty(ShadowTypes[0]);
        var stub = "namespace Confluent.Kafka\n{\n" + string.Join("\n", types) + "\n}\n";
        return variant with
        {
            ReferenceKafka = false,
            Files = variant.Files.Add(new VariantFile("/shadow/Confluent.Kafka.cs", stub)),
        };
    }

    private static Variant? ToTopLevel(Variant variant, Random random)
    {
        var file = variant.Files[random.Next(variant.Files.Length)];
        var root = (CompilationUnitSyntax)AnalysisRunner.Parse(file.Text, file.Path).GetRoot();
        if (root.Members.Any(m => m is GlobalStatementSyntax))
        {
            return variant.OutputKind == OutputKind.ConsoleApplication ? null : variant with { OutputKind = OutputKind.ConsoleApplication };
        }

        var body = RandomBody(root, random);
        if (body is null || variant.Files.Any(f => f.Path == "/src/Program.cs"))
        {
            return null;
        }

        var usings = string.Concat(root.Usings.Select(u => u.ToFullString()));
        var program = usings + "\n" + string.Concat(body.Statements.Select(s => s.ToFullString()));
        return variant with
        {
            OutputKind = OutputKind.ConsoleApplication,
            Files = variant.Files.Add(new VariantFile("/src/Program.cs", program)),
        };
    }

    /// <summary>
    /// Every type declared directly in a namespace or the file becomes partial, and every other member
    /// moves to a second declaration in a second file (with the same usings and namespace).
    /// </summary>
    private static Variant? Split(Variant variant, Random random, bool generated)
    {
        var file = variant.Files[random.Next(variant.Files.Length)];
        var root = (CompilationUnitSyntax)AnalysisRunner.Parse(file.Text, file.Path).GetRoot();
        var types = root.DescendantNodes()
            .OfType<TypeDeclarationSyntax>()
            .Where(t => t.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax && t.Members.Count >= 2 && t is not InterfaceDeclarationSyntax)
            .ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var second = new StringBuilder(generated ? "// <auto-generated/>\n" : string.Empty);
        second.Append(string.Concat(root.DescendantNodes().OfType<UsingDirectiveSyntax>().Where(u => u.GlobalKeyword.IsKind(SyntaxKind.None)).Select(u => u.ToString() + "\n")));
        var builder = new StringBuilder(file.Text);
        foreach (var type in types.OrderByDescending(t => t.SpanStart))
        {
            var moved = type.Members.Where((_, i) => i % 2 == 1).ToList();
            foreach (var member in moved.OrderByDescending(m => m.FullSpan.Start))
            {
                builder.Remove(member.FullSpan.Start, member.FullSpan.Length);
            }

            if (!type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                builder.Insert(type.Keyword.SpanStart, "partial ");
            }

            var modifiers = string.Join(" ", type.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text).Append("partial"));
            var keyword = type is RecordDeclarationSyntax record ? $"record {record.ClassOrStructKeyword.Text}".TrimEnd() : type.Keyword.Text;
            var declaration = $"{modifiers} {keyword} {type.Identifier.Text}{type.TypeParameterList}\n{{\n{string.Concat(moved.Select(m => m.ToFullString()))}\n}}\n";
            var ns = string.Join(".", type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse().Select(n => n.Name.ToString()));
            second.Append(ns.Length == 0 ? declaration : $"namespace {ns}\n{{\n{declaration}}}\n");
        }

        var path = file.Path.Replace(".cs", generated ? ".g.cs" : ".Part2.cs", StringComparison.Ordinal);
        if (variant.Files.Any(f => f.Path == path))
        {
            return null;
        }

        return variant with
        {
            Files = variant.Files.Replace(file, file with { Text = builder.ToString() }).Add(new VariantFile(path, second.ToString())),
        };
    }
}

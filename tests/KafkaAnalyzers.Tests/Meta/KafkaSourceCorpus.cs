using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>A C# source that uses Confluent.Kafka, and where it came from.</summary>
internal sealed record KafkaSource(string Origin, string Text)
{
    public override string ToString() => Origin;
}

/// <summary>
/// Every C# source in the repository that uses Kafka: the rule pages' C# blocks, the samples, the
/// realistic service files under Meta/Corpus, and the test sources embedded as string literals in the
/// analyzer tests (test markup removed). New tests and samples join automatically.
/// </summary>
internal static class KafkaSourceCorpus
{
    private static readonly Regex Markup = new(@"\{\|(#\d+|[A-Z]+\d+):|\|\}|\[\||\|\]");

    /// <summary>(Declared before <see cref="All"/>, which needs it.) Public type names of Confluent.Kafka (generic arity dropped): a literal that names one is Kafka code.</summary>
    private static readonly HashSet<string> KafkaTypeNames = typeof(Confluent.Kafka.IProducer<,>).Assembly.GetExportedTypes()
        .Select(type => type.Name.Split('`')[0])
        .ToHashSet(StringComparer.Ordinal);

    public static ImmutableArray<KafkaSource> All { get; } = Load();

    /// <summary>The realistic service files written for the meta-tests.</summary>
    public static IEnumerable<KafkaSource> Realistic => All.Where(s => s.Origin.StartsWith("tests/KafkaAnalyzers.Tests/Meta/Corpus/", StringComparison.Ordinal));

    /// <summary>Each sample project (a folder of samples/ with a .csproj): its files and its .editorconfig.</summary>
    public static IEnumerable<(string Name, IReadOnlyList<KafkaSource> Files, string EditorConfig)> SampleProjects()
    {
        var samples = RepositoryFiles.PathOf("samples");
        if (!Directory.Exists(samples))
        {
            yield break;
        }

        foreach (var project in Directory.GetDirectories(samples).Where(d => Directory.GetFiles(d, "*.csproj").Length > 0).Order(StringComparer.Ordinal))
        {
            var files = RepositoryFiles.CSharpFilesUnder(Relative(project)).Select(f => new KafkaSource(Relative(f), File.ReadAllText(f))).ToList();
            var editorConfig = Path.Combine(project, ".editorconfig");
            yield return (Relative(project), files, File.Exists(editorConfig) ? File.ReadAllText(editorConfig) : string.Empty);
        }
    }

    private static ImmutableArray<KafkaSource> Load()
    {
        var sources = new List<KafkaSource>();
        foreach (var page in DocsExamples.AllPages())
        {
            foreach (var block in DocsExamples.CSharpBlocks(page))
            {
                sources.Add(new KafkaSource($"{Relative(page.Path)}:{block.StartLine + 1}", block.Text));
            }
        }

        foreach (var file in RepositoryFiles.CSharpFilesUnder("samples").Concat(RepositoryFiles.CSharpFilesUnder("tests/KafkaAnalyzers.Tests/Meta/Corpus")))
        {
            sources.Add(new KafkaSource(Relative(file), File.ReadAllText(file)));
        }

        foreach (var file in RepositoryFiles.CSharpFilesUnder("tests/KafkaAnalyzers.Tests").Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Corpus{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            sources.AddRange(EmbeddedSources(file));
        }

        return sources
            .Where(source => source.Text.Contains("Confluent.Kafka", StringComparison.Ordinal))
            .GroupBy(source => source.Text, StringComparer.Ordinal)
            .Select(group => group.First())
            .ToImmutableArray();
    }

    /// <summary>
    /// The usings a test helper puts in front of a source that has none (ProducerSources.Usings and the
    /// like): the literal alone is what the test writes, this is what the compiler sees.
    /// </summary>
    public const string TestUsings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Confluent.Kafka;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        using Microsoft.Extensions.Options;

        """;

    /// <summary>
    /// String literals of a test file that are whole C# sources, with the test markup removed: those
    /// that say <c>using Confluent.Kafka</c>, and those that declare a type using a Kafka type and rely
    /// on a helper for their usings (they get <see cref="TestUsings"/>). Interpolated sources (theory
    /// data) keep each hole's expression as text.
    /// </summary>
    private static IEnumerable<KafkaSource> EmbeddedSources(string file)
    {
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), AnalysisRunner.ParseOptions).GetRoot();
        foreach (var node in root.DescendantNodes())
        {
            string text;
            if (node is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                text = literal.Token.ValueText;
            }
            else if (node is InterpolatedStringExpressionSyntax interpolated)
            {
                text = string.Concat(interpolated.Contents.Select(content => content switch
                {
                    InterpolatedStringTextSyntax part => part.TextToken.ValueText,
                    InterpolationSyntax hole => hole.Expression.ToString(),
                    _ => string.Empty,
                }));
            }
            else
            {
                continue;
            }

            var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            text = Markup.Replace(text, string.Empty);
            if (text.Contains("using Confluent.Kafka", StringComparison.Ordinal))
            {
                yield return new KafkaSource($"{Relative(file)}:{line}", text);
            }
            else if (IsKafkaTypeDeclaration(text))
            {
                yield return new KafkaSource($"{Relative(file)}:{line}", TestUsings + text);
            }
        }
    }

    /// <summary>Parses without errors, declares a type and names a Confluent.Kafka type.</summary>
    private static bool IsKafkaTypeDeclaration(string text)
    {
        if (text.Length < 20 || !text.Contains('{', StringComparison.Ordinal))
        {
            return false;
        }

        var tree = CSharpSyntaxTree.ParseText(text, AnalysisRunner.ParseOptions);
        var root = tree.GetRoot();
        return !tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
               && root.DescendantNodes().Any(n => n is BaseTypeDeclarationSyntax)
               && root.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && KafkaTypeNames.Contains(t.ValueText));
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryFiles.Root, path).Replace(Path.DirectorySeparatorChar, '/');
}

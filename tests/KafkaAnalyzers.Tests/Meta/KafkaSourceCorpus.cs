using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

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

    /// <summary>String literals of a test file that are whole C# sources, with the test markup removed.</summary>
    private static IEnumerable<KafkaSource> EmbeddedSources(string file)
    {
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), AnalysisRunner.ParseOptions).GetRoot();
        foreach (var token in root.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || token.IsKind(SyntaxKind.StringLiteralToken))
            {
                var text = token.ValueText;
                if (text.Contains("using Confluent.Kafka", StringComparison.Ordinal))
                {
                    var line = token.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    yield return new KafkaSource($"{Relative(file)}:{line}", Markup.Replace(text, string.Empty));
                }
            }
        }
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryFiles.Root, path).Replace(Path.DirectorySeparatorChar, '/');
}

using System.Collections.Immutable;
using System.Reflection;
using KafkaAnalyzers.Tests.Meta;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaAnalyzers.Tests.Samples;

/// <summary>
/// samples/ReliablePipeline/README.md says the analyzers warn about each cause of loss in Naive/: building
/// the sample shows KAFKA004 and KAFKA007 on the naive order publisher (and the naive consumer's results
/// producer), and nothing on the code that uses the runtime library (Reliable/).
/// </summary>
public class ReliablePipelineSampleTests
{
    private static readonly string SampleDirectory = Path.Combine(TestEnvironment.RepositoryRoot, "samples", "ReliablePipeline");

    [Fact]
    public async Task Naive_code_shows_KAFKA004_and_KAFKA007_and_the_reliable_code_nothing()
    {
        var compilation = Compile();
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var run = await AnalysisRunner.RunAllAsync(compilation);
        Assert.Empty(run.AnalyzerFailures);
        var byFile = run.RuleDiagnostics.ToLookup(d => Path.GetRelativePath(SampleDirectory, d.Location.SourceTree!.FilePath).Replace('\\', '/'));

        var publisher = byFile["Naive/NaiveOrderPublisher.cs"].Select(d => d.Id).ToList();
        Assert.Contains("KAFKA004", publisher);
        Assert.Contains("KAFKA007", publisher);
        Assert.Contains("KAFKA007", byFile["Naive/NaivePaymentConsumer.cs"].Select(d => d.Id));

        var onReliable = run.RuleDiagnostics
            .Where(d => d.Location.SourceTree!.FilePath.Contains($"{Path.DirectorySeparatorChar}Reliable{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(d => d.ToString())
            .ToList();
        Assert.True(onReliable.Count == 0, string.Join("\n", onReliable));
    }

    [Fact]
    public void The_sample_project_runs_the_analyzers_when_built()
    {
        var project = File.ReadAllText(Path.Combine(SampleDirectory, "ReliablePipeline.csproj"));
        Assert.Contains(@"src\KafkaAnalyzers\KafkaAnalyzers.csproj"" OutputItemType=""Analyzer""", project, StringComparison.Ordinal);
    }

    private static CSharpCompilation Compile()
    {
        var trees = Directory.EnumerateFiles(SampleDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), AnalysisRunner.ParseOptions, path))
            .Append(AnalysisRunner.ImplicitUsings);
        return CSharpCompilation.Create(
            "ReliablePipeline",
            trees,
            TestReferences.All.AddRange(LibraryReferences()),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The runtime library, its test cluster, and what they reference beyond the test references.</summary>
    private static ImmutableArray<MetadataReference> LibraryReferences()
    {
        var known = TestReferences.All.OfType<PortableExecutableReference>().Select(r => Path.GetFileName(r.FilePath)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var references = new Dictionary<string, MetadataReference>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<Assembly>(new[]
        {
            typeof(KafkaAnalyzers.Reliability.Configuration.KafkaPresets).Assembly,
            typeof(KafkaAnalyzers.Reliability.Testing.InProcessKafkaCluster).Assembly,
        });
        while (pending.Count > 0)
        {
            var assembly = pending.Dequeue();
            var file = Path.GetFileName(assembly.Location);
            if (string.IsNullOrEmpty(assembly.Location) || known.Contains(file) || references.ContainsKey(file)
                || assembly.GetName().Name is { } name && (name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib"))
            {
                continue;
            }

            references[file] = MetadataReference.CreateFromFile(assembly.Location);
            foreach (var referenced in assembly.GetReferencedAssemblies())
            {
                try
                {
                    pending.Enqueue(Assembly.Load(referenced));
                }
                catch (FileNotFoundException)
                {
                    // Not deployed with the tests: the sample does not use it either.
                }
            }
        }

        return references.Values.ToImmutableArray();
    }
}

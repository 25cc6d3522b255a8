using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// STYLE item 8: every analyzer runs without throwing on empty, broken and half-typed code (what the
/// IDE hands it on every keystroke), and does nothing when Confluent.Kafka is not referenced.
/// </summary>
public class AnalyzerRobustnessTests
{
    /// <summary>Characters between two truncation points of a source (the brief's "every ~40 characters").</summary>
    private const int Stride = 40;

    /// <summary>
    /// Truncation points shared by the sources embedded in the analyzer tests: there are hundreds of
    /// those and more with every rule, so each gets an even share of this budget, spread over the
    /// source (the rule pages, samples and Meta/Corpus files are cut every 40 characters).
    /// </summary>
    private const int TestSourceBudget = 500;

    /// <summary>Half-typed sources analysed in one compilation.</summary>
    private const int BatchSize = 25;

    private const string SyntaxErrors = """
        using Confluent.Kafka;
        class Broken
        {
            void Run(
            {
                var config = new ProducerConfig { Acks = , EnableIdempotence = };
                config.Set("acks", );
                using var producer = new ProducerBuilder<string, string>(config.Build();
                producer.Produce("t", new Message<string, string> { Value = "v" }, r => { if (r.Error. }
            }
            int Field = ;
        }
        class
        """;

    public static TheoryData<string> Analyzers()
    {
        var data = new TheoryData<string>();
        foreach (var type in KafkaAssemblies.AnalyzerTypes)
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void Analyzers_are_found()
        => Assert.NotEmpty(KafkaAssemblies.AnalyzerTypes);

    [Theory]
    [MemberData(nameof(Analyzers))]
    public async Task Runs_on_an_empty_file(string analyzer)
    {
        var run = await RunOneAsync(analyzer, AnalysisRunner.Compile(string.Empty));
        Assert.Empty(run.AnalyzerFailures);
        Assert.Empty(run.RuleDiagnostics);
    }

    [Theory]
    [MemberData(nameof(Analyzers))]
    public async Task Runs_on_a_file_with_syntax_errors(string analyzer)
    {
        var compilation = AnalysisRunner.Compile(SyntaxErrors);
        Assert.Contains(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var run = await RunOneAsync(analyzer, compilation);
        Assert.Empty(run.AnalyzerFailures);
    }

    /// <summary>Kafka code compiled without Confluent.Kafka: the analyzers register nothing (STYLE item 4).</summary>
    [Theory]
    [MemberData(nameof(Analyzers))]
    public async Task Reports_nothing_without_Confluent_Kafka(string analyzer)
    {
        var sources = KafkaSourceCorpus.All.Take(50).Select((s, i) => AnalysisRunner.Parse(s.Text, $"/0/Source{i}.cs")).ToList();
        Assert.NotEmpty(sources);
        foreach (var tree in sources)
        {
            var run = await RunOneAsync(analyzer, AnalysisRunner.Compile(new[] { tree }, referenceKafka: false));
            Assert.Empty(run.AnalyzerFailures);
            Assert.Empty(run.AnalyzerDiagnostics);
        }
    }

    /// <summary>
    /// Every Kafka source in the repository cut off at many points: what the analyzers see while a
    /// user types. No analyzer may throw on any prefix.
    /// </summary>
    [Fact]
    public async Task Runs_on_half_typed_code()
    {
        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        var embedded = KafkaSourceCorpus.All.Where(IsEmbeddedInATest).ToList();
        var pointsPerTestSource = Math.Max(1, TestSourceBudget / Math.Max(1, embedded.Count));
        var index = 0;
        foreach (var source in KafkaSourceCorpus.All)
        {
            var stride = IsEmbeddedInATest(source) ? Math.Max(Stride, source.Text.Length / (pointsPerTestSource + 1)) : Stride;

            // Sources cut at a few points start at different offsets, so together they cover every region.
            var first = Math.Max(1, (int)(stride * ((index++ * 0.618) % 1)));
            for (var length = first; length < source.Text.Length; length += stride)
            {
                // Identical prefixes (the same usings and headers) are analysed once.
                prefixes.TryAdd(source.Text.Substring(0, length), $"{source} cut at {length}");
            }
        }

        Assert.True(prefixes.Count > 100, $"only {prefixes.Count} truncation points");

        // Nullable analysis adds nothing here and costs a quarter of the time.
        var options = AnalysisRunner.Compile(Array.Empty<SyntaxTree>()).Options.WithNullableContextOptions(NullableContextOptions.Disable);
        var batches = PrefixBatches.Create(prefixes.Select(p => (p.Key, p.Value)), BatchSize).ToList();
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (batch, _) =>
        {
            var compilation = AnalysisRunner.Compile(batch.Select(b => b.Tree).Append(AnalysisRunner.ImplicitUsings)).WithOptions(options);
            var run = await AnalysisRunner.RunAllAsync(compilation);
            if (run.AnalyzerFailures.IsEmpty)
            {
                return;
            }

            // Name the sources that fail on their own, as the user would have typed them.
            var named = false;
            foreach (var (tree, origin) in batch)
            {
                var alone = AnalysisRunner.Compile(new[] { AnalysisRunner.Parse(prefixes.First(p => p.Value == origin).Key), AnalysisRunner.ImplicitUsings });
                foreach (var failure in (await AnalysisRunner.RunAllAsync(alone)).AnalyzerFailures)
                {
                    failures.Add($"{origin}: {failure}");
                    named = true;
                }
            }

            if (!named)
            {
                failures.Add($"batch of {string.Join(", ", batch.Select(b => b.Origin))}: {string.Join("\n", run.AnalyzerFailures)}");
            }
        });

        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(5)) + $"\n({failures.Count} failures)");
    }

    private static bool IsEmbeddedInATest(KafkaSource source)
        => source.Origin.StartsWith("tests/", StringComparison.Ordinal) && !source.Origin.Contains("/Corpus/", StringComparison.Ordinal);

    private static Task<AnalysisRun> RunOneAsync(string analyzerType, Compilation compilation)
    {
        var analyzer = KafkaAssemblies.CreateAnalyzers().Single(a => a.GetType().FullName == analyzerType);
        return AnalysisRunner.RunAsync(compilation, System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(analyzer));
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// STYLE item 8: every analyzer runs without throwing on empty and broken code, and does nothing when
/// Confluent.Kafka is not referenced. Half-typed code (every source cut off, edited and reshaped) is the
/// mutation harness's job (Mutation/MutationHarnessTests).
/// </summary>
public class AnalyzerRobustnessTests
{
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

    private static Task<AnalysisRun> RunOneAsync(string analyzerType, Compilation compilation)
    {
        var analyzer = KafkaAssemblies.CreateAnalyzers().Single(a => a.GetType().FullName == analyzerType);
        return AnalysisRunner.RunAsync(compilation, System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(analyzer));
    }
}

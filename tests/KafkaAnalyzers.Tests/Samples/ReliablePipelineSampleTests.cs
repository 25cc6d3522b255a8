using System.Collections.Immutable;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Samples;

/// <summary>
/// samples/ReliablePipeline runs the same pipeline naively and on the runtime library; its report shows
/// what the naive variant loses, and its README says the analyzers warn about each cause of loss in Naive/.
/// Building it must tell the same story: the analyzers report the naive publisher's Produce without a
/// handler (KAFKA004) and its disposal without Flush (KAFKA007), the naive consumer's auto-commit with
/// Task.Run (KAFKA101), its catch-and-log (KAFKA103), its disposal without Close (KAFKA105) and its results producer disposed without Flush
/// (KAFKA007), and nothing on the reliable variant.
/// </summary>
public class ReliablePipelineSampleTests
{
    private static readonly string SampleDirectory = Path.Combine(TestEnvironment.RepositoryRoot, "samples", "ReliablePipeline");

    [Fact]
    public async Task Naive_consumer_shows_auto_commit_with_task_run_and_catch_and_log()
    {
        var diagnostics = await AnalyzeSampleAsync();

        var naiveConsumer = diagnostics.Where(d => FileName(d) == "NaivePaymentConsumer.cs").Select(d => d.Id).ToHashSet();
        Assert.Contains("KAFKA101", naiveConsumer);
        Assert.Contains("KAFKA103", naiveConsumer);
        Assert.Contains("KAFKA105", naiveConsumer);
    }

    [Fact]
    public async Task Naive_publisher_shows_produce_without_handler_and_dispose_without_flush()
    {
        var diagnostics = await AnalyzeSampleAsync();

        var publisher = diagnostics.Where(d => FileName(d) == "NaiveOrderPublisher.cs").Select(d => d.Id).ToHashSet();
        Assert.Contains("KAFKA004", publisher);
        Assert.Contains("KAFKA007", publisher);
        Assert.Contains("KAFKA007", diagnostics.Where(d => FileName(d) == "NaivePaymentConsumer.cs").Select(d => d.Id));
    }

    [Fact]
    public async Task Reliable_variant_stays_silent()
    {
        var diagnostics = await AnalyzeSampleAsync();

        var onReliable = diagnostics
            .Where(d => d.Location.SourceTree?.FilePath.Contains($"{Path.DirectorySeparatorChar}Reliable{Path.DirectorySeparatorChar}", StringComparison.Ordinal) == true)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(onReliable.Count == 0, string.Join(Environment.NewLine, onReliable));
    }

    [Fact]
    public async Task Sample_compiles_and_the_analyzers_do_not_throw()
    {
        var compilation = Compile();
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.DoesNotContain(await AnalyzeSampleAsync(), d => d.Id == "AD0001");
    }

    [Fact]
    public void The_sample_project_runs_the_analyzers_when_built()
    {
        var project = File.ReadAllText(Path.Combine(SampleDirectory, "ReliablePipeline.csproj"));
        Assert.Contains(@"src\KafkaAnalyzers\KafkaAnalyzers.csproj"" OutputItemType=""Analyzer""", project, StringComparison.Ordinal);
    }

    private static string FileName(Diagnostic diagnostic) => Path.GetFileName(diagnostic.Location.SourceTree?.FilePath ?? string.Empty);

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeSampleAsync()
    {
        var analyzers = typeof(Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var diagnostics = await Compile().WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal) || d.Id == "AD0001").ToImmutableArray();
    }

    private static CSharpCompilation Compile()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.EnumerateFiles(SampleDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parse, path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, Path.Combine(SampleDirectory, "obj", "GlobalUsings.g.cs")));
        return CSharpCompilation.Create(
            "ReliablePipeline",
            trees,
            TestReferences.WithReliability,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;
}

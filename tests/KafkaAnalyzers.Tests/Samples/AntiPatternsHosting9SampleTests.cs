using System.Xml.Linq;
using KafkaAnalyzers.Tests.Meta;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Tests.Samples;

/// <summary>
/// samples/AntiPatterns.Hosting9: KAFKA114's ExecuteAsync form, which needs Microsoft.Extensions.Hosting older than
/// 10.0. Built by the README's `dotnet build samples/AntiPatterns` (AntiPatterns references it); compiled here
/// against hosting 9.0 as its project file says, every finding on a line marked <c>// ⚠ KAFKAnnn</c> and nothing
/// under Safe/.
/// </summary>
public class AntiPatternsHosting9SampleTests
{
    private static readonly string SampleDirectory = Path.Combine(TestEnvironment.RepositoryRoot, "samples", "AntiPatterns.Hosting9");

    [Fact]
    public void The_sample_references_hosting_9_and_the_README_command_builds_it()
    {
        var sample = XDocument.Load(Path.Combine(SampleDirectory, "AntiPatterns.Hosting9.csproj"));
        var hosting = Assert.Single(sample.Descendants("PackageReference"), e => (string?)e.Attribute("Include") == "Microsoft.Extensions.Hosting");
        Assert.StartsWith("9.", (string?)hosting.Attribute("VersionOverride") ?? string.Empty, StringComparison.Ordinal);

        var antiPatterns = XDocument.Load(Path.Combine(TestEnvironment.RepositoryRoot, "samples", "AntiPatterns", "AntiPatterns.csproj"));
        Assert.Contains(antiPatterns.Descendants("ProjectReference"), e => ((string?)e.Attribute("Include"))?.Replace('\\', '/') == "../AntiPatterns.Hosting9/AntiPatterns.Hosting9.csproj");
    }

    [Fact]
    public async Task Marked_lines_get_exactly_the_marked_rules_and_safe_code_stays_silent()
    {
        var run = await AnalyzeAsync();
        Assert.DoesNotContain(run.CompilerErrorsAndWarnings, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(run.AnalyzerFailures);

        var markers = SampleAnnotations.Read(SampleDirectory).Where(a => a.ByMarker).Select(a => a.Place).ToHashSet();
        var reported = run.RuleDiagnostics
            .Select(d => (File: SampleAnnotations.RelativePath(SampleDirectory, d.Location.SourceTree!.FilePath), Line: d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Id))
            .ToHashSet();
        Assert.Contains(markers, m => m.Id == "KAFKA114" && m.File == "Shipping/ShipmentEventsWorker.cs");
        var missing = markers.Except(reported).Select(m => $"{m.File}:{m.Line}: {m.Id} marked but not reported");
        var unmarked = reported.Except(markers).Select(m => $"{m.File}:{m.Line}: {m.Id} reported but not marked");
        var differences = missing.Concat(unmarked).ToList();
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public async Task On_hosting_10_the_same_code_gets_no_KAFKA114()
    {
        // The version boundary the sample exists for: the same files against 10.0 (what samples/AntiPatterns uses).
        var run = await AnalysisRunner.RunAllAsync(AsProgram(AnalysisRunner.Compile(Trees())));
        Assert.DoesNotContain(run.CompilerErrorsAndWarnings, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(run.RuleDiagnostics, d => d.Id == "KAFKA114");
    }

    private static Task<AnalysisRun> AnalyzeAsync()
        => AnalysisRunner.RunAllAsync(AsProgram(AnalysisRunner.Compile(Trees(), 9).AddReferences(TestReferences.HostingAssembly(9))));

    /// <summary>The sample is an executable (top-level Program.cs), as its project file says.</summary>
    private static Microsoft.CodeAnalysis.CSharp.CSharpCompilation AsProgram(Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation)
        => compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));

    private static IEnumerable<SyntaxTree> Trees()
        => SourceFiles().Select(path => AnalysisRunner.Parse(File.ReadAllText(path), path)).Append(AnalysisRunner.ImplicitUsings).ToList();

    private static IEnumerable<string> SourceFiles() => SampleAnnotations.SourceFiles(SampleDirectory);
}

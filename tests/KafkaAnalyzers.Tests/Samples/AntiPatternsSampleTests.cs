using System.Collections.Immutable;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Samples;

/// <summary>
/// The README's first command is `dotnet build samples/AntiPatterns`: it must show every rule at least
/// once, and nothing on the safe variants (Safe/) or on the declared lossy telemetry producer.
/// </summary>
public class AntiPatternsSampleTests
{
    private static readonly string SampleDirectory = Path.Combine(TestEnvironment.RepositoryRoot, "samples", "AntiPatterns");

    [Fact]
    public async Task Every_rule_is_shown_by_the_sample()
    {
        var diagnostics = await AnalyzeSampleAsync();

        var shown = diagnostics.Select(d => d.Id).ToHashSet();
        var missing = Analyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Where(id => !shown.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "samples/AntiPatterns shows none of: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Safe_variants_and_declared_lossy_topics_stay_silent()
    {
        var diagnostics = await AnalyzeSampleAsync();

        var onSafeCode = diagnostics
            .Where(d => d.Location.SourceTree?.FilePath is { } path
                        && (path.Contains($"{Path.DirectorySeparatorChar}Safe{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                            || path.Contains($"{Path.DirectorySeparatorChar}Telemetry{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .Select(d => d.ToString())
            .ToList();
        Assert.True(onSafeCode.Count == 0, string.Join(Environment.NewLine, onSafeCode));
    }

    /// <summary>
    /// A line marked <c>// ⚠ KAFKAnnn</c> gets that diagnostic, and every diagnostic of a rule the sample marks
    /// anywhere is on a line marked with it: the build prints each rule at the line the sample says.
    /// </summary>
    [Fact]
    public async Task Marked_lines_get_exactly_the_marked_rules()
    {
        var diagnostics = await AnalyzeSampleAsync();
        var markers = SampleAnnotations.Read(SampleDirectory).Where(a => a.ByMarker).Select(a => a.Place).ToHashSet();

        Assert.NotEmpty(markers);
        var markedIds = markers.Select(m => m.Id).ToHashSet();
        var reported = Places(diagnostics.Where(d => markedIds.Contains(d.Id)));
        var missing = markers.Except(reported).Select(m => $"{m.File}:{m.Line}: {m.Id} marked but not reported");
        var unmarked = reported.Except(markers).Select(m => $"{m.File}:{m.Line}: {m.Id} reported but not marked");
        var differences = missing.Concat(unmarked).ToList();
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    /// <summary>
    /// Each finding is where the sample says it is: the line after a <c>// KAFKAnnn: why</c> comment (a
    /// comment may run over several lines) or a line marked <c>// ⚠ KAFKAnnn</c> (checked above), and each
    /// such comment is followed by its finding.
    /// </summary>
    [Fact]
    public async Task Every_finding_is_on_the_line_its_comment_announces()
    {
        var diagnostics = await AnalyzeSampleAsync();
        var found = Places(diagnostics.Where(d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal)));
        var annotations = SampleAnnotations.Read(SampleDirectory);
        var announced = annotations.Where(a => !a.ByMarker).Select(a => a.Place).ToHashSet();
        var marked = annotations.Where(a => a.ByMarker).Select(a => a.Place).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "KAFKA004", "KAFKA005", "KAFKA006", "KAFKA007", "KAFKA008", "KAFKA010", "KAFKA011" },
            announced.Select(a => a.Id).ToHashSet());
        var unannounced = found.Except(announced).Except(marked).Select(f => $"{f.File} line {f.Line}: {f.Id} reported without a '// {f.Id}:' comment above it or a '// ⚠ {f.Id}' marker");
        var missing = announced.Except(found).Select(a => $"{a.File} line {a.Line}: '// {a.Id}:' announced but not reported");
        var differences = unannounced.Concat(missing).ToList();
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public async Task Sample_compiles_without_errors_and_the_analyzers_do_not_throw()
    {
        var (compilation, _) = Compile();
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await AnalyzeSampleAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeSampleAsync()
    {
        var (compilation, options) = Compile();
        return await compilation.WithAnalyzers(Analyzers(), new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, options))
            .GetAnalyzerDiagnosticsAsync();
    }

    private static (CSharpCompilation Compilation, AnalyzerConfigOptionsProvider Options) Compile()
    {
        var trees = SourceFiles()
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, new CSharpParseOptions(LanguageVersion.Latest), Path.Combine(SampleDirectory, "obj", "GlobalUsings.g.cs")))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "AntiPatterns",
            trees,
            TestReferences.WithReliability,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        return (compilation, EditorConfigOptions.FromFile(Path.Combine(SampleDirectory, ".editorconfig")));
    }

    private static IEnumerable<string> SourceFiles() => SampleAnnotations.SourceFiles(SampleDirectory);

    /// <summary>Where each diagnostic is, as <see cref="AnnotatedFinding.Place"/> says it.</summary>
    private static HashSet<(string File, int Line, string Id)> Places(IEnumerable<Diagnostic> diagnostics)
        => diagnostics
            .Where(d => d.Location.SourceTree is not null)
            .Select(d => (SampleAnnotations.RelativePath(SampleDirectory, d.Location.SourceTree!.FilePath), d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Id))
            .ToHashSet();

    private static ImmutableArray<DiagnosticAnalyzer> Analyzers()
        => typeof(Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

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

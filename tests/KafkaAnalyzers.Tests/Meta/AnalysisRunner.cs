using System.Collections.Concurrent;
using System.Collections.Immutable;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>What running analyzers over a compilation produced, including any analyzer failure.</summary>
internal sealed record AnalysisRun(
    Compilation Compilation,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    ImmutableArray<string> AnalyzerFailures)
{
    public ImmutableArray<Diagnostic> CompilerDiagnostics => Compilation.GetDiagnostics();

    public IEnumerable<Diagnostic> CompilerErrorsAndWarnings
        => CompilerDiagnostics.Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning);

    /// <summary>Diagnostics of the shipped rules (KAFKAnnn), suppressed ones left out.</summary>
    public IEnumerable<Diagnostic> RuleDiagnostics
        => AnalyzerDiagnostics.Where(d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal) && !d.IsSuppressed);
}

/// <summary>
/// Compiles sources with the test references and runs analyzers through <see cref="CompilationWithAnalyzers"/>,
/// recording analyzer exceptions (AD0001) instead of letting the driver swallow them.
/// </summary>
internal static class AnalysisRunner
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static SyntaxTree Parse(string source, string path = "/0/Test0.cs")
        => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>
    /// Compilations derive from one empty compilation per reference set, so the ~200 reference
    /// assemblies are turned into symbols once rather than for every example.
    /// </summary>
    /// <remarks>Sources may use the runtime library (KafkaAnalyzers.Reliability) too, as a project with both packages does.</remarks>
    private static readonly CSharpCompilation WithKafka = Empty(TestReferences.WithReliability);

    private static readonly CSharpCompilation WithoutKafka = Empty(Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>());

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, bool referenceKafka = true)
        => (referenceKafka ? WithKafka : WithoutKafka).AddSyntaxTrees(trees);

    private static readonly ConcurrentDictionary<int, CSharpCompilation> WithHosting = new();

    /// <summary>
    /// Like <see cref="Compile(IEnumerable{SyntaxTree}, bool)"/> with Microsoft.Extensions.Hosting.Abstractions of
    /// <paramref name="hostingMajor"/> (KAFKA114 depends on it): a docs example says which with a first-line comment.
    /// </summary>
    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, int hostingMajor)
        => WithHosting.GetOrAdd(hostingMajor, major => Empty(HostingReferences(major)))
            .AddSyntaxTrees(trees);

    /// <summary><see cref="TestReferences.WithReliability"/> with the given hosting abstractions version in place of 10.0.</summary>
    public static ImmutableArray<MetadataReference> HostingReferences(int major)
        => TestReferences.WithHostingAbstractions(major).AddRange(TestReferences.WithReliability.Except(TestReferences.All));

    /// <summary>The global usings of an SDK project with ImplicitUsings on (the samples rely on them).</summary>
    public static readonly SyntaxTree ImplicitUsings = Parse(
        """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """,
        "/obj/GlobalUsings.g.cs");

    public static CSharpCompilation Compile(params string[] sources)
        => Compile(sources.Select((source, i) => Parse(source, $"/0/Test{i}.cs")));

    private static CSharpCompilation Empty(IEnumerable<MetadataReference> references)
        => CSharpCompilation.Create(
            "MetaTest",
            syntaxTrees: null,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the SDK does (NoWarn 1701;1702): an older hosting assembly refers to System.Runtime 8.0.
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    public static async Task<AnalysisRun> RunAsync(
        Compilation compilation,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        IReadOnlyDictionary<string, string>? editorConfig = null,
        bool reportSuppressed = false,
        bool concurrent = false,
        CancellationToken cancellationToken = default)
    {
        var failures = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            CreateOptions(editorConfig),
            onAnalyzerException: (exception, analyzer, diagnostic) => failures.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: reportSuppressed);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);
        foreach (var diagnostic in diagnostics.Where(d => d.Id == "AD0001"))
        {
            failures.Enqueue(diagnostic.ToString());
        }

        return new AnalysisRun(
            compilation,
            diagnostics.Where(d => d.Id != "AD0001").ToImmutableArray(),
            failures.Distinct().ToImmutableArray());
    }

    public static Task<AnalysisRun> RunAllAsync(Compilation compilation, IReadOnlyDictionary<string, string>? editorConfig = null, bool reportSuppressed = false)
        => RunAsync(compilation, KafkaAssemblies.CreateAnalyzers(), editorConfig, reportSuppressed);

    /// <summary>Analyzer options as one <c>[*]</c> section of an .editorconfig with these keys would give.</summary>
    public static AnalyzerOptions CreateOptions(IReadOnlyDictionary<string, string>? editorConfig)
        => new(ImmutableArray<AdditionalText>.Empty, new EditorConfigOptionsProvider(editorConfig));

    /// <summary>The same options for every tree, as one <c>[*]</c> section of an .editorconfig would give.</summary>
    private sealed class EditorConfigOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options;

        public EditorConfigOptionsProvider(IReadOnlyDictionary<string, string>? values)
            => _options = new Options(values ?? new Dictionary<string, string>());

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly IReadOnlyDictionary<string, string> _values;

            public Options(IReadOnlyDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, out string value)
            {
                if (_values.TryGetValue(key, out var found))
                {
                    value = found;
                    return true;
                }

                value = null!;
                return false;
            }
        }
    }
}

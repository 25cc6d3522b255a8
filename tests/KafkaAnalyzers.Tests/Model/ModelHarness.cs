using System.Collections.Concurrent;
using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>Runs the real per-type plumbing over a source and hands back the analysis of one type.</summary>
internal static class ModelHarness
{
    public static async Task<KafkaTypeAnalysis> AnalyzeAsync(string source, string typeName = "Service", OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var compilation = Compile(source, kind);
        var capture = new CaptureAnalyzer();
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(capture));
        var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync();
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || d.Id == "AD0001"));
        Assert.True(capture.Analyses.TryGetValue(typeName, out var analysis), $"type {typeName} was not analysed");
        return analysis!;
    }

    public static ConfigContext SingleContext(this KafkaTypeAnalysis analysis, ClientRole role)
        => Assert.Single(analysis.Configurations.Contexts, c => c.Role == role);

    public static CSharpCompilation Compile(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
        => CSharpCompilation.Create(
            "ModelTest",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "/0/Test0.cs") },
            TestReferences.All,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CaptureAnalyzer : KafkaTypeAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = DescriptorFactory.Create("TEST0001", "Test", DiagnosticSeverity.Hidden, "t", "t", "t", dataLoss: false);

        public ConcurrentDictionary<string, KafkaTypeAnalysis> Analyses { get; } = new();

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
        {
            _ = analysis.Configurations;
            Analyses[analysis.Type.Name] = analysis;
        }
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>The meta-tests' own machinery can see what it is meant to catch.</summary>
public class MetaHarnessTests
{
    [Fact]
    public async Task Runner_reports_an_analyzer_that_throws()
    {
        var run = await AnalysisRunner.RunAsync(AnalysisRunner.Compile("class C { void M() { } }"), ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowingAnalyzer()));
        Assert.Contains(run.AnalyzerFailures, failure => failure.Contains("half-typed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Runner_applies_pragma_suppression_and_reports_it_when_asked()
    {
        const string source = """
            using Confluent.Kafka;
            class C
            {
                IProducer<string, string> M()
                {
            #pragma warning disable KAFKA001
                    var config = new ProducerConfig { Acks = Acks.Leader, EnableIdempotence = false };
            #pragma warning restore KAFKA001
                    return new ProducerBuilder<string, string>(config).Build();
                }
            }
            """;
        var hidden = await AnalysisRunner.RunAllAsync(AnalysisRunner.Compile(source));
        var shown = await AnalysisRunner.RunAllAsync(AnalysisRunner.Compile(source), reportSuppressed: true);
        Assert.DoesNotContain(hidden.RuleDiagnostics, d => d.Id == "KAFKA001");
        Assert.Contains(shown.AnalyzerDiagnostics, d => d.Id == "KAFKA001" && d.IsSuppressed);
    }

    [Fact]
    public void Page_parser_reads_sections_facts_markers_and_settings()
    {
        var page = DocsPage.Parse("/KAFKA999.md", """
            # KAFKA999: Example rule

            | Rule ID | Category | Default severity | Code fix |
            |---|---|---|---|
            | KAFKA999 | Reliability | Warning | No |

            ## Flagged example

            ```ini
            kafka_analyzers.lossy_topics = a.*
            ```

            ```csharp
            class C
            {
                int x = 1; // ⚠ KAFKA999, KAFKA001
            }
            ```

            Some text.

            ```csharp
            class D { }
            ```
            """);
        Assert.Equal("# KAFKA999: Example rule", page.TitleLine);
        Assert.Equal("Warning", page.Facts["Default severity"]);
        Assert.Equal(new[] { "Flagged example" }, page.Sections);
        var blocks = page.CodeBlocks.Where(b => b.Language == "csharp").ToList();
        Assert.Equal(new[] { (2, "KAFKA001"), (2, "KAFKA999") }, blocks[0].Markers.OrderBy(m => m.Id));
        Assert.Equal("ini", blocks[0].Settings?.Language);
        Assert.Null(blocks[1].Settings);
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = DescriptorFactory.Create("TEST0002", "Test", DiagnosticSeverity.Warning, "t", "t", "t.", dataLoss: false);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(_ => throw new InvalidOperationException("half-typed code broke me"), SymbolKind.Method);
        }
    }
}

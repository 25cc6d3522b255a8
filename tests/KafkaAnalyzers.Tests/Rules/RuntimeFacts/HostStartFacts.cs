using KafkaAnalyzers.Tests.HostStart;
using KafkaAnalyzers.Tests.Meta;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Tests.Rules.RuntimeFacts;

/// <summary>
/// KAFKA114's version boundary on the real host (docs/rules/KAFKA114.md): the scenario of
/// tests/Shared/HostStartScenario.cs on Microsoft.Extensions.Hosting 10.0 (this project's version); the 9.0 side
/// runs in KafkaAnalyzers.Hosting9.Tests. The analyzer flags the scenario's worker exactly where the 9.0 run
/// measures the blocked start-up.
/// </summary>
public class HostStartFacts
{
    private readonly ITestOutputHelper _output;

    public HostStartFacts(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task On_hosting_10_a_consume_loop_before_the_first_await_does_not_hold_the_next_hosted_service()
    {
        var run = await HostStartScenario.RunAsync(yieldFirst: false);
        _output.WriteLine(run.ToString());

        Assert.Equal(10, run.HostingMajor);
        // The second service started while the topic was idle: no message was needed, none was handled.
        Assert.Null(run.ProducedAt);
        Assert.Equal(0, run.Handled);
    }

    [Fact]
    public async Task KAFKA114_flags_the_measured_worker_on_hosting_9_only()
    {
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Shared", "HostStartScenario.cs");
        var tree = AnalysisRunner.Parse(await File.ReadAllTextAsync(path), "/0/HostStartScenario.cs");
        var trees = new[] { tree, AnalysisRunner.ImplicitUsings };
        var on9 = await AnalysisRunner.RunAllAsync(AnalysisRunner.Compile(trees, 9).AddReferences(Verifiers.TestReferences.HostingAssembly(9)));
        var on10 = await AnalysisRunner.RunAllAsync(AnalysisRunner.Compile(trees));

        foreach (var run in new[] { on9, on10 })
        {
            Assert.DoesNotContain(run.CompilerErrorsAndWarnings, d => d.Severity == DiagnosticSeverity.Error);
            Assert.Empty(run.AnalyzerFailures);
        }

        var flagged = Assert.Single(on9.RuleDiagnostics, d => d.Id == "KAFKA114");
        var method = tree.GetRoot().FindNode(flagged.Location.SourceSpan).AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>().First();
        Assert.Equal(nameof(HostStartScenario.OrderWorker), method.Identifier.ValueText);
        Assert.DoesNotContain(on10.RuleDiagnostics, d => d.Id == "KAFKA114");
    }
}

using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// The strongest guarantee the docs are true: every C# block of every rule page compiles against
/// Confluent.Kafka 2.16 with the test references, and reports exactly the diagnostics its
/// <c>// ⚠ KAFKAnnn</c> comments mark, on those lines; the printed messages the page quotes are the
/// messages the analyzers produce.
/// </summary>
public class DocsExampleTests
{
    public static TheoryData<string> Ids() => KafkaAssemblies.DescriptorIds();

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_csharp_block_compiles_without_warnings(string id)
    {
        var page = DocsPage.Load(id);
        foreach (var block in DocsExamples.CSharpBlocks(page))
        {
            var compilation = DocsExamples.Compile(block);
            var problems = compilation.GetDiagnostics().Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning);
            Assert.True(!problems.Any(), $"{id}: {block} does not compile cleanly:\n{string.Join("\n", problems)}");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Every_csharp_block_reports_exactly_the_marked_diagnostics(string id)
    {
        var page = DocsPage.Load(id);
        foreach (var block in DocsExamples.CSharpBlocks(page))
        {
            var run = await DocsExamples.AnalyzeAsync(block);
            Assert.Empty(run.AnalyzerFailures);
            var expected = block.Markers.ToHashSet();
            Assert.All(expected, marker => Assert.Contains(marker.Id, KafkaAssemblies.ReportedIds));
            var actual = DocsExamples.Reported(run);
            var missing = expected.Except(actual).Select(m => $"line {m.Line + 1}: {m.Id} marked but not reported");
            var unexpected = actual.Except(expected).Select(m => $"line {m.Line + 1}: {m.Id} reported but not marked");
            var differences = missing.Concat(unexpected).ToList();
            Assert.True(differences.Count == 0, $"{id}: {block}:\n{string.Join("\n", differences)}");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Flagged_example_output_quotes_the_exact_messages(string id)
    {
        var page = DocsPage.Load(id);
        var output = page.CodeBlocks.Where(b => b.Section == "Flagged example" && b.Language == "text").ToList();
        Assert.Single(output);
        var quoted = output[0].Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.Contains(quoted, line => line.Contains($" {id}: ", StringComparison.Ordinal));

        var printed = new HashSet<string>();
        foreach (var block in DocsExamples.CSharpBlocks(page).Where(b => b.Section == "Flagged example"))
        {
            var run = await DocsExamples.AnalyzeAsync(block);
            printed.UnionWith(run.RuleDiagnostics.Select(DocsExamples.Printed));
        }

        var stale = quoted.Except(printed).Select(line => "quoted but not reported: " + line);
        var missing = printed.Except(quoted).Select(line => "reported but not quoted: " + line);
        var differences = stale.Concat(missing).ToList();
        Assert.True(differences.Count == 0, $"{id}: the Flagged example output differs from the analyzers:\n{string.Join("\n", differences)}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Suppression_examples_suppress_a_real_diagnostic(string id)
    {
        var page = DocsPage.Load(id);
        var blocks = DocsExamples.CSharpBlocks(page).Where(b => b.Section == "How to suppress").ToList();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var run = await DocsExamples.AnalyzeAsync(block, reportSuppressed: true);
            var ofRule = run.AnalyzerDiagnostics.Where(d => d.Id == id).ToList();
            Assert.True(ofRule.Count > 0 && ofRule.All(d => d.IsSuppressed), $"{id}: {block} should contain a suppressed {id} and no other");
        }
    }
}

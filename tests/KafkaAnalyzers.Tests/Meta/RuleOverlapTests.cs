namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// STYLE item 11: no two rules report the same mistake. Realistic service code (Meta/Corpus, the
/// samples and every rule page's examples) runs through all analyzers, and no source span gets
/// diagnostics from two rules, except the pairs listed here with the reason.
/// </summary>
public class RuleOverlapTests
{
    /// <summary>Rule pairs allowed on the same span, each with why it is two problems, not one.</summary>
    private static readonly IReadOnlyDictionary<(string, string), string> AllowedPairs = new Dictionary<(string, string), string>();

    [Fact]
    public void Realistic_corpus_exists_and_trips_rules()
        => Assert.NotEmpty(KafkaSourceCorpus.Realistic);

    [Fact]
    public async Task No_span_is_reported_by_two_rules()
    {
        var runs = new List<(string Origin, AnalysisRun Run)>();
        foreach (var source in KafkaSourceCorpus.Realistic.Concat(KafkaSourceCorpus.All.Where(s => s.Origin.StartsWith("docs/", StringComparison.Ordinal))))
        {
            runs.Add((source.Origin, await AnalysisRunner.RunAllAsync(AnalysisRunner.Compile(source.Text))));
        }

        foreach (var (name, files, editorConfig) in KafkaSourceCorpus.SampleProjects())
        {
            var trees = files.Select(f => AnalysisRunner.Parse(f.Text, f.Origin)).Append(AnalysisRunner.ImplicitUsings);
            var (options, _) = DocsExamples.ParseEditorConfig(editorConfig);
            runs.Add((name, await AnalysisRunner.RunAllAsync(AnalysisRunner.Compile(trees), options)));
        }

        var overlaps = new List<string>();
        var reported = 0;
        foreach (var (origin, run) in runs)
        {
            Assert.Empty(run.AnalyzerFailures);
            reported += run.RuleDiagnostics.Count();
            foreach (var group in run.RuleDiagnostics.GroupBy(d => (d.Location.SourceTree?.FilePath, d.Location.SourceSpan)))
            {
                var ids = group.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList();
                for (var i = 0; i < ids.Count; i++)
                {
                    for (var j = i + 1; j < ids.Count; j++)
                    {
                        if (!AllowedPairs.ContainsKey((ids[i], ids[j])))
                        {
                            var line = group.First().Location.GetLineSpan();
                            overlaps.Add($"{origin} ({line.Path} line {line.StartLinePosition.Line + 1}): {ids[i]} and {ids[j]} on the same span");
                        }
                    }
                }
            }
        }

        Assert.True(reported > 0, "the corpus trips no rule, so the test shows nothing");
        Assert.True(overlaps.Count == 0, string.Join("\n", overlaps));
    }

    /// <summary>The realistic corpus trips every rule an analyzer reports, so the overlap check covers them all.</summary>
    [Fact]
    public async Task Realistic_corpus_trips_every_reported_rule()
    {
        var seen = new HashSet<string>();
        foreach (var source in KafkaSourceCorpus.Realistic)
        {
            var run = await AnalysisRunner.RunAllAsync(AnalysisRunner.Compile(source.Text));
            var errors = run.CompilerDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{source} does not compile:\n{string.Join("\n", errors)}");
            seen.UnionWith(run.RuleDiagnostics.Select(d => d.Id));
        }

        Assert.Empty(KafkaAssemblies.ReportedIds.Except(seen).Order(StringComparer.Ordinal));
    }
}

using Xunit.Abstractions;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// Every rule of the catalog in a CI code-scanning log: copies of samples/AntiPatterns (every rule, KAFKA114 in its
/// StartAsync form) and samples/AntiPatterns.Hosting9 (KAFKA114's ExecuteAsync form, which needs hosting older than
/// 10.0), built with the packed package and <c>-p:ErrorLog=…%2Cversion=2.1</c> as a user's CI build is.
/// </summary>
[Collection(PackageTestCollection.Name)]
public sealed class SampleSarifTests(PackageFeed feed, ITestOutputHelper output)
{
    /// <summary>The samples whose findings together show every rule.</summary>
    internal static readonly string[] Samples = ["AntiPatterns", "AntiPatterns.Hosting9"];

    /// <summary>
    /// The rules are the packed analyzers' descriptors, so a new rule is covered without touching this test. Each
    /// result is on a line the sample announces and each announced finding is a result; its level is the rule's
    /// default severity unless the sample's .editorconfig sets another (it raises the Info rules KAFKA010 and
    /// KAFKA011 to warnings and lowers the error rules to warnings, so that its build completes and prints them).
    /// </summary>
    [Fact]
    public void Every_rule_is_in_the_SARIF_logs_of_the_samples_on_its_announced_line_with_its_level_message_and_help_link()
    {
        var builds = Samples.Select(feed.BuiltSample).ToList();

        var problems = builds.SelectMany(Problems).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        var logged = builds.SelectMany(b => b.Log.KafkaResults).Select(r => r.RuleId).ToHashSet(StringComparer.Ordinal);
        var catalog = feed.Analyzers.Descriptors;
        Assert.NotEmpty(catalog);
        var missing = catalog.Where(d => !logged.Contains(d.Id)).Select(d => d.Id).ToList();
        Assert.True(missing.Count == 0, $"No SARIF result of {string.Join(", ", missing)} in the logs of samples/{string.Join(", samples/", Samples)}: show each rule in a sample, on a line its comment announces");

        foreach (var build in builds)
        {
            output.WriteLine($"samples/{build.Sample}: built in {build.Build.Elapsed.TotalSeconds:F1} s, {build.Log.KafkaResults.Count()} KAFKA results");
        }

        output.WriteLine("Rules (default severity -> level in the log, results): " + string.Join("; ", catalog.Select(d =>
            $"{d.Id} {d.DefaultSeverity} -> {string.Join("/", builds.SelectMany(b => b.Log.KafkaResults).Where(r => r.RuleId == d.Id).Select(r => r.Level).Distinct())} x{builds.Sum(b => b.Log.KafkaResults.Count(r => r.RuleId == d.Id))}")));
    }

    /// <summary>What is wrong with one sample's log: results off the announced lines or missing, and bad results.</summary>
    private IEnumerable<string> Problems(SampleBuild build)
    {
        var log = build.Log;
        if (log.Version != "2.1.0")
        {
            yield return $"samples/{build.Sample}: SARIF version '{log.Version}', not 2.1.0";
        }

        var reported = log.KafkaResults.Select(r => (File: build.Project.RelativePath(r), Line: r.StartLine, Id: r.RuleId)).ToHashSet();
        var announced = build.Annotations.Select(a => a.Place).ToHashSet();
        foreach (var place in announced.Except(reported).Order())
        {
            yield return $"samples/{build.Sample}/{place.File}:{place.Line}: {place.Id} announced but not in the SARIF log";
        }

        foreach (var place in reported.Except(announced).Order())
        {
            yield return $"samples/{build.Sample}/{place.File}:{place.Line}: {place.Id} in the SARIF log but not announced";
        }

        foreach (var twice in log.KafkaResults.GroupBy(r => (r.RuleId, r.Uri, r.Region)).Where(g => g.Count() > 1))
        {
            yield return $"samples/{build.Sample}: {twice.Key.RuleId} logged {twice.Count()} times at {twice.Key.Uri}({twice.Key.Region}): is an analyzer loaded twice?";
        }

        foreach (var result in log.KafkaResults)
        {
            var where = $"samples/{build.Sample}/{build.Project.RelativePath(result)}:{result.StartLine}: {result.RuleId}";
            var descriptor = feed.Analyzers.Descriptor(result.RuleId);
            var level = SarifLog.Level(RuleSeverities.Effective(descriptor, build.ConfiguredSeverities));
            if (result.Level != level)
            {
                yield return $"{where}: level '{result.Level}', expected '{level}' (default {descriptor.DefaultSeverity}, .editorconfig {build.ConfiguredSeverities.GetValueOrDefault(result.RuleId, "-")})";
            }

            if (string.IsNullOrWhiteSpace(result.Message) || result.Message.Contains("{0}", StringComparison.Ordinal))
            {
                yield return $"{where}: message '{result.Message}'";
            }

            var helpUri = (string?)result.Rule["helpUri"];
            if (helpUri != BuildInfo.HelpLink(result.RuleId) || !File.Exists(Path.Combine(BuildInfo.RepositoryRoot, "docs", "rules", result.RuleId + ".md")))
            {
                yield return $"{where}: helpUri '{helpUri}', expected {BuildInfo.HelpLink(result.RuleId)} (docs/rules/{result.RuleId}.md)";
            }

            var title = descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if ((string?)result.Rule["id"] != result.RuleId || (string?)result.Rule["shortDescription"]?["text"] != title)
            {
                yield return $"{where}: rule entry {result.Rule.ToJsonString()}, expected id {result.RuleId} and title '{title}'";
            }
        }
    }
}

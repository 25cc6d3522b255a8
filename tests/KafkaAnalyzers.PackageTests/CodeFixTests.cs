using System.Text;
using Xunit.Abstractions;

namespace KafkaAnalyzers.PackageTests;

/// <summary>The packed code fixes, applied from the command line the way CI bots and users do.</summary>
[Collection(PackageTestCollection.Name)]
public sealed class CodeFixTests(PackageFeed feed, ITestOutputHelper output)
{
    /// <summary>
    /// Findings in samples/AntiPatterns that keep their rule after <c>dotnet format analyzers</c>, by
    /// rule, file and the text of the flagged line, with the reason the fix cannot apply there. Every
    /// other finding of a rule with a fix must be gone.
    /// </summary>
    private static readonly Dictionary<(string Id, string File, string Line), string> NotFixableByFormat = new()
    {
        [("KAFKA301", "Payments/PaymentProducerFactory.cs", "settings[\"linger.msec\"] = \"5\";")] =
            "the package offers no fix there: 'linger.msec' is two edits from 'linger.ms', and keys shorter than 16 characters get a suggestion only one edit away, so the analyzer names no replacement key (KAFKA301 replaces a key only with a single near miss)",
    };

    [Fact]
    public void Dotnet_format_applies_the_KAFKA001_fix_and_the_next_build_is_clean_of_it()
    {
        var project = ConsumerProject.Create(feed, "format", ConsumerSources.WeakAcksProducer);
        var restore = project.Cli("restore", project.ProjectFile, "-nodeReuse:false", "--disable-build-servers");
        Assert.True(restore.Succeeded, restore.Describe());

        var format = project.Cli(
            "format", "analyzers", project.ProjectFile,
            "--diagnostics", "KAFKA001", "--severity", "info", "--no-restore", "--verbosity", "detailed");

        Assert.True(format.Succeeded, format.Describe());
        var fixedSource = File.ReadAllText(project.ProgramFile);
        Assert.Contains("Acks = Acks.All,", fixedSource);
        Assert.DoesNotContain("Acks.Leader", fixedSource);
        // Only the acks line changed.
        Assert.Equal(
            ConsumerSources.WeakAcksProducer.Replace("Acks.Leader", "Acks.All", StringComparison.Ordinal).ReplaceLineEndings(),
            fixedSource.ReplaceLineEndings());

        var build = project.Build();

        Assert.True(build.Succeeded, build.Describe());
        Assert.DoesNotContain("KAFKA001", build.Output);
        Assert.Contains(("warning", "KAFKA002"), ConsumerProject.KafkaDiagnostics(build));
    }

    /// <summary>
    /// Every rule that has a fix in the packed assemblies (found by reflection, so new fixes are covered
    /// without touching this test), fixed by <c>dotnet format analyzers</c> on a copy of
    /// samples/AntiPatterns: the result builds and only the listed findings of those rules remain.
    /// </summary>
    [Fact]
    public void Dotnet_format_fixes_every_fixable_rule_in_the_AntiPatterns_sample_and_the_result_builds()
    {
        var fixable = feed.Analyzers.FixableIds;
        Assert.Contains("KAFKA001", fixable);
        var project = ConsumerProject.FromSample(feed, "format-antipatterns", "AntiPatterns");
        var restore = project.Restore();
        Assert.True(restore.Succeeded, restore.Describe());
        var beforeLog = Path.Combine(project.RepositoryDirectory, "before.sarif");
        var before = project.Build("--no-restore", $"-p:ErrorLog={beforeLog}%2Cversion=2.1");
        Assert.True(before.Succeeded, before.Describe());
        var found = SarifLog.Load(beforeLog).KafkaResults.ToList();
        var notShown = fixable.Where(id => found.All(r => r.RuleId != id)).ToList();
        Assert.True(notShown.Count == 0, $"samples/AntiPatterns shows no finding of {string.Join(", ", notShown)}, so this test cannot check its fix: add one to the sample");

        var format = project.Cli(
            ["format", "analyzers", project.ProjectFile, "--diagnostics", .. fixable, "--severity", "info", "--no-restore", "--verbosity", "detailed"]);

        Assert.True(format.Succeeded, format.Describe());
        var afterLog = Path.Combine(project.RepositoryDirectory, "after.sarif");
        var after = project.Build("--no-restore", $"-p:ErrorLog={afterLog}%2Cversion=2.1");
        Assert.True(after.Succeeded, after.Describe());
        var left = SarifLog.Load(afterLog).KafkaResults.Where(r => fixable.Contains(r.RuleId)).ToList();

        var report = new StringBuilder("Rule      before  after  dotnet format").AppendLine();
        var unexplained = new List<string>();
        foreach (var id in fixable)
        {
            var leftOfRule = left.Where(r => r.RuleId == id).ToList();
            var reasons = leftOfRule.Select(r => Explain(project, r, unexplained)).ToList();
            report.AppendLine($"{id}  {found.Count(r => r.RuleId == id),6}  {leftOfRule.Count,5}  {(leftOfRule.Count == 0 ? "applied every fix" : "not applied: " + string.Join("; ", reasons))}");
        }

        var stale = NotFixableByFormat.Keys.Where(key => !left.Any(r => Key(project, r) == key)).ToList();
        output.WriteLine(report.ToString());
        Assert.True(unexplained.Count == 0, $"dotnet format left findings of rules that have a fix:{Environment.NewLine}{string.Join(Environment.NewLine, unexplained)}{Environment.NewLine}{report}{format.Describe()}");
        Assert.True(stale.Count == 0, $"Listed as not fixable but fixed or gone: {string.Join(", ", stale)}; remove them from NotFixableByFormat{Environment.NewLine}{report}");
    }

    private static string Explain(ConsumerProject project, SarifResult result, List<string> unexplained)
    {
        var key = Key(project, result);
        if (NotFixableByFormat.TryGetValue(key, out var reason))
        {
            return $"{key.File}:{result.StartLine} ({reason})";
        }

        unexplained.Add($"{result} [{key.Line}] fix properties: {result.CustomProperties?.ToJsonString() ?? "none"}");
        return $"{key.File}:{result.StartLine} (unexplained)";
    }

    private static (string Id, string File, string Line) Key(ConsumerProject project, SarifResult result)
    {
        var path = new Uri(result.Uri).LocalPath;
        var line = File.ReadAllLines(path)[result.StartLine - 1].Trim();
        return (result.RuleId, Path.GetRelativePath(project.ProjectDirectory, path).Replace(Path.DirectorySeparatorChar, '/'), line);
    }
}

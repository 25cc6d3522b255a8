using System.Text;
using Xunit.Abstractions;

namespace KafkaAnalyzers.PackageTests;

/// <summary>The packed code fixes, applied from the command line the way CI bots and users do.</summary>
[Collection(PackageTestCollection.Name)]
public sealed class CodeFixTests(PackageFeed feed, ITestOutputHelper output)
{
    /// <summary>How many times the format test runs dotnet format at most (see its remarks).</summary>
    private const int FormatRuns = 3;

    /// <summary>
    /// Findings in samples/AntiPatterns that keep their rule after <c>dotnet format analyzers</c>, by
    /// rule, file and the text of the flagged line, with the reason the fix cannot apply there. Every
    /// other finding of a rule with a fix must be gone.
    /// </summary>
    private static readonly Dictionary<(string Id, string File, string Line), string> NotFixableByFormat = new()
    {
        [("KAFKA301", "Payments/PaymentProducerFactory.cs", "settings[\"linger.msec\"] = \"5\";")] =
            "the package offers no fix there: 'linger.msec' is two edits from 'linger.ms', and keys shorter than 16 characters get a suggestion only one edit away, so the analyzer names no replacement key (KAFKA301 replaces a key only with a single near miss)",
        [("KAFKA114", "Replay/OrderReplayService.cs", "public Task StartAsync(CancellationToken cancellationToken) // ⚠ KAFKA114")] =
            "KAFKA114 has no fix for StartAsync (its page shows moving the loop to a BackgroundService); the ExecuteAsync form, which the fix serves, needs hosting older than 10.0: samples/AntiPatterns.Hosting9 shows it and Dotnet_format_applies_the_KAFKA114_fix_in_the_hosting_9_sample checks its fix",
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
    /// <remarks>
    /// One run of dotnet format fixes rule after rule in an order of its own. A fix that the analyzer
    /// offers only once another rule's fix has changed the configuration (KAFKA002's on a producer that
    /// also sets retries=0, until KAFKA009's fix removes that) is applied only if that other rule happened
    /// to run first. So the test runs dotnet format again, at most <see cref="FormatRuns"/> times in all,
    /// while fixable findings are left, as a user would, and reports which fixes needed a later run.
    /// </remarks>
    [Fact]
    public void Dotnet_format_fixes_every_fixable_rule_in_the_AntiPatterns_sample_and_the_result_builds()
    {
        var fixable = feed.Analyzers.FixableIds;
        Assert.Contains("KAFKA001", fixable);
        var project = ConsumerProject.FromSample(feed, "format-antipatterns", "AntiPatterns");
        var restore = project.Restore();
        Assert.True(restore.Succeeded, restore.Describe());
        // The findings before: the run's build of an untouched copy (SampleSarifTests checks it against the sample).
        var found = feed.BuiltSample("AntiPatterns").Log.KafkaResults.ToList();
        var notShown = fixable.Where(id => found.All(r => r.RuleId != id)).ToList();
        Assert.True(notShown.Count == 0, $"samples/AntiPatterns shows no finding of {string.Join(", ", notShown)}, so this test cannot check its fix: add one to the sample");

        var leftAfterRun = new List<List<SarifResult>>();
        var formats = new StringBuilder();
        var unexplained = new List<string>();
        for (var run = 1; run <= FormatRuns; run++)
        {
            var format = project.Cli(
                ["format", "analyzers", project.ProjectFile, "--diagnostics", .. fixable, "--severity", "info", "--no-restore", "--verbosity", "detailed"]);
            Assert.True(format.Succeeded, format.Describe());
            formats.AppendLine(format.Describe());
            var left = BuildAndLog(project, "after-run-" + run).Where(r => fixable.Contains(r.RuleId)).ToList();
            leftAfterRun.Add(left);
            unexplained = left.Where(r => !NotFixableByFormat.ContainsKey(Key(project, r)))
                .Select(r => $"{r} [{Key(project, r).Line}] fix properties: {r.CustomProperties?.ToJsonString() ?? "none"}")
                .ToList();
            output.WriteLine($"after run {run}: {unexplained.Count} fixable finding(s) left{string.Concat(unexplained.Select(u => Environment.NewLine + "  " + u))}");
            if (unexplained.Count == 0)
            {
                break;
            }
        }

        var final = leftAfterRun[^1];
        var report = new StringBuilder($"Rule      before  {string.Join("  ", leftAfterRun.Select((_, i) => $"run {i + 1}"))}  dotnet format").AppendLine();
        foreach (var id in fixable)
        {
            var counts = leftAfterRun.Select(left => left.Count(r => r.RuleId == id)).ToList();
            var firstClean = counts.FindIndex(count => count == 0);
            var outcome = firstClean switch
            {
                0 => "applied every fix",
                > 0 => $"applied every fix, the last in run {firstClean + 1}: offered only once an earlier run's fixes had changed the configuration",
                _ => "not applied: " + string.Join("; ", final.Where(r => r.RuleId == id).Select(r => $"{Key(project, r).File}:{r.StartLine} ({NotFixableByFormat.GetValueOrDefault(Key(project, r), "unexplained")})")),
            };
            report.AppendLine($"{id}  {found.Count(r => r.RuleId == id),6}  {string.Join("  ", counts.Select(c => $"{c,5}"))}  {outcome}");
        }

        var stale = NotFixableByFormat.Keys.Where(key => !final.Any(r => Key(project, r) == key)).ToList();
        output.WriteLine(report.ToString());
        Assert.True(unexplained.Count == 0, $"dotnet format left findings of rules that have a fix after {FormatRuns} runs:{Environment.NewLine}{string.Join(Environment.NewLine, unexplained)}{Environment.NewLine}{report}{formats}");
        Assert.True(stale.Count == 0, $"Listed as not fixable but fixed or gone: {string.Join(", ", stale)}; remove them from NotFixableByFormat{Environment.NewLine}{report}");
    }

    /// <summary>
    /// Issue 6's acceptance command, exactly: one run of <c>dotnet format analyzers --diagnostics KAFKA004
    /// KAFKA005 KAFKA006 KAFKA007</c> on a copy of samples/AntiPatterns leaves code that builds with none of
    /// those four rules. (dotnet format runs a provider's Fix All with the equivalence key of the first diagnostic
    /// it was asked about, of any of the four rules: a provider that dropped the other rule's diagnostics, or did
    /// nothing without a key, left KAFKA004 and KAFKA006 for a second run.)
    /// </summary>
    [Fact]
    public void One_dotnet_format_run_fixes_the_producer_call_site_rules_in_the_AntiPatterns_sample()
    {
        string[] ids = ["KAFKA004", "KAFKA005", "KAFKA006", "KAFKA007"];
        var project = ConsumerProject.FromSample(feed, "format-producer-call-sites", "AntiPatterns");
        var restore = project.Restore();
        Assert.True(restore.Succeeded, restore.Describe());
        var before = feed.BuiltSample("AntiPatterns").Log.KafkaResults.Where(r => ids.Contains(r.RuleId)).ToList();
        Assert.All(ids, id => Assert.Contains(before, r => r.RuleId == id));

        var format = project.Cli(["format", "analyzers", project.ProjectFile, "--diagnostics", .. ids, "--no-restore", "--verbosity", "detailed"]);
        Assert.True(format.Succeeded, format.Describe());

        var left = BuildAndLog(project, "after").Where(r => ids.Contains(r.RuleId)).Select(r => $"{r} [{Key(project, r).Line}]").ToList();
        Assert.True(left.Count == 0, $"after one dotnet format run:{Environment.NewLine}{string.Join(Environment.NewLine, left)}{Environment.NewLine}{format.Describe()}");
    }

    /// <summary>
    /// KAFKA114's fix for the ExecuteAsync form, on a copy of samples/AntiPatterns.Hosting9 (Microsoft.Extensions.Hosting
    /// 9.0, which the form needs): dotnet format inserts <c>await Task.Yield();</c> first in the flagged worker, the
    /// result builds without KAFKA114, and the safe worker is left as it was.
    /// </summary>
    [Fact]
    public void Dotnet_format_applies_the_KAFKA114_fix_in_the_hosting_9_sample()
    {
        var project = ConsumerProject.FromSample(feed, "format-hosting9", "AntiPatterns.Hosting9");
        var restore = project.Restore();
        Assert.True(restore.Succeeded, restore.Describe());
        var built = feed.BuiltSample("AntiPatterns.Hosting9");
        var flagged = Assert.Single(built.Log.KafkaResults, r => r.RuleId == "KAFKA114");
        Assert.Equal("Shipping/ShipmentEventsWorker.cs", built.Project.RelativePath(flagged));
        var worker = Path.Combine(project.ProjectDirectory, "Shipping", "ShipmentEventsWorker.cs");
        var safe = Path.Combine(project.ProjectDirectory, "Safe", "SafeShipmentEventsWorker.cs");
        var safeBefore = File.ReadAllText(safe);

        var format = project.Cli("format", "analyzers", project.ProjectFile, "--diagnostics", "KAFKA114", "--no-restore", "--verbosity", "detailed");
        Assert.True(format.Succeeded, format.Describe());

        var after = BuildAndLog(project, "after").Where(r => r.RuleId == "KAFKA114").Select(r => r.ToString()).ToList();
        Assert.True(after.Count == 0, string.Join(Environment.NewLine, after) + Environment.NewLine + format.Describe());
        var lines = File.ReadAllLines(worker).Select(l => l.Trim()).ToList();
        var execute = lines.FindIndex(l => l.StartsWith("protected override async Task ExecuteAsync", StringComparison.Ordinal));
        Assert.Equal(["{", "await Task.Yield();", "_consumer.Subscribe(\"shipments\");"], lines.Skip(execute + 1).Take(3));
        Assert.Equal(safeBefore, File.ReadAllText(safe));
    }

    /// <summary>Builds the formatted copy with a SARIF log and returns its KAFKA results; the build must succeed.</summary>
    private static IEnumerable<SarifResult> BuildAndLog(ConsumerProject project, string name)
        => project.BuildWithSarifLog(name).Log.KafkaResults;

    private static (string Id, string File, string Line) Key(ConsumerProject project, SarifResult result)
    {
        var line = File.ReadAllLines(new Uri(result.Uri).LocalPath)[result.StartLine - 1].Trim();
        return (result.RuleId, project.RelativePath(result), line);
    }
}

using System.IO.Compression;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// What a CI code-scanning dashboard receives: the compiler's SARIF 2.1 log of a fresh project that
/// references the packed package, built with the documented <c>-p:ErrorLog=kafka.sarif%2Cversion=2.1</c>.
/// </summary>
[Collection(PackageTestCollection.Name)]
public sealed class SarifTests(PackageFeed feed)
{
    [Fact]
    public async Task Build_writes_a_SARIF_2_1_log_with_each_KAFKA_finding_its_level_location_message_and_help_link()
    {
        var source = MarkedSource.Parse(ConsumerSources.FlaggedService);
        var project = ConsumerProject.Create(feed, "sarif", source.Text);
        var sarif = Path.Combine(project.RepositoryDirectory, "kafka.sarif");

        var build = project.Build($"-p:ErrorLog={sarif}%2Cversion=2.1");

        Assert.True(build.Succeeded, build.Describe());
        await AssertLogReportsExactly(SarifLog.Load(sarif), source, project, build, id => DefaultLevel(id));
    }

    [Fact]
    public async Task Strict_mode_logs_the_data_loss_findings_as_errors_and_the_log_is_written_although_the_build_fails()
    {
        var source = MarkedSource.Parse(ConsumerSources.FlaggedService);
        var project = ConsumerProject.Create(feed, "sarif-strict", source.Text, "<KafkaAnalyzersMode>strict</KafkaAnalyzersMode>");
        var sarif = Path.Combine(project.RepositoryDirectory, "kafka.sarif");

        var build = project.Build($"-p:ErrorLog={sarif}%2Cversion=2.1");

        Assert.False(build.Succeeded, build.Describe());
        var strict = StrictSeverities();
        Assert.Contains("KAFKA001", strict.Keys);
        await AssertLogReportsExactly(
            SarifLog.Load(sarif), source, project, build, id => strict.TryGetValue(id, out var severity) ? SarifLog.Level(severity) : DefaultLevel(id));
        Assert.Contains(SarifLog.Load(sarif).KafkaResults, r => r.Level == "error");
    }

    /// <summary>
    /// The KAFKA results are exactly the marked spans; each has the level expected, its location in
    /// Program.cs, the message the build printed and the packed analyzer gives, and a rule entry with the
    /// rule's title and help link.
    /// </summary>
    private async Task AssertLogReportsExactly(SarifLog log, MarkedSource source, ConsumerProject project, CliResult build, Func<string, string> expectedLevel)
    {
        Assert.Equal("2.1.0", log.Version);
        Assert.Contains("sarif-2.1.0", log.Schema, StringComparison.Ordinal);
        var reported = log.KafkaResults.Select(r => $"{r.RuleId} at {r.Region}").Order(StringComparer.Ordinal).ToList();
        var marked = source.Spans.Select(s => $"{s.Id} at {s.OneBased.Line}:{s.OneBased.Column}-{s.OneBased.EndLine}:{s.OneBased.EndColumn}").Order(StringComparer.Ordinal).ToList();
        Assert.True(
            marked.SequenceEqual(reported),
            $"Marked: {string.Join(", ", source.Spans)}{Environment.NewLine}In the SARIF log: {string.Join(", ", log.KafkaResults)}{Environment.NewLine}"
            + "A rule that now reports on this source needs its span marked {|ID:...|} in ConsumerSources.FlaggedService, if the finding is right.");

        var inProcess = await feed.Analyzers.AnalyzeAsync(source.Text, CancellationToken.None);
        foreach (var result in log.KafkaResults)
        {
            var descriptor = feed.Analyzers.Descriptor(result.RuleId);
            Assert.Equal(expectedLevel(result.RuleId), result.Level);
            Assert.Equal(new Uri(project.ProgramFile).AbsoluteUri, result.Uri);

            var expectedMessage = inProcess.Diagnostics.Single(d => d.Id == result.RuleId && d.Span.Start.Line + 1 == result.StartLine).Message;
            Assert.Equal(expectedMessage, result.Message);
            // dotnet build prints warnings and errors; an Info finding (level note) is in the log only (README "SARIF").
            if (result.Level == "note")
            {
                Assert.DoesNotContain(result.Message, build.Output, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains($"Program.cs({result.StartLine},{result.StartColumn}): {result.Level} {result.RuleId}: {result.Message}", build.Output, StringComparison.Ordinal);
            }

            Assert.Equal(result.RuleId, (string?)result.Rule["id"]);
            Assert.Equal(BuildInfo.HelpLink(result.RuleId), (string?)result.Rule["helpUri"]);
            Assert.Equal(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)result.Rule["shortDescription"]?["text"]);
            Assert.Equal(descriptor.Category, (string?)result.Rule["properties"]?["category"]);
        }
    }

    private string DefaultLevel(string id) => SarifLog.Level(feed.Analyzers.Descriptor(id).DefaultSeverity);

    /// <summary>The severities the packed strict preset sets (build/KafkaAnalyzers.strict.globalconfig).</summary>
    private Dictionary<string, string> StrictSeverities()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        var entry = zip.GetEntry("build/KafkaAnalyzers.strict.globalconfig") ?? throw new InvalidOperationException("the package has no strict preset");
        using var reader = new StreamReader(entry.Open());
        return RuleSeverities.Parse(reader.ReadToEnd());
    }
}

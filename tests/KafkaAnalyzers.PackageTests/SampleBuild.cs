using KafkaAnalyzers.Tests.Samples;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// A copy of one of the repository's samples, switched over to the packed package and built once per test run
/// with a SARIF 2.1 log, as a user's CI build would (<see cref="PackageFeed.BuiltSample"/>). Tests only read it:
/// the findings, where the sample announces them, and the severities its .editorconfig sets.
/// </summary>
internal sealed class SampleBuild
{
    private SampleBuild(string sample, ConsumerProject project, CliResult build, SarifLog log)
    {
        Sample = sample;
        Project = project;
        Build = build;
        Log = log;
        Annotations = SampleAnnotations.Read(project.ProjectDirectory);
        ConfiguredSeverities = RuleSeverities.OfEditorConfig(project.ProjectDirectory);
    }

    /// <summary>The folder name under samples/.</summary>
    public string Sample { get; }

    public ConsumerProject Project { get; }

    public CliResult Build { get; }

    public SarifLog Log { get; }

    /// <summary>The findings the sample's comments announce (the copy's sources are the sample's).</summary>
    public IReadOnlyList<AnnotatedFinding> Annotations { get; }

    /// <summary>The <c>dotnet_diagnostic.KAFKAnnn.severity</c> settings of the sample's .editorconfig.</summary>
    public IReadOnlyDictionary<string, string> ConfiguredSeverities { get; }

    public static SampleBuild Create(PackageFeed feed, string sample)
    {
        var project = ConsumerProject.FromSample(feed, "built-" + sample, sample);
        var restore = project.Restore();
        if (!restore.Succeeded)
        {
            throw new InvalidOperationException($"Restoring the copy of samples/{sample} failed. {restore.Describe()}");
        }

        var (build, log) = project.BuildWithSarifLog(sample);
        return new SampleBuild(sample, project, build, log);
    }
}

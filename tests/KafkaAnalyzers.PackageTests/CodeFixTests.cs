namespace KafkaAnalyzers.PackageTests;

/// <summary>The packed code fixes, applied from the command line the way CI bots and users do.</summary>
[Collection(PackageTestCollection.Name)]
public sealed class CodeFixTests(PackageFeed feed)
{
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
}

using System.Xml.Linq;

namespace KafkaAnalyzers.PackageTests;

/// <summary>What a user sees when building a project that references the package.</summary>
[Collection(PackageTestCollection.Name)]
public sealed class ConsumerBuildTests(PackageFeed feed)
{
    [Fact]
    public void Build_warns_KAFKA001_on_weak_acks_loads_cleanly_and_copies_no_analyzer_to_the_output()
    {
        var project = ConsumerProject.Create(feed, "warning", ConsumerSources.WeakAcksProducer);

        var build = project.Build();

        Assert.True(build.Succeeded, build.Describe());
        Assert.Contains(("warning", "KAFKA001"), ConsumerProject.KafkaDiagnostics(build));
        // On the line that sets the acks.
        Assert.Matches(@"Program\.cs\(6,\d+\): warning KAFKA001", build.Output);
        // The compiler loaded both packed assemblies and no analyzer threw.
        Assert.DoesNotContain("AD0001", build.Output);
        Assert.DoesNotContain("CS8032", build.Output);
        Assert.DoesNotContain("CS8033", build.Output);
        Assert.DoesNotContain("CS9057", build.Output);
        var output = Path.Combine(project.ProjectDirectory, "bin");
        Assert.True(File.Exists(Path.Combine(output, "Debug", "net10.0", "App.dll")), build.Describe());
        Assert.Empty(Directory.GetFiles(output, "KafkaAnalyzers*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Build_with_warnaserror_fails_on_KAFKA001()
    {
        var project = ConsumerProject.Create(feed, "warnaserror", ConsumerSources.WeakAcksProducer);

        var build = project.Build("-warnaserror");

        Assert.False(build.Succeeded, build.Describe());
        Assert.Contains(("error", "KAFKA001"), ConsumerProject.KafkaDiagnostics(build));
    }

    [Fact]
    public void Editorconfig_severity_none_silences_KAFKA001()
    {
        var project = ConsumerProject.Create(feed, "editorconfig-none", ConsumerSources.WeakAcksProducer);
        project.WriteRepositoryFile(".editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.KAFKA001.severity = none

            """);

        var build = project.Build();

        Assert.True(build.Succeeded, build.Describe());
        Assert.DoesNotContain("KAFKA001", build.Output);
        // The analyzers still ran: only the silenced rule is gone.
        Assert.Contains(("warning", "KAFKA002"), ConsumerProject.KafkaDiagnostics(build));
    }

    [Fact]
    public void Dotnet_add_package_references_it_as_a_private_development_dependency()
    {
        var project = ConsumerProject.Create(feed, "add-package", ConsumerSources.WeakAcksProducer, referenceAnalyzers: false);

        var add = project.Cli("add", project.ProjectFile, "package", PackageFeed.PackageId, "--version", feed.Version);

        Assert.True(add.Succeeded, add.Describe());
        var reference = XDocument.Load(project.ProjectFile).Descendants("PackageReference")
            .Single(e => (string?)e.Attribute("Include") == PackageFeed.PackageId);
        Assert.Equal("all", reference.Element("PrivateAssets")?.Value ?? (string?)reference.Attribute("PrivateAssets"));
    }
}

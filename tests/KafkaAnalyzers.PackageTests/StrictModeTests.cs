namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// <c>KafkaAnalyzersMode=strict</c> turns the data-loss rules into errors, wherever a repository sets
/// it: in the project file (evaluated after the package's props) or in Directory.Build.props
/// (evaluated before them).
/// </summary>
[Collection(PackageTestCollection.Name)]
public sealed class StrictModeTests(PackageFeed feed)
{
    private const string StrictProperty = "<KafkaAnalyzersMode>strict</KafkaAnalyzersMode>";

    [Fact]
    public void Strict_mode_in_the_project_file_fails_the_build_with_KAFKA001_as_an_error()
    {
        var project = ConsumerProject.Create(feed, "strict-project", ConsumerSources.WeakAcksProducer, StrictProperty);

        var build = project.Build();

        AssertFailsWithKafka001Error(build);
    }

    [Fact]
    public void Strict_mode_in_Directory_Build_props_fails_the_build_with_KAFKA001_as_an_error()
    {
        var project = ConsumerProject.Create(feed, "strict-directory-props", ConsumerSources.WeakAcksProducer);
        project.WriteRepositoryFile("Directory.Build.props", $"""
            <Project>
              <PropertyGroup>
                {StrictProperty}
              </PropertyGroup>
            </Project>

            """);

        var build = project.Build();

        AssertFailsWithKafka001Error(build);
    }

    [Fact]
    public void Editorconfig_still_overrides_strict_mode_for_one_rule()
    {
        var project = ConsumerProject.Create(feed, "strict-relaxed", ConsumerSources.WeakAcksProducer, StrictProperty);
        project.WriteRepositoryFile(".editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.KAFKA001.severity = warning
            dotnet_diagnostic.KAFKA002.severity = warning

            """);

        var build = project.Build();

        Assert.True(build.Succeeded, build.Describe());
        Assert.Contains(("warning", "KAFKA001"), ConsumerProject.KafkaDiagnostics(build));
        Assert.DoesNotContain(("error", "KAFKA001"), ConsumerProject.KafkaDiagnostics(build));
    }

    private static void AssertFailsWithKafka001Error(CliResult build)
    {
        Assert.False(build.Succeeded, build.Describe());
        var diagnostics = ConsumerProject.KafkaDiagnostics(build);
        Assert.Contains(("error", "KAFKA001"), diagnostics);
        Assert.DoesNotContain(("warning", "KAFKA001"), diagnostics);
    }
}

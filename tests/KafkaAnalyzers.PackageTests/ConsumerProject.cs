using System.Text.RegularExpressions;
using System.Xml.Linq;
using KafkaAnalyzers.Tests.Samples;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// A fresh console project (net10.0) that references Confluent.Kafka 2.16.0 and the packed
/// KafkaAnalyzers, in a repository-like folder of its own: <c>&lt;scenario&gt;/App/App.csproj</c>; or a
/// copy of one of the repository's samples switched over to the packed package.
/// </summary>
internal sealed partial class ConsumerProject
{
    /// <summary>The Confluent.Kafka every consumer project references (Directory.Packages.props pins the same).</summary>
    public const string ConfluentKafkaVersion = "2.16.0";

    private readonly PackageFeed _feed;

    private ConsumerProject(PackageFeed feed, string repositoryDirectory, string projectName = "App")
    {
        _feed = feed;
        RepositoryDirectory = repositoryDirectory;
        ProjectDirectory = Path.Combine(repositoryDirectory, projectName);
        ProjectFile = Path.Combine(ProjectDirectory, projectName + ".csproj");
    }

    /// <summary>The consumer's repository root: where its Directory.Build.props or .editorconfig go.</summary>
    public string RepositoryDirectory { get; }

    public string ProjectDirectory { get; }

    public string ProjectFile { get; }

    public string ProgramFile => Path.Combine(ProjectDirectory, "Program.cs");

    /// <param name="projectProperties">Extra MSBuild properties placed in the project file itself.</param>
    /// <param name="referenceAnalyzers">False leaves the analyzer package out (to add it with the CLI).</param>
    public static ConsumerProject Create(
        PackageFeed feed,
        string scenario,
        string programSource,
        string projectProperties = "",
        bool referenceAnalyzers = true)
    {
        var project = new ConsumerProject(feed, Path.Combine(feed.Root, scenario));
        if (Directory.Exists(project.RepositoryDirectory))
        {
            throw new InvalidOperationException($"Scenario folder {project.RepositoryDirectory} already exists");
        }

        Directory.CreateDirectory(project.ProjectDirectory);
        var analyzerReference = referenceAnalyzers
            ? $"""<PackageReference Include="{PackageFeed.PackageId}" Version="{feed.Version}" />"""
            : "";
        File.WriteAllText(project.ProjectFile, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {projectProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Confluent.Kafka" Version="{ConfluentKafkaVersion}" />
                {analyzerReference}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(project.ProgramFile, programSource);
        return project;
    }

    /// <summary>
    /// A copy of <c>samples/&lt;sample&gt;</c> (sources and .editorconfig, no build output) whose project
    /// references the packed KafkaAnalyzers instead of the analyzer and code-fix projects, with the package versions
    /// the repository pins centrally written into it.
    /// </summary>
    public static ConsumerProject FromSample(PackageFeed feed, string scenario, string sample)
    {
        var source = Path.Combine(BuildInfo.RepositoryRoot, "samples", sample);
        var project = new ConsumerProject(feed, Path.Combine(feed.Root, scenario), sample);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }

            var target = Path.Combine(project.ProjectDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var versions = XDocument.Load(Path.Combine(BuildInfo.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var projectXml = XDocument.Load(project.ProjectFile);
        var analyzerReferences = projectXml.Descendants("ProjectReference")
            .Where(e => ((string?)e.Attribute("Include"))?.EndsWith("KafkaAnalyzers.csproj", StringComparison.Ordinal) == true)
            .ToList();
        if (analyzerReferences.Count != 1)
        {
            throw new InvalidOperationException($"samples/{sample} does not reference the analyzer project exactly once");
        }

        foreach (var reference in projectXml.Descendants("PackageReference").Where(e => e.Attribute("Version") is null))
        {
            var id = (string)reference.Attribute("Include")!;
            if (reference.Attribute("VersionOverride") is { } versionOverride)
            {
                // A sample that pins another version on purpose (AntiPatterns.Hosting9: hosting 9.0) keeps it.
                reference.SetAttributeValue("Version", versionOverride.Value);
                versionOverride.Remove();
                continue;
            }

            reference.SetAttributeValue("Version", versions.TryGetValue(id, out var version) ? version : throw new InvalidOperationException($"Directory.Packages.props pins no version of {id}"));
        }

        analyzerReferences[0].ReplaceWith(new XElement("PackageReference", new XAttribute("Include", PackageFeed.PackageId), new XAttribute("Version", feed.Version)));

        // The package carries the code fixes too: a reference to the code-fix project (which the samples add so that
        // dotnet format can apply the fixes from source) would load the repository's build of them next to the packed ones.
        projectXml.Descendants("ProjectReference")
            .Where(e => ((string?)e.Attribute("Include"))?.EndsWith("KafkaAnalyzers.CodeFixes.csproj", StringComparison.Ordinal) == true)
            .Remove();

        // A reference to another sample (AntiPatterns builds AntiPatterns.Hosting9 so that one README command
        // shows both) is dropped: the copy is built and formatted alone, never the repository's other sample.
        projectXml.Descendants("ProjectReference")
            .Where(e => Path.GetFullPath(Path.Combine(source, ((string)e.Attribute("Include")!).Replace('\\', Path.DirectorySeparatorChar)))
                .StartsWith(Path.Combine(BuildInfo.RepositoryRoot, "samples") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Remove();

        // Other project references (the runtime library a safe variant uses) still point into the repository.
        foreach (var reference in projectXml.Descendants("ProjectReference"))
        {
            var include = ((string)reference.Attribute("Include")!).Replace('\\', Path.DirectorySeparatorChar);
            reference.SetAttributeValue("Include", Path.GetFullPath(Path.Combine(source, include)));
        }

        projectXml.Save(project.ProjectFile);
        return project;
    }

    /// <summary>Writes a file relative to the consumer's repository root.</summary>
    public void WriteRepositoryFile(string relativePath, string content)
        => File.WriteAllText(Path.Combine(RepositoryDirectory, relativePath), content);

    /// <summary>Restores the project (from the per-run feed) without building it.</summary>
    public CliResult Restore()
        => Cli("restore", ProjectFile, "-nodeReuse:false", "--disable-build-servers", "-tl:off");

    public CliResult Build(params string[] extraArguments)
        => Cli(["build", ProjectFile, "-nodeReuse:false", "--disable-build-servers", "-tl:off", .. extraArguments]);

    public CliResult Cli(params string[] arguments)
        => DotNetCli.Run(ProjectDirectory, _feed.PackagesDirectory, arguments);

    /// <summary>
    /// Builds (restored already) with the compiler's SARIF 2.1 log written to <c>&lt;name&gt;.sarif</c> in the repository
    /// folder; the build must succeed. Not incremental: when nothing changed since the last build the compiler would
    /// not run, and write no log.
    /// </summary>
    public (CliResult Build, SarifLog Log) BuildWithSarifLog(string name)
    {
        var log = Path.Combine(RepositoryDirectory, name + ".sarif");
        var build = Build("--no-restore", "--no-incremental", $"-p:ErrorLog={log}%2Cversion=2.1");
        return build.Succeeded ? (build, SarifLog.Load(log)) : throw new InvalidOperationException("The build failed. " + build.Describe());
    }

    /// <summary>The file of a result, relative to the project folder with '/' (as samples name their files).</summary>
    public string RelativePath(SarifResult result)
        => SampleAnnotations.RelativePath(ProjectDirectory, new Uri(result.Uri).LocalPath);

    /// <summary>The distinct (severity, id) pairs of KAFKA diagnostics that MSBuild printed.</summary>
    public static IReadOnlySet<(string Severity, string Id)> KafkaDiagnostics(CliResult result)
        => DiagnosticLine().Matches(result.Output)
            .Select(m => (m.Groups["severity"].Value, m.Groups["id"].Value))
            .ToHashSet();

    [GeneratedRegex(@"\): (?<severity>warning|error) (?<id>KAFKA\d{3}):")]
    private static partial Regex DiagnosticLine();
}

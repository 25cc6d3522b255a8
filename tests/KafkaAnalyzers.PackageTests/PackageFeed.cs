using System.Collections.Concurrent;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// Packs KafkaAnalyzers once per test run into a temporary local feed, under a version no earlier
/// run used, and lays out a temporary workspace where consumer projects restore from that feed.
/// </summary>
/// <remarks>
/// Staleness is impossible twice over: the version is unique, and consumer restores write into a
/// packages folder of this run's own. That folder falls back to the machine's global packages folder,
/// so Confluent.Kafka and librdkafka (150 MB) are read from there instead of being copied each run;
/// whatever is missing there is downloaded from the default source as usual.
/// </remarks>
public sealed class PackageFeed : IDisposable
{
    public const string PackageId = "KafkaAnalyzers";

    private readonly Lazy<PackedAnalyzers> _analyzers;
    private readonly ConcurrentDictionary<string, Lazy<SampleBuild>> _sampleBuilds = new(StringComparer.Ordinal);

    public PackageFeed()
    {
        _analyzers = new Lazy<PackedAnalyzers>(() => PackedAnalyzers.Load(PackagePath!, Path.Combine(Root!, "packed-analyzers")));
        Root = Path.Combine(Path.GetTempPath(), "kafka-analyzers-e2e-" + Guid.NewGuid().ToString("N"));
        FeedDirectory = Path.Combine(Root, "feed");
        PackagesDirectory = Path.Combine(Root, "packages");
        Version = "0.0.0-e2e.r" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(FeedDirectory);
        Directory.CreateDirectory(PackagesDirectory);
        WriteWorkspaceFiles();

        var pack = DotNetCli.Run(
            Root,
            PackagesDirectory,
            "pack", BuildInfo.PackageProject,
            "--configuration", BuildInfo.Configuration,
            // Built already: the test project references the package project for build order.
            "--no-build",
            "--output", FeedDirectory,
            $"-p:PackageVersion={Version}",
            // Keep the generated .nuspec out of the repository's obj folder.
            $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}{Path.DirectorySeparatorChar}",
            "-nodeReuse:false", "--disable-build-servers", "-tl:off");
        PackagePath = Path.Combine(FeedDirectory, $"{PackageId}.{Version}.nupkg");
        if (!pack.Succeeded || !File.Exists(PackagePath))
        {
            Dispose();
            throw new InvalidOperationException($"Packing {PackageId} failed or produced no {PackagePath}. {pack.Describe()}");
        }
    }

    /// <summary>The temporary workspace; consumer projects live in folders below it.</summary>
    public string Root { get; }

    public string FeedDirectory { get; }

    /// <summary>This run's own NuGet global packages folder (NUGET_PACKAGES of every dotnet process).</summary>
    public string PackagesDirectory { get; }

    /// <summary>A prerelease version unique to this run.</summary>
    public string Version { get; }

    public string PackagePath { get; }

    /// <summary>The packed analyzer and code-fix assemblies, loaded once per run.</summary>
    internal PackedAnalyzers Analyzers => _analyzers.Value;

    /// <summary>
    /// A copy of <c>samples/&lt;sample&gt;</c> built with the package and a SARIF log, once per run: the tests that
    /// read its findings share it instead of each paying for a build of their own.
    /// </summary>
    internal SampleBuild BuiltSample(string sample)
        => _sampleBuilds.GetOrAdd(sample, name => new Lazy<SampleBuild>(() => SampleBuild.Create(this, name))).Value;

    public void Dispose()
    {
        for (var attempt = 1; Directory.Exists(Root); attempt++)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }

    private void WriteWorkspaceFiles()
    {
        // nuget.config adds the local feed and keeps the default source (no <clear/>).
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="kafka-analyzers-e2e" value="{FeedDirectory}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{BuildInfo.NuGetPackageRoot}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        // Stop MSBuild and .editorconfig lookups here, so nothing above the temp folder leaks in.
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, ".editorconfig"), "root = true\n");
    }
}

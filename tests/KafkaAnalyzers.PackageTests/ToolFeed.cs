namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// Packs the kafka-dlq .NET tool once under a version unique to this run and installs it with
/// <c>dotnet tool install --tool-path</c> into a temporary folder, as a user would install it.
/// </summary>
public sealed class ToolFeed : IDisposable
{
    public const string PackageId = "KafkaAnalyzers.DeadLetterTool";
    public const string CommandName = "kafka-dlq";

    public ToolFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "kafka-dlq-e2e-" + Guid.NewGuid().ToString("N"));
        var feed = Path.Combine(Root, "feed");
        PackagesDirectory = Path.Combine(Root, "packages");
        ToolDirectory = Path.Combine(Root, "tools");
        Version = "0.0.0-e2e.r" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(PackagesDirectory);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");

        Pack = DotNetCli.Run(
            Root,
            PackagesDirectory,
            "pack", ProjectPath,
            "--configuration", BuildInfo.Configuration,
            // Built already: the test project references the tool project for build order.
            "--no-build",
            "--output", feed,
            $"-p:PackageVersion={Version}",
            $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}{Path.DirectorySeparatorChar}",
            "-nodeReuse:false", "--disable-build-servers", "-tl:off");
        PackagePath = Path.Combine(feed, $"{PackageId}.{Version}.nupkg");
        if (Pack.Succeeded && File.Exists(PackagePath))
        {
            Install = DotNetCli.Run(
                Root,
                PackagesDirectory,
                "tool", "install", PackageId,
                "--tool-path", ToolDirectory,
                "--add-source", feed,
                "--version", Version);
        }
    }

    public static string ProjectPath => Path.Combine(BuildInfo.RepositoryRoot, "src", "KafkaAnalyzers.DeadLetterTool", "KafkaAnalyzers.DeadLetterTool.csproj");

    public string Root { get; }

    public string PackagesDirectory { get; }

    public string ToolDirectory { get; }

    public string Version { get; }

    public string PackagePath { get; }

    internal CliResult Pack { get; }

    internal CliResult? Install { get; }

    /// <summary>The installed command (the shim dotnet tool install writes).</summary>
    public string Command => Path.Combine(ToolDirectory, OperatingSystem.IsWindows() ? CommandName + ".exe" : CommandName);

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
}

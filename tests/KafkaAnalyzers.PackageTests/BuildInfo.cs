using System.Reflection;

namespace KafkaAnalyzers.PackageTests;

/// <summary>Facts about the build that produced this test assembly (written in by the .csproj).</summary>
internal static class BuildInfo
{
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    /// <summary>The configuration the package project was built in (Release in CI).</summary>
    public static string Configuration => Metadata("Configuration");

    /// <summary>The machine's NuGet global packages folder the repository restored into.</summary>
    public static string NuGetPackageRoot => Metadata("NuGetPackageRoot");

    /// <summary>KafkaAnalyzersRepositoryUrl of Directory.Build.props: the repository URL, defined once.</summary>
    public static string RepositoryUrl => Metadata("KafkaAnalyzersRepositoryUrl");

    /// <summary>The help link every rule must carry: the docs page under the one repository URL.</summary>
    public static string HelpLink(string id) => $"{RepositoryUrl}/blob/main/docs/rules/{id}.md";

    public static string PackageProject
        => Path.Combine(RepositoryRoot, "src", "KafkaAnalyzers.Package", "KafkaAnalyzers.Package.csproj");

    private static string Metadata(string key)
    {
        var value = typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value;
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"AssemblyMetadata '{key}' is missing from the test assembly")
            : value;
    }
}

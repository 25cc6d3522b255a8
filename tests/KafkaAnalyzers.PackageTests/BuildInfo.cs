using System.Reflection;

namespace KafkaAnalyzers.PackageTests;

/// <summary>Facts about the build that produced this test assembly (written in by the .csproj).</summary>
internal static class BuildInfo
{
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    /// <summary>The configuration the package project was built in (Release in CI).</summary>
    public static string Configuration => Metadata("Configuration");

    public static string NuGetPackageRoot => Metadata("NuGetPackageRoot");

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

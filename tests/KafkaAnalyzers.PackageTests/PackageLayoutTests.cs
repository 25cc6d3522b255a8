using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace KafkaAnalyzers.PackageTests;

[Collection(PackageTestCollection.Name)]
public sealed class PackageLayoutTests(PackageFeed feed)
{
    private static readonly string[] AnalyzerAssemblies =
        ["analyzers/dotnet/cs/KafkaAnalyzers.CodeFixes.dll", "analyzers/dotnet/cs/KafkaAnalyzers.dll"];

    /// <summary>The Roslyn version the analyzers are compiled against (Directory.Packages.props).</summary>
    private static readonly Version RoslynFloor = new(4, 8, 0, 0);

    [Fact]
    public void Analyzers_folder_holds_exactly_the_analyzer_and_code_fix_assemblies()
    {
        var analyzerEntries = Entries().Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).Order();

        Assert.Equal(AnalyzerAssemblies, analyzerEntries);
    }

    [Fact]
    public void Package_has_no_lib_folder_and_no_Roslyn_assemblies()
    {
        var entries = Entries();

        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase)
                                            || e.StartsWith("ref/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, e => Path.GetFileName(e).StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Nuspec_is_a_development_dependency_without_dependencies()
    {
        var metadata = NuspecMetadata();

        Assert.Equal(PackageFeed.PackageId, Value(metadata, "id"));
        Assert.Equal(feed.Version, Value(metadata, "version"));
        Assert.Equal("true", Value(metadata, "developmentDependency"));
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void Readme_is_declared_and_packed()
    {
        var readme = Value(NuspecMetadata(), "readme");

        Assert.Equal("README.md", readme);
        Assert.NotNull(readme);
        Assert.Contains(readme, Entries());
        Assert.Contains("KafkaAnalyzers", ReadEntry(readme));
    }

    [Theory]
    [InlineData("build")]
    [InlineData("buildTransitive")]
    public void Props_is_named_after_the_package_id_and_its_globalconfig_is_packed_beside_it(string folder)
    {
        var propsEntry = $"{folder}/{PackageFeed.PackageId}.props";
        Assert.Contains(propsEntry, Entries());

        var configFiles = XDocument.Parse(ReadEntry(propsEntry)).Descendants()
            .Where(e => e.Name.LocalName == "GlobalAnalyzerConfigFiles")
            .Select(e => (string?)e.Attribute("Include"))
            .ToList();
        var include = Assert.Single(configFiles);
        Assert.NotNull(include);
        Assert.StartsWith("$(MSBuildThisFileDirectory)", include);

        var configEntry = folder + "/" + include["$(MSBuildThisFileDirectory)".Length..];
        Assert.Contains(configEntry, Entries());
        Assert.Contains("dotnet_diagnostic.KAFKA001.severity = error", ReadEntry(configEntry));
    }

    [Theory]
    [InlineData("analyzers/dotnet/cs/KafkaAnalyzers.dll")]
    [InlineData("analyzers/dotnet/cs/KafkaAnalyzers.CodeFixes.dll")]
    public void Packed_assemblies_reference_no_Roslyn_newer_than_the_floor(string entry)
    {
        using var stream = new MemoryStream(ReadEntryBytes(entry));
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var roslynReferences = reader.AssemblyReferences
            .Select(reader.GetAssemblyReference)
            .Select(r => (Name: reader.GetString(r.Name), r.Version))
            .Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .ToList();

        Assert.Contains(roslynReferences, r => r.Name == "Microsoft.CodeAnalysis");
        Assert.All(roslynReferences, r => Assert.True(
            r.Version <= RoslynFloor,
            $"{entry} references {r.Name} {r.Version}; hosts older than that cannot load it (floor {RoslynFloor})"));
    }

    private List<string> Entries()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    private XElement NuspecMetadata()
    {
        var nuspec = XDocument.Parse(ReadEntry(PackageFeed.PackageId + ".nuspec"));
        return nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name)
        => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    private string ReadEntry(string name)
    {
        using var reader = new StreamReader(new MemoryStream(ReadEntryBytes(name)));
        return reader.ReadToEnd();
    }

    private byte[] ReadEntryBytes(string name)
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"{feed.PackagePath} has no entry {name}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

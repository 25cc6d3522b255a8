using System.Collections.Immutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace KafkaAnalyzers.Tests.Meta.RealCode;

/// <summary>
/// Loads a checkout of a real project as one workspace solution without MSBuild: every .csproj under
/// the folder is a project of its .cs files (build output and nested projects left out) with its
/// project references, implicit usings, output kind and nullable setting read from the project file and
/// the Directory.Build.props above it. References are the test references (.NET 10, Confluent.Kafka,
/// Microsoft.Extensions.*) plus the package references found in the local NuGet cache; what is missing
/// simply leaves compiler errors, which the fix checks compare before and after.
/// </summary>
internal static class RealCodeLoader
{
    private static readonly string[] SdkUsings = { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" };

    private static readonly string[] WebUsings =
    {
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    };

    private static readonly string[] WorkerUsings = { "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging" };

    /// <summary>What a .NET 8+ build defines, so that <c>#if NET8_0_OR_GREATER</c> code is the code compiled.</summary>
    private static readonly string[] PreprocessorSymbols =
    {
        "RELEASE", "TRACE", "NET", "NETCOREAPP", "NET10_0", "NETCOREAPP3_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER",
        "NET5_0_OR_GREATER", "NET6_0_OR_GREATER", "NET7_0_OR_GREATER", "NET8_0_OR_GREATER", "NET9_0_OR_GREATER", "NET10_0_OR_GREATER",
    };

    private static readonly string[] FrameworkPreference = { "net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netstandard2.1", "netstandard2.0", "netstandard1.3" };

    public sealed record LoadedSolution(string Name, Solution Solution, int Documents);

    public static LoadedSolution Load(string root)
    {
        var projectFiles = Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !IsBuildOutput(p))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        var projectDirectories = projectFiles.Select(p => Path.GetDirectoryName(p)!).ToHashSet(StringComparer.Ordinal);
        var ids = projectFiles.ToDictionary(p => Path.GetFullPath(p), _ => ProjectId.CreateNewId(), StringComparer.Ordinal);
        var assemblyNames = projectFiles.ToDictionary(p => Path.GetFullPath(p), AssemblyName, StringComparer.Ordinal);
        var workspace = new AdhocWorkspace();
        var solution = workspace.CurrentSolution;
        var documents = 0;
        foreach (var projectFile in projectFiles)
        {
            var fullPath = Path.GetFullPath(projectFile);
            var directory = Path.GetDirectoryName(fullPath)!;
            var text = File.ReadAllText(fullPath) + string.Concat(BuildPropsAbove(directory, root).Select(File.ReadAllText));
            var document = TryParse(File.ReadAllText(fullPath));
            var projectReferences = ProjectReferences(document, directory).Where(ids.ContainsKey).ToList();
            var fromSource = SourceAssemblies(fullPath, ids, assemblyNames, new HashSet<string>(StringComparer.Ordinal));
            var sdk = document?.Root?.Attribute("Sdk")?.Value ?? string.Empty;
            var isExe = Regex.IsMatch(text, @"<OutputType>\s*(Exe|WinExe)\s*</OutputType>", RegexOptions.IgnoreCase)
                        || sdk.Contains("Web", StringComparison.Ordinal) || sdk.Contains("Worker", StringComparison.Ordinal);
            var nullable = Regex.IsMatch(text, @"<Nullable>\s*enable\s*</Nullable>", RegexOptions.IgnoreCase);
            var implicitUsings = Regex.IsMatch(text, @"<ImplicitUsings>\s*(enable|true)\s*</ImplicitUsings>", RegexOptions.IgnoreCase);

            var references = References(text, sdk, fromSource);
            var projectId = ids[fullPath];
            solution = solution.AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Create(),
                Path.GetFileNameWithoutExtension(fullPath),
                assemblyNames[fullPath],
                LanguageNames.CSharp,
                filePath: fullPath,
                compilationOptions: new CSharpCompilationOptions(
                    isExe ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                    nullableContextOptions: nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable,
                    allowUnsafe: true),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: PreprocessorSymbols),
                metadataReferences: references,
                projectReferences: projectReferences.Select(p => new ProjectReference(ids[p]))));

            foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (IsBuildOutput(file) || BelongsToNestedProject(file, directory, projectDirectories))
                {
                    continue;
                }

                solution = solution.AddDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(file), SourceText.From(File.ReadAllText(file)), filePath: file);
                documents++;
            }

            if (implicitUsings)
            {
                var usings = SdkUsings.Concat(sdk.Contains("Web", StringComparison.Ordinal) ? WebUsings : sdk.Contains("Worker", StringComparison.Ordinal) ? WorkerUsings : Array.Empty<string>());
                var global = string.Concat(usings.Select(u => $"global using global::{u};\n"));
                solution = solution.AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.g.cs", SourceText.From(global), filePath: Path.Combine(directory, "obj", "GlobalUsings.g.cs"));
            }
        }

        return new LoadedSolution(Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), solution, documents);
    }

    private static bool IsBuildOutput(string path)
        => path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules");

    private static bool BelongsToNestedProject(string file, string projectDirectory, HashSet<string> projectDirectories)
    {
        for (var directory = Path.GetDirectoryName(file); directory is not null && directory.Length > projectDirectory.Length; directory = Path.GetDirectoryName(directory))
        {
            if (projectDirectories.Contains(directory))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> BuildPropsAbove(string directory, string root)
    {
        for (var current = directory; current is not null && current.Length >= Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar).Length; current = Path.GetDirectoryName(current))
        {
            var props = Path.Combine(current, "Directory.Build.props");
            if (File.Exists(props))
            {
                yield return props;
            }
        }
    }

    private static XDocument? TryParse(string xml)
    {
        try
        {
            return XDocument.Parse(xml);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static string AssemblyName(string projectFile)
    {
        var name = TryParse(File.ReadAllText(projectFile))?.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value;
        return string.IsNullOrWhiteSpace(name) || name.Contains('$', StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(projectFile) : name.Trim();
    }

    private static IEnumerable<string> ProjectReferences(XDocument? project, string directory)
        => project?.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
               .Select(e => e.Attribute("Include")?.Value)
               .OfType<string>()
               .Select(include => Path.GetFullPath(Path.Combine(directory, include.Replace('\\', Path.DirectorySeparatorChar))))
           ?? Enumerable.Empty<string>();

    /// <summary>
    /// The assemblies the project builds or references as projects of the checkout (directly or not), e.g.
    /// Confluent.Kafka and Confluent.SchemaRegistry in the client's own repository: the test references and
    /// packages of the same name are left out, or every type in them would exist twice and calls using one
    /// would not bind.
    /// </summary>
    private static HashSet<string> SourceAssemblies(string project, Dictionary<string, ProjectId> ids, Dictionary<string, string> assemblyNames, HashSet<string> seen)
    {
        var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { assemblyNames[project] };
        if (!seen.Add(project))
        {
            return result;
        }

        var directory = Path.GetDirectoryName(project)!;
        foreach (var reference in ProjectReferences(TryParse(File.ReadAllText(project)), directory).Where(ids.ContainsKey))
        {
            result.UnionWith(SourceAssemblies(reference, ids, assemblyNames, seen));
        }

        return result;
    }

    private static ImmutableArray<MetadataReference> References(string projectText, string sdk, HashSet<string> fromSource)
    {
        var references = TestReferences.All
            .Where(r => !fromSource.Contains(Path.GetFileNameWithoutExtension(r.Display ?? string.Empty)))
            .ToList();
        var seen = references.OfType<PortableExecutableReference>().Select(r => Path.GetFileName(r.FilePath ?? r.Display ?? string.Empty)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var packages = Regex.Matches(projectText, @"<PackageReference\s+(?:Include|Update)=""(?<id>[^""]+)""")
            .Select(m => m.Groups["id"].Value)
            .Where(id => !fromSource.Contains(id));
        if (sdk.Contains("Web", StringComparison.Ordinal))
        {
            packages = packages.Append("Microsoft.AspNetCore.App.Ref");
        }

        foreach (var dll in packages.SelectMany(id => PackageAssemblies(id, new HashSet<string>(StringComparer.OrdinalIgnoreCase))))
        {
            if (!fromSource.Contains(Path.GetFileNameWithoutExtension(dll)) && seen.Add(Path.GetFileName(dll)))
            {
                references.Add(MetadataReference.CreateFromFile(dll));
            }
        }

        return references.ToImmutableArray();
    }

    /// <summary>The assemblies of a package in the local NuGet cache (highest version, best framework), with its dependencies.</summary>
    private static IEnumerable<string> PackageAssemblies(string id, HashSet<string> visited)
    {
        if (!visited.Add(id))
        {
            yield break;
        }

        var packageDirectory = Path.Combine(TestEnvironment.NuGetPackageRoot, id.ToLowerInvariant());
        if (!Directory.Exists(packageDirectory))
        {
            yield break;
        }

        var version = Directory.GetDirectories(packageDirectory).OrderByDescending(v => Version.TryParse(Path.GetFileName(v).Split('-')[0], out var parsed) ? parsed : new Version(0, 0)).FirstOrDefault();
        if (version is null)
        {
            yield break;
        }

        foreach (var folder in new[] { "ref", "lib" })
        {
            var frameworks = Path.Combine(version, folder);
            var best = FrameworkPreference.Select(f => Path.Combine(frameworks, f)).FirstOrDefault(Directory.Exists);
            if (best is not null)
            {
                foreach (var dll in Directory.GetFiles(best, "*.dll"))
                {
                    yield return dll;
                }

                break;
            }
        }

        var nuspec = Directory.GetFiles(version, "*.nuspec").FirstOrDefault();
        var dependencies = nuspec is null ? null : TryParse(File.ReadAllText(nuspec))?.Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => e.Attribute("id")?.Value)
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var dependency in dependencies ?? Enumerable.Empty<string>())
        {
            foreach (var dll in PackageAssemblies(dependency, visited))
            {
                yield return dll;
            }
        }
    }
}

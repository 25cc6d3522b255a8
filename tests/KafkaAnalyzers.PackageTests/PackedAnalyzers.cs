using System.Collections.Immutable;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace KafkaAnalyzers.PackageTests;

/// <summary>A KAFKA diagnostic the packed analyzers report in-process.</summary>
internal sealed record ReportedDiagnostic(string Id, LinePositionSpan Span, DiagnosticSeverity Severity, string Message);

/// <summary>A code fix the package offers at one diagnostic, and the document text it produces.</summary>
internal sealed record OfferedFix(string DiagnosticId, LinePositionSpan Span, string Title, string FixedText);

/// <summary>What a host that runs the package's analyzers and code fixes shows for one document.</summary>
internal sealed record PackedAnalysis(IReadOnlyList<ReportedDiagnostic> Diagnostics, IReadOnlyList<OfferedFix> Fixes);

/// <summary>
/// The analyzer and code-fix assemblies exactly as packed in the .nupkg, loaded the way an IDE host
/// loads an analyzer package: every analyzer and every exported code fix, found by reflection, so a new
/// rule or fix is covered without touching the tests.
/// </summary>
internal sealed class PackedAnalyzers
{
    private const string AnalyzersFolder = "analyzers/dotnet/cs/";

    private PackedAnalyzers(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> codeFixes)
    {
        Analyzers = analyzers;
        CodeFixes = codeFixes;
        Descriptors = analyzers.SelectMany(a => a.SupportedDiagnostics)
            .GroupBy(d => d.Id, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        FixableIds = codeFixes.SelectMany(f => f.FixableDiagnosticIds).ToImmutableSortedSet(StringComparer.Ordinal);
    }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    /// <summary>The exported code fixes (what a host's code-fix service picks up).</summary>
    public ImmutableArray<CodeFixProvider> CodeFixes { get; }

    /// <summary>Every rule some packed analyzer reports, ordered by ID.</summary>
    public ImmutableArray<DiagnosticDescriptor> Descriptors { get; }

    /// <summary>The rules some exported code fix lists in FixableDiagnosticIds.</summary>
    public ImmutableSortedSet<string> FixableIds { get; }

    public DiagnosticDescriptor Descriptor(string id)
        => Descriptors.SingleOrDefault(d => d.Id == id)
           ?? throw new InvalidOperationException($"No packed analyzer reports {id}; packed rules: {string.Join(", ", Descriptors.Select(d => d.Id))}");

    /// <summary>Extracts the packed assemblies into <paramref name="directory"/> and loads them in a context of their own.</summary>
    public static PackedAnalyzers Load(string packagePath, string directory)
    {
        Directory.CreateDirectory(directory);
        using (var zip = ZipFile.OpenRead(packagePath))
        {
            foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(AnalyzersFolder, StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal)))
            {
                entry.ExtractToFile(Path.Combine(directory, entry.Name));
            }
        }

        var context = new PackedAnalyzerLoadContext(directory);
        var assemblies = Directory.GetFiles(directory, "*.dll").Order(StringComparer.Ordinal).Select(context.LoadFromAssemblyPath).ToList();
        var types = assemblies.SelectMany(a => a.GetTypes()).Where(t => !t.IsAbstract).ToList();

        var analyzers = types
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                        && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is { } attribute
                        && attribute.Languages.Contains(LanguageNames.CSharp))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var codeFixes = types
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t)
                        && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is { } export
                        && export.Languages.Contains(LanguageNames.CSharp))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        if (analyzers.IsEmpty || codeFixes.IsEmpty)
        {
            throw new InvalidOperationException($"{packagePath} yielded {analyzers.Length} analyzers and {codeFixes.Length} code fixes from {AnalyzersFolder}");
        }

        return new PackedAnalyzers(analyzers, codeFixes);
    }

    /// <summary>
    /// The KAFKA diagnostics of a one-file console app referencing Confluent.Kafka, and the fixes a host
    /// that runs the package's code fixes (Visual Studio, the Roslyn language server, dotnet format)
    /// offers for each: title and resulting text.
    /// </summary>
    public async Task<PackedAnalysis> AnalyzeAsync(string source, CancellationToken cancellationToken)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Create(),
                "App",
                "App",
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: References()))
            .AddDocument(DocumentInfo.Create(
                DocumentId.CreateNewId(projectId), "GlobalUsings.g.cs", loader: TextLoader.From(TextAndVersion.Create(SourceText.From(ImplicitUsings), VersionStamp.Create()))))
            .AddDocument(documentId, "Program.cs", SourceText.From(source), filePath: "/App/Program.cs");
        var document = solution.GetDocument(documentId)!;
        var compilation = (await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The source does not compile: " + string.Join(Environment.NewLine, errors));
        }

        var diagnostics = await compilation.WithAnalyzers(Analyzers, options: null)
            .GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        var kafka = diagnostics.Where(d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal)).OrderBy(d => d.Location.SourceSpan.Start).ToList();
        var offered = new List<OfferedFix>();
        foreach (var diagnostic in kafka)
        {
            foreach (var fix in CodeFixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                await fix.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                foreach (var action in actions.SelectMany(a => a.NestedActions.IsEmpty ? [a] : a.NestedActions))
                {
                    var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
                    var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(documentId)!;
                    var text = await changed.GetTextAsync(cancellationToken).ConfigureAwait(false);
                    offered.Add(new OfferedFix(diagnostic.Id, diagnostic.Location.GetLineSpan().Span, action.Title, text.ToString()));
                }
            }
        }

        return new PackedAnalysis(
            kafka.Select(d => new ReportedDiagnostic(d.Id, d.Location.GetLineSpan().Span, d.Severity, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))).ToList(),
            offered);
    }

    /// <summary>The running framework's assemblies and the Confluent.Kafka the repository restored.</summary>
    private static IEnumerable<MetadataReference> References()
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var kafka = Path.Combine(BuildInfo.NuGetPackageRoot, "confluent.kafka", ConsumerProject.ConfluentKafkaVersion, "lib", "net10.0", "Confluent.Kafka.dll");
        return Directory.GetFiles(framework, "*.dll")
            .Where(path => !Path.GetFileName(path).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .Append(kafka)
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    /// <summary>What ImplicitUsings=enable adds to a console project.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;

        """;

    /// <summary>Loads the packed assemblies from their folder; Roslyn itself comes from the test host.</summary>
    private sealed class PackedAnalyzerLoadContext(string directory) : AssemblyLoadContext("packed KafkaAnalyzers")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var candidate = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}

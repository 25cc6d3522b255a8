using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace KafkaAnalyzers.Benchmarks;

/// <summary>
/// A project of your own, compiled exactly as its build compiles it: MSBuild is asked for the
/// compiler's command line (<c>ProvideCommandLineArgs</c>, without running the compiler), which
/// gives its files, references, options, .editorconfig/.globalconfig files and source generators.
/// Its own analyzers are not run (the benchmark compares the compiler, NetAnalyzers and
/// KafkaAnalyzers); its source generators are, once, before measuring.
/// </summary>
internal static class RealProject
{
    public static (Compilation Compilation, AnalyzerOptions Options, int Lines, int Files) Load(string projectPath, string? targetFramework, IReadOnlyList<string> msbuildArgs)
    {
        var arguments = new List<string>
        {
            "msbuild", projectPath, "-restore", "-nologo", "-v:q", "-t:Compile",
            "-p:Configuration=Release", "-p:ProvideCommandLineArgs=true", "-p:SkipCompilerExecution=true",
            // CoreCompile is skipped when the project is up to date, and then gives no command line: a
            // non-existent input (what Visual Studio's design-time builds use) makes it run.
            "-p:NonExistentFile=__NonExistentSubDir__/__NonExistentFile__",
            "-getItem:CscCommandLineArgs",
        };
        if (targetFramework is not null)
        {
            arguments.Add("-p:TargetFramework=" + targetFramework);
        }

        arguments.AddRange(msbuildArgs);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var jsonStart = output.IndexOf('{', StringComparison.Ordinal);
        if (process.ExitCode != 0 || jsonStart < 0)
        {
            throw new InvalidOperationException($"MSBuild could not give the compiler arguments of {projectPath} (exit {process.ExitCode}); build it once with `dotnet build` first.\n{output}\n{error}");
        }

        using var json = JsonDocument.Parse(output[jsonStart..]);
        var args = json.RootElement.GetProperty("Items").GetProperty("CscCommandLineArgs").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!)
            .ToList();
        var directory = Path.GetDirectoryName(Path.GetFullPath(projectPath))!;
        var parsed = CSharpCommandLineParser.Default.Parse(args, directory, sdkDirectory: null);
        if (parsed.Errors.Any(e => e.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException("compiler arguments: " + string.Join("; ", parsed.Errors));
        }

        var trees = parsed.SourceFiles
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.OpenRead(f.Path), canBeEmbedded: false), parsed.ParseOptions, f.Path))
            .ToList();
        var configs = parsed.AnalyzerConfigPaths
            .Select(p => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(p)), p))
            .ToImmutableArray();
        var configSet = AnalyzerConfigSet.Create(configs);
        var treeOptions = new TreeOptions(configSet, trees);
        var references = parsed.MetadataReferences
            .Select(r => (MetadataReference)MetadataReference.CreateFromFile(r.Reference, r.Properties))
            .ToList();
        var compilationOptions = parsed.CompilationOptions
            .WithConcurrentBuild(false)
            .WithSyntaxTreeOptionsProvider(treeOptions)
            .WithSpecificDiagnosticOptions(parsed.CompilationOptions.SpecificDiagnosticOptions);
        Compilation compilation = CSharpCompilation.Create(parsed.CompilationName ?? Path.GetFileNameWithoutExtension(projectPath), trees, references, compilationOptions);

        // Source generators (System.Text.Json, logging, regex...) produce code the project needs.
        var loader = new AssemblyLoader();
        var generators = parsed.AnalyzerReferences
            .SelectMany(r => new AnalyzerFileReference(Path.GetFullPath(r.FilePath, directory), loader).GetGenerators(LanguageNames.CSharp))
            .ToImmutableArray();
        if (!generators.IsEmpty)
        {
            var driver = CSharpGeneratorDriver.Create(generators, parseOptions: (CSharpParseOptions)parsed.ParseOptions, optionsProvider: treeOptions);
            driver.RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
        }

        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, treeOptions);
        return (compilation, options, trees.Sum(t => t.GetText().Lines.Count), trees.Count);
    }

    /// <summary>The project's .editorconfig and .globalconfig settings, as the build hands them to the compiler.</summary>
    private sealed class TreeOptions : AnalyzerConfigOptionsProvider
    {
        private readonly AnalyzerConfigSet _set;
        private readonly Dictionary<SyntaxTree, AnalyzerConfigOptionsResult> _results;
        private readonly DictionaryOptions _global;

        public TreeOptions(AnalyzerConfigSet set, IEnumerable<SyntaxTree> trees)
        {
            _set = set;
            _results = trees.ToDictionary(t => t, t => set.GetOptionsForSourcePath(t.FilePath));
            _global = new DictionaryOptions(set.GlobalConfigOptions.AnalyzerOptions);
        }

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree)
            => new DictionaryOptions(Result(tree).AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => new DictionaryOptions(_set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);

        private AnalyzerConfigOptionsResult Result(SyntaxTree tree)
            => _results.TryGetValue(tree, out var result) ? result : _set.GetOptionsForSourcePath(tree.FilePath);

        public static implicit operator SyntaxTreeOptionsProvider(TreeOptions options) => new Severities(options);

        private sealed class Severities : SyntaxTreeOptionsProvider
        {
            private readonly TreeOptions _options;

            public Severities(TreeOptions options) => _options = options;

            public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
                => _options.Result(tree).AnalyzerOptions.TryGetValue("generated_code", out var value) && bool.TryParse(value, out var generated)
                    ? (generated ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated)
                    : GeneratedKind.Unknown;

            public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
                => _options.Result(tree).TreeOptions.TryGetValue(diagnosticId, out severity);

            public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
                => _options._set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
        }
    }

    private sealed class DictionaryOptions : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public DictionaryOptions(ImmutableDictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value)
        {
            if (_values.TryGetValue(key, out var found))
            {
                value = found;
                return true;
            }

            value = string.Empty;
            return false;
        }
    }
}

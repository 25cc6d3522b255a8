using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace KafkaAnalyzers.Tests.Meta.Mutation;

/// <summary>
/// Every Kafka source of the repository (<see cref="KafkaSourceCorpus"/>: the analyzer tests' sources,
/// the rule pages' examples, the samples) as written and in mutated variants, each compiled and run
/// through every analyzer (exceptions reported, none allowed) and every registered fix.
/// </summary>
internal sealed class MutationHarness
{
    private readonly HarnessSettings _settings;
    private readonly HarnessTally _tally = new();
    /// <summary>The shipped analyzers, and the probe that asks the shared models what rules may ask later.</summary>
    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers = KafkaAssemblies.CreateAnalyzers().Add(new ModelProbe());
    private readonly ImmutableArray<CodeFixProvider> _fixes = KafkaAssemblies.CreateCodeFixes();
    private readonly ConcurrentDictionary<(bool, OutputKind, bool, int), Task<(Solution Solution, ProjectId Project)>> _templates = new();

    private readonly HashSet<string> _printed = new(StringComparer.Ordinal);
    private int _failuresSeen;

    public MutationHarness(HarnessSettings settings) => _settings = settings;

    public HarnessTally Tally => _tally;

    // ---- variants ------------------------------------------------------------------------------

    /// <summary>Each source as written, then its share of the mutants, all drawn from the seed.</summary>
    public IEnumerable<Variant> Variants(IReadOnlyList<KafkaSource> sources)
    {
        var optionSets = OptionSets();
        var mutator = new Mutator(_settings);
        // A source's share of the mutants grows with the square root of its length: a sample service
        // file has more places to break than a ten-line test source, but not a hundred times more.
        var totalWeight = sources.Sum(s => Math.Sqrt(s.Text.Length));
        foreach (var source in sources)
        {
            var perSource = _settings.Mutants * Math.Sqrt(source.Text.Length) / Math.Max(1, totalWeight);
            var random = new Random(StableHash(_settings.Seed, source.Origin));
            var original = new Variant(
                source.Origin,
                ImmutableArray.Create(MutationKind.Original),
                ImmutableArray.Create(new VariantFile("/src/Source.cs", source.Text)),
                ReferenceKafka: true,
                HasTopLevelStatements(source.Text) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                Nullable: true,
                string.Empty,
                ImmutableDictionary<string, string>.Empty);
            yield return original;

            var count = (int)perSource + (random.NextDouble() < perSource - Math.Floor(perSource) ? 1 : 0);
            for (var i = 0; i < count; i++)
            {
                // Nullable analysis costs a quarter of the binding and changes no operation tree: on for a quarter of the mutants.
                var variant = original with { Nullable = random.Next(4) == 0 };
                if (random.Next(3) == 0)
                {
                    var (name, options) = optionSets[random.Next(optionSets.Count)];
                    variant = variant with { OptionsName = name, Options = options };
                }

                var stacked = random.Next(1, _settings.MaxStackedMutations + 1);
                for (var attempts = 0; attempts < stacked * 4 && variant.Kinds.Count(k => k != MutationKind.Original) < stacked; attempts++)
                {
                    var kind = Mutator.Mutations[random.Next(Mutator.Mutations.Length)];
                    variant = mutator.Apply(kind, variant, random) ?? variant;
                }

                if (variant.IsMutated)
                {
                    yield return variant;
                }
            }
        }
    }

    /// <summary>
    /// .editorconfig options a variant may run with: every ini block of the rule pages, every sample's
    /// .editorconfig, and values a user may get wrong (empty, stray commas, odd globs and method names).
    /// </summary>
    public static IReadOnlyList<(string Name, ImmutableDictionary<string, string> Options)> OptionSets()
    {
        var sets = new List<(string, ImmutableDictionary<string, string>)>();
        foreach (var page in DocsExamples.AllPages())
        {
            foreach (var block in page.CodeBlocks.Where(b => b.Language == "ini"))
            {
                var (options, _) = DocsExamples.ParseEditorConfig(block.Text);
                if (options.Count > 0)
                {
                    sets.Add(($"{Path.GetFileName(page.Path)} ini block", options.ToImmutableDictionary()));
                }
            }
        }

        foreach (var (name, _, editorConfig) in KafkaSourceCorpus.SampleProjects())
        {
            var (options, _) = DocsExamples.ParseEditorConfig(editorConfig);
            if (options.Count > 0)
            {
                sets.Add(($"{name}/.editorconfig", options.ToImmutableDictionary()));
            }
        }

        const string Lossy = KafkaAnalyzers.Model.KafkaAnalyzerOptions.LossyTopicsKey;
        const string DeadLetter = KafkaAnalyzers.Model.KafkaAnalyzerOptions.DeadLetterMethodsKey;
        sets.Add(("empty values", ImmutableDictionary<string, string>.Empty.Add(Lossy, string.Empty).Add(DeadLetter, string.Empty)));
        sets.Add(("every topic lossy", ImmutableDictionary<string, string>.Empty.Add(Lossy, "*")));
        sets.Add(("odd globs", ImmutableDictionary<string, string>.Empty.Add(Lossy, ",, ** , ?, *?*?*?*?*?*?*?*?*?*?*?*?*, [a-z]+, \\*, orders")));
        sets.Add(("odd method names", ImmutableDictionary<string, string>.Empty.Add(DeadLetter, "..., Send(, global::A.B.C, <>, A..B, M`1, Dlq.Send, ,")));
        return sets;
    }

    private static bool HasTopLevelStatements(string text)
        => ((CompilationUnitSyntax)AnalysisRunner.Parse(text).GetRoot()).Members.Any(m => m is GlobalStatementSyntax);

    /// <summary>FNV-1a over the origin, so a source's variants do not change when other sources come and go.</summary>
    private static int StableHash(int seed, string text)
    {
        unchecked
        {
            var hash = 2166136261u ^ (uint)seed;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)hash;
        }
    }

    // ---- running -------------------------------------------------------------------------------

    /// <summary>Runs every variant; every <see cref="HarnessSettings.ProgressEvery"/> variants, hands <paramref name="progress"/> a line with the counts so far.</summary>
    public async Task RunAsync(IEnumerable<Variant> variants, long expected = 0, Action<string>? progress = null)
    {
        var done = 0L;
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            variants,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (variant, _) =>
            {
                await RunOneAsync(variant);
                var count = Interlocked.Increment(ref done);
                if (progress is not null && _settings.ProgressEvery > 0)
                {
                    PrintNewFailures(progress);
                    if (count % _settings.ProgressEvery == 0)
                    {
                        progress(_tally.ProgressLine(count, expected, stopwatch.Elapsed));
                    }
                }
            });
    }

    /// <summary>Each failure signature once, when first seen, with its variant written out: a stopped long run keeps what it found.</summary>
    private void PrintNewFailures(Action<string> progress)
    {
        if (_tally.Failures.Count == Volatile.Read(ref _failuresSeen))
        {
            return;
        }

        lock (_printed)
        {
            foreach (var failure in _tally.Failures.Skip(_failuresSeen))
            {
                _failuresSeen++;
                if (_printed.Add(failure.Signature))
                {
                    var where = failure.Variant is { } variant ? $" on {variant.Describe()}; files in {HarnessTally.WriteOut(variant)}" : string.Empty;
                    progress($"mutation-harness failure: {failure.Signature}{where}");
                }
            }
        }
    }

    public async Task RunOneAsync(Variant variant)
    {
        foreach (var kind in variant.Kinds)
        {
            _tally.VariantsByKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }

        using var timeout = new CancellationTokenSource(_settings.VariantTimeout);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var (solution, compilation) = await CreateAsync(variant, timeout.Token);
            var run = await AnalysisRunner.RunAsync(compilation, _analyzers, variant.Options, concurrent: variant.Origin.Length % 2 == 0, cancellationToken: timeout.Token);
            _tally.Compiled();
            _tally.Timed("analysis", variant, stopwatch.Elapsed);
            stopwatch.Restart();
            foreach (var failure in run.AnalyzerFailures)
            {
                _tally.AnalyzerThrew(failure, variant);
            }

            var diagnostics = run.RuleDiagnostics.ToImmutableArray();
            foreach (var diagnostic in diagnostics)
            {
                _tally.Reported(diagnostic.Id, variant.IsMutated);
            }

            if (!variant.ReferenceKafka && diagnostics.Length > 0)
            {
                _tally.Failed("reported without Confluent.Kafka", string.Join(", ", diagnostics.Select(d => d.Id).Distinct()), string.Join("\n", diagnostics), variant);
            }

            await new FixRunner(_fixes, _tally).RunAsync(solution, diagnostics, variant, timeout.Token);
            _tally.Timed("fixes", variant, stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            _tally.Failed("timeout", $"no result within {_settings.VariantTimeout.TotalSeconds} s", "analysis and fixes of one variant did not finish in time: a hang or runaway work", variant);
        }
    }

    /// <summary>The variant as a project of an ad-hoc workspace, forked from a template whose references are already bound.</summary>
    private async Task<(Solution, Compilation)> CreateAsync(Variant variant, CancellationToken cancellationToken)
    {
        // A docs example that names a hosting version (KAFKA114's pages) compiles against it, as DocsExamples does.
        var hosting = variant.Files.Select(f => DocsExamples.HostingVersion(f.Text)).FirstOrDefault(v => v is not null) ?? 10;
        var (solution, projectId) = await _templates.GetOrAdd((variant.ReferenceKafka, variant.OutputKind, variant.Nullable, hosting), key => CreateTemplateAsync(key.Item1, key.Item2, key.Item3, key.Item4));
        foreach (var file in variant.Files)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(file.Path), SourceText.From(file.Text), filePath: file.Path);
        }

        var compilation = await solution.GetProject(projectId)!.GetCompilationAsync(cancellationToken);
        return (solution, compilation!);
    }

    private static async Task<(Solution, ProjectId)> CreateTemplateAsync(bool referenceKafka, OutputKind outputKind, bool nullable, int hosting)
    {
        var all = TestReferences.WithHostingAbstractions(hosting);
        var references = referenceKafka
            ? all
            : all.Where(r => !(r.Display ?? string.Empty).Contains("Confluent.Kafka", StringComparison.Ordinal)).ToImmutableArray();
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Create(),
            "Variant",
            "Variant",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(outputKind, nullableContextOptions: nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }),
            parseOptions: AnalysisRunner.ParseOptions,
            metadataReferences: references));
        solution = solution.AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.g.cs", await AnalysisRunner.ImplicitUsings.GetTextAsync(), filePath: "/obj/GlobalUsings.g.cs");

        // Bind the references once; every variant's compilation derives from this one.
        var compilation = await solution.GetProject(projectId)!.GetCompilationAsync();
        _ = compilation!.GetDiagnostics();
        return (solution, projectId);
    }
}

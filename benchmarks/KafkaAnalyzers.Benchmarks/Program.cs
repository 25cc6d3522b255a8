using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using KafkaAnalyzers.Benchmarks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;

// What KafkaAnalyzers add to a build. For each code base, on fresh compilations, single-threaded,
// in alternating order, medians of several runs:
//   compiler      GetDiagnostics() without analyzers (declaration, binding, flow analysis)
//   +net          compiler + Microsoft.CodeAnalysis.NetAnalyzers (what a .NET SDK build already runs)
//   +net+kafka    the same plus every KafkaAnalyzers analyzer
//   +kafka        compiler + KafkaAnalyzers alone (samples/AntiPatterns and --project only: on the
//                 generated projects it would add a full build per round, and +kafka − compiler is
//                 mostly the analyzer driver's own overhead, which a build with NetAnalyzers pays anyway)
// marginal = (+net+kafka) − (+net), per round, median; reported as a share of the compiler's own
// time and allocations. Telemetry (GetAnalyzerTelemetryInfoAsync, in runs of their own with every
// analyzer, logging execution time) gives each analyzer's callback time and what it registered. No
// build runs only to count errors or diagnostics: the measured runs report them. The last line is
// for scripts:
//   marginal/compile=… kafka/compile=… kafka/netanalyzers=… scaling=…
// Usage: dotnet run -c Release --project benchmarks/KafkaAnalyzers.Benchmarks -- [options]
//   --runs N            measured rounds per code base (default 5; 3 for the 200k-line projects, 2 for
//                       the one without a Confluent.Kafka reference)
//   --lines N           size of the generated project (default 200000)
//   --project PATH      also measure a project of your own (built once already); repeatable
//   --tfm TFM           target framework for the --project that precedes it
//   --msbuild-arg ARG   extra MSBuild argument when reading --project command lines; repeatable
//   --no-scaling        skip the scaling run
//   --quick             small sizes, for a smoke run
//   --profile NAME      run one configuration (kafka|net|net+kafka|compiler) on the generated project
//                       in a loop for a profiler (dotnet-trace, perf) to attach; `telemetry` instead prints
//                       KafkaAnalyzers' callback time of each run with every analyzer
var settings = Settings.Parse(args);
var clock = Stopwatch.StartNew();
var root = Metadata("RepositoryRoot");
var kafka = Assembly.Load(new AssemblyName("KafkaAnalyzers")).GetTypes()
    .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
    .OrderBy(t => t.Name, StringComparer.Ordinal)
    .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
    .ToImmutableArray();
var net = LoadNetAnalyzers(Metadata("NetAnalyzersPath"));
var analyzers = new Analyzers(kafka, net);
var noOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty);
var measurement = new Measurement(analyzers, noOptions);
var allModes = new[] { Mode.Compiler, Mode.Net, Mode.NetKafka, Mode.Kafka };

Console.WriteLine($"KafkaAnalyzers: {kafka.Length} analyzers; NetAnalyzers: {net.Length} analyzers; single-threaded; load average {LoadAverage()}; {Environment.ProcessorCount} cores");

if (settings.Profile is { } profile)
{
    var compilation = Generated(settings.Lines, 10, true);
    if (profile == "telemetry")
    {
        // KafkaAnalyzers' callback time, run after run, with every analyzer: the figure kafka/compile divides.
        Console.WriteLine($"KafkaAnalyzers' callback time on {settings.Lines:N0} generated lines, every analyzer, run after run; Ctrl+C to stop");
        for (var i = 0; ; i++)
        {
            var run = measurement.Telemetry(compilation);
            Console.WriteLine(FormattableString.Invariant($"  run {i}: KafkaAnalyzers {run.ExecutionMs(analyzers.Kafka):N1} ms, NetAnalyzers {run.ExecutionMs(analyzers.Net):N1} ms, {run.KafkaDiagnostics} KAFKA diagnostics{(run.WithoutCollections ? "" : ", with garbage collections")}"));
        }
    }

    var mode = profile switch { "kafka" => Mode.Kafka, "net" => Mode.Net, "net+kafka" => Mode.NetKafka, _ => Mode.Compiler };
    Console.WriteLine($"profiling {mode} on {settings.Lines:N0} generated lines, pid {Environment.ProcessId}; Ctrl+C to stop");
    for (var i = 0; ; i++)
    {
        var sample = measurement.Once(compilation, mode);
        Console.WriteLine($"  run {i}: {sample.WallMs:N0} ms wall, {sample.CpuMs:N0} ms CPU, {sample.Bytes / 1048576.0:N1} MB");
    }
}

// Warm-up: JIT every path on a small project so the first measured code base is not charged for it.
{
    var warm = Generated(Math.Clamp(settings.Lines / 20, 2000, 10000), 10, true);
    measurement.Rounds(warm, allModes, 2);
    measurement.Telemetry(warm);
}

var generatedRuns = settings.Runs ?? (settings.Quick ? 3 : 3);
var smallRuns = settings.Runs ?? 5;

// (a) the generated project, (b) the same without Confluent.Kafka, (b') referenced but unused.
var mainProject = Generated(settings.Lines, 10, true);
var main = MeasureCodeBase($"generated, 10% Kafka files", mainProject, noOptions, generatedRuns, new[] { Mode.Compiler, Mode.Net, Mode.NetKafka });
MeasureCodeBase("generated, Confluent.Kafka referenced, no type uses it", Generated(settings.Lines, 0, true), noOptions, generatedRuns, new[] { Mode.Net, Mode.NetKafka });
// Without the reference KafkaAnalyzers register one compilation-start action that returns at once (the
// measured runs show what they registered): two rounds and no telemetry run, to keep the whole run
// under 10 minutes on two cores.
MeasureCodeBase("generated, no Confluent.Kafka reference", Generated(settings.Lines, 0, false), noOptions, settings.Runs ?? 2, new[] { Mode.Net, Mode.NetKafka }, telemetryRuns: 0);
MeasureCodeBase("samples/AntiPatterns", Sample(Path.Combine(root, "samples", "AntiPatterns")), noOptions, smallRuns, allModes);

// (c) projects of your own (real public projects that use Confluent.Kafka), compiled as their build does.
var real = new List<(string Name, Result Result)>();
foreach (var (path, tfm) in settings.Projects)
{
    try
    {
        var (compilation, options, lines, files) = RealProject.Load(path, tfm, settings.MSBuildArgs);
        var realMeasurement = new Measurement(analyzers, options);
        real.Add((Path.GetFileNameWithoutExtension(path), MeasureCodeBase(Path.GetFileName(path) + (tfm is null ? "" : $" ({tfm})"), compilation, options, smallRuns, allModes, realMeasurement)));
    }
    catch (Exception ex)
    {
        Console.WriteLine($"== {path}: not measured: {ex.Message}");
        Console.WriteLine();
    }
}

// Scaling: the Kafka analyzers' callback time per 10k lines as the code base grows, from runs with every
// analyzer as at the full size. No +kafka alone runs: +kafka − compiler is mostly the analyzer driver's
// own overhead (it runs for any analyzer, and a build with NetAnalyzers already pays it), an order of
// magnitude above KafkaAnalyzers' callbacks, and at 100k lines it would cost a minute of the run.
var scaling = double.NaN;
if (!settings.NoScaling)
{
    Console.WriteLine("== scaling: KafkaAnalyzers' callback time per 10k lines (generated project, 10% Kafka files; runs with every analyzer)");
    var points = new List<(int Lines, double Kafka)>();
    foreach (var size in settings.ScalingSizes)
    {
        int lines;
        double kafkaMs, netMs;
        string runs;
        if (size == settings.Lines)
        {
            (lines, kafkaMs, netMs, runs) = (main.Lines, main.KafkaTelemetry, main.NetTelemetry, "the run above");
        }
        else
        {
            // Three runs at the smallest size, whose callback time is the ratio's denominator.
            var compilation = Generated(size, 10, true);
            var telemetry = Enumerable.Range(0, size == settings.ScalingSizes[0] ? 3 : 1).Select(_ => measurement.Telemetry(compilation)).ToList();
            lines = compilation.SyntaxTrees.Sum(t => t.GetText().Lines.Count);
            kafkaMs = Stats.Median(telemetry.Select(t => t.ExecutionMs(analyzers.Kafka)));
            netMs = Stats.Median(telemetry.Select(t => t.ExecutionMs(analyzers.Net)));
            runs = (telemetry.Count == 1 ? "one run" : "median of " + string.Join(" ", telemetry.Select(t => t.ExecutionMs(analyzers.Kafka).ToString("N1", CultureInfo.InvariantCulture))))
                   + (telemetry.All(t => t.WithoutCollections) ? "" : ", with garbage collections");
        }

        var per10k = 10000.0 / lines;
        points.Add((lines, kafkaMs * per10k));
        Console.WriteLine(FormattableString.Invariant($"   {lines,8:N0} lines: KafkaAnalyzers {kafkaMs * per10k,6:N1} ms/10k ({runs}), NetAnalyzers {netMs * per10k,7:N1} ms/10k"));
    }

    if (points.Count >= 2)
    {
        scaling = points[^1].Kafka / points[0].Kafka;
        Console.WriteLine($"   scaling (per-10k callback time at {points[^1].Lines:N0} / at {points[0].Lines:N0} lines): {Stats.Ratio(points[^1].Kafka, points[0].Kafka)}");
    }

    Console.WriteLine();
}

foreach (var (name, result) in real)
{
    Console.WriteLine($"{name}: marginal/compile={Stats.Ratio(result.MarginalWall, result.CompilerWall)} kafka/compile={Stats.Ratio(result.KafkaTelemetry, result.CompilerWall)} kafka/netanalyzers={Stats.Ratio(result.KafkaTelemetry, result.NetTelemetry)} allocations={Stats.Ratio(result.MarginalBytes, result.CompilerBytes)}");
}

Console.WriteLine($"finished in {clock.Elapsed.TotalMinutes:N1} min; load average {LoadAverage()}");
Console.WriteLine(FormattableString.Invariant(
    $"marginal/compile={Stats.Ratio(main.MarginalWall, main.CompilerWall)} kafka/compile={Stats.Ratio(main.KafkaTelemetry, main.CompilerWall)} kafka/netanalyzers={Stats.Ratio(main.KafkaTelemetry, main.NetTelemetry)} scaling={(double.IsNaN(scaling) ? "n/a" : scaling.ToString("0.00", CultureInfo.InvariantCulture))}"));
return;

Result MeasureCodeBase(string name, Compilation compilation, AnalyzerOptions options, int runs, Mode[] modes, Measurement? custom = null, int telemetryRuns = 1)
{
    var result = Measure(compilation, options, runs, modes, custom ?? measurement, out var report, telemetryRuns);
    Console.WriteLine($"== {name}: {result.Files:N0} files, {result.Lines:N0} lines, {result.Errors} compile errors, {result.KafkaDiagnostics} KAFKA diagnostics; {runs} rounds; load average {LoadAverage()}");
    Console.Write(report);
    Console.WriteLine();
    return result;
}

Result Measure(Compilation compilation, AnalyzerOptions options, int runs, Mode[] modes, Measurement runner, out string report, int telemetryRuns = 1)
{
    var text = new StringBuilder();
    var trees = compilation.SyntaxTrees.ToList();
    var lines = trees.Sum(t => t.GetText().Lines.Count);
    var samples = runner.Rounds(compilation, modes, runs);

    // What the runs found: compile errors from the first run, KAFKA diagnostics from one with KafkaAnalyzers.
    var withKafka = modes.Contains(Mode.NetKafka) ? Mode.NetKafka : Mode.Kafka;
    var first = samples[modes[0]][0].Outcome;
    var telemetry = Enumerable.Range(0, telemetryRuns).Select(_ => runner.Telemetry(compilation)).ToList();
    foreach (var error in first.FirstErrors)
    {
        text.AppendLine("   compile error: " + error);
    }

    var errors = first.Errors;
    var kafkaDiagnostics = samples.TryGetValue(withKafka, out var kafkaSamples) ? kafkaSamples[0].Outcome.KafkaDiagnostics : telemetry.FirstOrDefault()?.KafkaDiagnostics ?? 0;

    double Wall(Mode mode) => samples.TryGetValue(mode, out var s) ? Stats.Median(s.Select(x => x.WallMs)) : double.NaN;
    double Cpu(Mode mode) => samples.TryGetValue(mode, out var s) ? Stats.Median(s.Select(x => x.CpuMs)) : double.NaN;
    double Bytes(Mode mode) => samples.TryGetValue(mode, out var s) ? Stats.Median(s.Select(x => (double)x.Bytes)) : double.NaN;
    double Paired(Mode with, Mode without, Func<Sample, double> value)
        => samples.ContainsKey(with) && samples.ContainsKey(without) ? Stats.PairedMedian(samples[with], samples[without], value) : double.NaN;

    foreach (var mode in modes)
    {
        var s = samples[mode];
        text.AppendLine(FormattableString.Invariant($"   {Label(mode),-12} wall {Wall(mode),9:N0} ms (±{Stats.Mad(s.Select(x => x.WallMs)),5:N0})  CPU {Cpu(mode),9:N0} ms (±{Stats.Mad(s.Select(x => x.CpuMs)),5:N0})  {Bytes(mode) / 1048576.0,8:N1} MB   runs: {string.Join(" ", s.Select(x => x.WallMs.ToString("N0", CultureInfo.InvariantCulture)))}"));
    }

    var compilerWall = Wall(Mode.Compiler);
    var compilerBytes = Bytes(Mode.Compiler);
    var marginalWall = Paired(Mode.NetKafka, Mode.Net, x => x.WallMs);
    var marginalCpu = Paired(Mode.NetKafka, Mode.Net, x => x.CpuMs);
    var marginalBytes = Paired(Mode.NetKafka, Mode.Net, x => x.Bytes);
    var kafkaAloneWall = Paired(Mode.Kafka, Mode.Compiler, x => x.WallMs);
    var kafkaAloneBytes = Paired(Mode.Kafka, Mode.Compiler, x => x.Bytes);
    if (!double.IsNaN(marginalWall))
    {
        var noise = Stats.Mad(samples[Mode.Net].Select(x => x.WallMs));
        text.AppendLine(FormattableString.Invariant($"   marginal (+net+kafka − +net, paired per round): wall {marginalWall:N0} ms, CPU {marginalCpu:N0} ms, {marginalBytes / 1048576.0:N1} MB; noise (±MAD of +net) {noise:N0} ms{(Math.Abs(marginalWall) <= noise ? " — within noise" : "")}"));
        if (!double.IsNaN(compilerWall))
        {
            text.AppendLine($"      marginal/compile = {Stats.Ratio(marginalWall, compilerWall)} (wall), {Stats.Ratio(marginalCpu, Cpu(Mode.Compiler))} (CPU); allocations {Stats.Ratio(marginalBytes, compilerBytes)} of the compiler's");
        }
        else
        {
            text.AppendLine($"      marginal / (+net) = {Stats.Ratio(marginalWall, Wall(Mode.Net))} (wall), {Stats.Ratio(marginalCpu, Cpu(Mode.Net))} (CPU); allocations {Stats.Ratio(marginalBytes, Bytes(Mode.Net))} of +net's");
        }
    }

    if (!double.IsNaN(kafkaAloneWall))
    {
        text.AppendLine($"   KafkaAnalyzers alone (+kafka − compiler): wall {kafkaAloneWall:N0} ms = {Stats.Ratio(kafkaAloneWall, compilerWall)} of the compiler, allocations {kafkaAloneBytes / 1048576.0:N1} MB = {Stats.Ratio(kafkaAloneBytes, compilerBytes)}");
    }

    var kafkaTelemetry = Stats.Median(telemetry.Select(t => t.ExecutionMs(analyzers.Kafka)));
    var netTelemetry = Stats.Median(telemetry.Select(t => t.ExecutionMs(analyzers.Net)));
    if (telemetry.Count > 0)
    {
        var runsText = (telemetry.Count == 1 ? "one run" : "median of " + string.Join(" ", telemetry.Select(t => t.ExecutionMs(analyzers.Kafka).ToString("N1", CultureInfo.InvariantCulture))))
                       + (telemetry.All(t => t.WithoutCollections) ? " without garbage collections" : " with garbage collections");
        text.AppendLine(FormattableString.Invariant($"   telemetry (callback time with every analyzer, {runsText}): KafkaAnalyzers {kafkaTelemetry:N1} ms, NetAnalyzers {netTelemetry:N1} ms: kafka/netanalyzers {Stats.Ratio(kafkaTelemetry, netTelemetry)}{(double.IsNaN(compilerWall) ? "" : $"; kafka/compile {Stats.Ratio(kafkaTelemetry, compilerWall)}")}"));
    }

    foreach (var analyzer in analyzers.Kafka)
    {
        var actions = telemetry.Count > 0 ? telemetry[^1].Info[analyzer] : kafkaSamples?[^1].Outcome.Actions[analyzer];
        var time = telemetry.Count > 0 ? FormattableString.Invariant($"{actions!.ExecutionTime.TotalMilliseconds,8:N1} ms") : "(no telemetry run)";
        text.AppendLine($"     {analyzer.GetType().Name,-36} {time}   registered: {(actions is null ? "n/a" : Registered(actions))}");
    }

    report = text.ToString();
    return new Result(trees.Count, lines, errors, kafkaDiagnostics, compilerWall, compilerBytes, marginalWall, marginalBytes, kafkaAloneWall, kafkaTelemetry, netTelemetry);
}

static string Registered(AnalyzerTelemetryInfo t)
{
    var parts = new List<string>();
    void Add(string name, int count)
    {
        if (count > 0)
        {
            parts.Add($"{name} {count}");
        }
    }

    Add("compilation-start", t.CompilationStartActionsCount);
    Add("compilation-end", t.CompilationEndActionsCount);
    Add("compilation", t.CompilationActionsCount);
    Add("syntax-tree", t.SyntaxTreeActionsCount);
    Add("semantic-model", t.SemanticModelActionsCount);
    Add("symbol", t.SymbolActionsCount);
    Add("symbol-start", t.SymbolStartActionsCount);
    Add("symbol-end", t.SymbolEndActionsCount);
    Add("syntax-node", t.SyntaxNodeActionsCount);
    Add("code-block-start", t.CodeBlockStartActionsCount);
    Add("code-block", t.CodeBlockActionsCount);
    Add("operation", t.OperationActionsCount);
    Add("operation-block-start", t.OperationBlockStartActionsCount);
    Add("operation-block", t.OperationBlockActionsCount);
    return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
}

static string Label(Mode mode) => mode switch
{
    Mode.Compiler => "compiler",
    Mode.Net => "+net",
    Mode.NetKafka => "+net+kafka",
    _ => "+kafka",
};

static string LoadAverage()
{
    try
    {
        return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}

static Compilation Generated(int lines, int kafkaPercent, bool referencesKafka)
{
    var trees = GeneratedProject.Create(lines, kafkaPercent, referencesKafka)
        .Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, "/generated/" + f.Path, Encoding.UTF8))
        .ToList();
    return CSharpCompilation.Create("Generated", trees, References(referencesKafka), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));
}

static Compilation Sample(string directory)
{
    var trees = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
        .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
        .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), ParseOptions, p, Encoding.UTF8))
        .Append(CSharpSyntaxTree.ParseText(SampleUsings, ParseOptions, "GlobalUsings.cs", Encoding.UTF8))
        .ToList();
    // The sample's project references the runtime library (Safe/ReliableShipmentService.cs uses it), and so
    // with it Polly.
    var runtime = new[] { typeof(KafkaAnalyzers.Reliability.Configuration.KafkaPresets), typeof(Polly.ResiliencePipeline) }
        .Select(t => (MetadataReference)MetadataReference.CreateFromFile(t.Assembly.Location));
    return CSharpCompilation.Create("AntiPatterns", trees, References(true).Concat(runtime), new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));
}

static IEnumerable<MetadataReference> References(bool kafka)
    => Basic.Reference.Assemblies.Net100.References.All.Concat(new[]
    {
        typeof(Microsoft.Extensions.Configuration.IConfiguration),
        typeof(Microsoft.Extensions.Configuration.ConfigurationBinder), typeof(Microsoft.Extensions.Hosting.BackgroundService),
        typeof(Microsoft.Extensions.Hosting.Host), typeof(Microsoft.Extensions.Logging.ILogger), typeof(Microsoft.Extensions.Logging.LoggerExtensions),
        typeof(Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions),
        typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection),
        typeof(Microsoft.Extensions.DependencyInjection.ServiceCollectionHostedServiceExtensions),
    }.Concat(kafka ? new[] { typeof(Confluent.Kafka.IProducer<,>) } : Type.EmptyTypes)
        .Select(t => t.Assembly.Location).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)));

static ImmutableArray<DiagnosticAnalyzer> LoadNetAnalyzers(string packagePath)
{
    var loader = new AssemblyLoader();
    return Directory.EnumerateFiles(Path.Combine(packagePath, "analyzers", "dotnet"), "*.dll", SearchOption.AllDirectories)
        .Where(p => !p.Contains(Path.DirectorySeparatorChar + "vb" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !p.EndsWith(".resources.dll", StringComparison.Ordinal))
        .SelectMany(p => new AnalyzerFileReference(p, loader).GetAnalyzers(LanguageNames.CSharp))
        .ToImmutableArray();
}

static string Metadata(string key)
    => typeof(GeneratedProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

internal sealed record Result(
    int Files, int Lines, int Errors, int KafkaDiagnostics,
    double CompilerWall, double CompilerBytes, double MarginalWall, double MarginalBytes,
    double KafkaAloneWall, double KafkaTelemetry, double NetTelemetry);

internal sealed class Settings
{
    public int Lines { get; private set; } = 200_000;

    public int? Runs { get; private set; }

    public bool Quick { get; private set; }

    public bool NoScaling { get; private set; }

    public string? Profile { get; private set; }

    public List<(string Path, string? Tfm)> Projects { get; } = new();

    public List<string> MSBuildArgs { get; } = new();

    public IReadOnlyList<int> ScalingSizes => Quick ? new[] { Lines / 10, Lines } : new[] { Lines / 10, Lines / 4, Lines / 2, Lines };

    public static Settings Parse(string[] args)
    {
        var settings = new Settings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--lines": settings.Lines = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--runs": settings.Runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--project": settings.Projects.Add((Next(), null)); break;
                case "--tfm":
                    if (settings.Projects.Count == 0)
                    {
                        throw new ArgumentException("--tfm follows the --project it applies to");
                    }

                    settings.Projects[^1] = (settings.Projects[^1].Path, Next());
                    break;
                case "--msbuild-arg": settings.MSBuildArgs.Add(Next()); break;
                case "--no-scaling": settings.NoScaling = true; break;
                case "--quick": settings.Quick = true; settings.Lines = 20_000; break;
                case "--profile": settings.Profile = Next(); break;
                default: throw new ArgumentException($"unknown argument '{args[i]}' (see the comment at the top of Program.cs)");
            }
        }

        return settings;
    }
}

internal sealed class AssemblyLoader : IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath)
    {
    }

    public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
}

internal static partial class Program
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private const string SampleUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Confluent.Kafka;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;
}

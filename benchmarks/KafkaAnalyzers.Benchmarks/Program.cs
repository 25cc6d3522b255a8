using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using KafkaAnalyzers.Benchmarks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

// Analyzer overhead: for each corpus, the median over several runs of
//   compiler   = GetDiagnostics() on a fresh compilation (binding, flow analysis: the compiler's own work)
//   +kafka     = compiler + all KafkaAnalyzers
//   +net       = compiler + Microsoft.CodeAnalysis.NetAnalyzers (every analyzer in the package)
// Analyzer cost is the difference to the compiler alone; allocations likewise. Analysis runs
// single-threaded so the numbers are repeatable on a small machine.
var services = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 200;
var iterations = args.Length > 1 && int.TryParse(args[1], out var it) ? it : 5;
var root = Metadata("RepositoryRoot");

var kafka = Assembly.Load(new AssemblyName("KafkaAnalyzers")).GetTypes()
    .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
    .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
    .ToImmutableArray();
var net = LoadNetAnalyzers(Metadata("NetAnalyzersPath"));

Console.WriteLine($"KafkaAnalyzers: {kafka.Length} analyzers; NetAnalyzers: {net.Length} analyzers; {iterations} measured runs (+2 warm-up), median");
Console.WriteLine();
foreach (var (name, trees, kind) in new[]
         {
             ($"generated ({services} services)", Corpus.Generated(services), OutputKind.DynamicallyLinkedLibrary),
             ("samples/AntiPatterns", Corpus.Sample(Path.Combine(root, "samples", "AntiPatterns")), OutputKind.ConsoleApplication),
         })
{
    var compilation = CSharpCompilation.Create(
        "Bench",
        trees,
        References(),
        new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));
    var errorList = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    var errors = errorList.Count;
    errorList.Take(3).ToList().ForEach(e => Console.WriteLine("   compile error: " + e));
    var lines = trees.Sum(t => t.GetText().Lines.Count);

    var compiler = Measure(() => { compilation.Clone().GetDiagnostics(); return 0; });
    var withKafka = Measure(() => Analyze(compilation, kafka));
    var withNet = Measure(() => Analyze(compilation, net));
    var withBoth = Measure(() => Analyze(compilation, net.AddRange(kafka)));
    var kafkaDiagnostics = Analyze(compilation, kafka);

    var kafkaTime = Math.Max(0, withKafka.Milliseconds - compiler.Milliseconds);
    var netTime = Math.Max(0, withNet.Milliseconds - compiler.Milliseconds);
    var kafkaBytes = Math.Max(0, withKafka.Bytes - compiler.Bytes);
    var netBytes = Math.Max(0, withNet.Bytes - compiler.Bytes);
    Console.WriteLine($"== {name}: {trees.Count} files, {lines:N0} lines, {errors} compile errors, {kafkaDiagnostics} KAFKA diagnostics");
    Console.WriteLine($"   compiler alone        {compiler.Milliseconds,8:N0} ms  {compiler.Bytes / 1048576.0,8:N1} MB allocated");
    Console.WriteLine($"   KafkaAnalyzers        {kafkaTime,8:N0} ms  {kafkaBytes / 1048576.0,8:N1} MB   time ratio to compiler {Ratio(kafkaTime, compiler.Milliseconds)}, to NetAnalyzers {Ratio(kafkaTime, netTime)}; allocation ratio to compiler {Ratio(kafkaBytes, compiler.Bytes)}, to NetAnalyzers {Ratio(kafkaBytes, netBytes)}");
    Console.WriteLine($"   NetAnalyzers          {netTime,8:N0} ms  {netBytes / 1048576.0,8:N1} MB   time ratio to compiler {Ratio(netTime, compiler.Milliseconds)}");
    // What a user pays: KafkaAnalyzers added to a build that already runs the SDK's .NET analyzers.
    var marginalTime = Math.Max(0, withBoth.Milliseconds - withNet.Milliseconds);
    var marginalBytes = Math.Max(0, withBoth.Bytes - withNet.Bytes);
    Console.WriteLine($"   + KafkaAnalyzers on top of NetAnalyzers: {marginalTime,6:N0} ms  {marginalBytes / 1048576.0,6:N1} MB   = {Ratio(marginalTime, withNet.Milliseconds)} of the compiler+NetAnalyzers time, {Ratio(marginalBytes, withNet.Bytes)} of its allocations");
    var kafkaTelemetry = await PerAnalyzerAsync(compilation, kafka);
    var netTelemetry = await PerAnalyzerAsync(compilation, net);
    var kafkaSum = kafkaTelemetry.Sum(t => t.Item2.TotalMilliseconds);
    var netSum = netTelemetry.Sum(t => t.Item2.TotalMilliseconds);
    Console.WriteLine($"   analyzer telemetry    KafkaAnalyzers {kafkaSum:N1} ms, NetAnalyzers {netSum:N1} ms: ratio {Ratio(kafkaSum, netSum)}; KafkaAnalyzers to compiler {Ratio(kafkaSum, compiler.Milliseconds)}");
    foreach (var (analyzer, time) in kafkaTelemetry)
    {
        Console.WriteLine($"     {analyzer,-40} {time.TotalMilliseconds,8:N1} ms");
    }

    Console.WriteLine();
}

static string Ratio(double part, double whole) => whole <= 0 ? "n/a" : (part / whole).ToString("0.000");

static int Analyze(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
{
    var options = new CompilationWithAnalyzersOptions(
        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
    var diagnostics = compilation.Clone().WithAnalyzers(analyzers, options).GetAllDiagnosticsAsync().GetAwaiter().GetResult();
    var crashes = diagnostics.Where(d => d.Id == "AD0001").ToList();
    if (crashes.Count > 0)
    {
        throw new InvalidOperationException("analyzer exception: " + crashes[0]);
    }

    return diagnostics.Count(d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal));
}

static async Task<IEnumerable<(string, TimeSpan)>> PerAnalyzerAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
{
    var options = new CompilationWithAnalyzersOptions(
        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
    var withAnalyzers = compilation.Clone().WithAnalyzers(analyzers, options);
    await withAnalyzers.GetAnalyzerDiagnosticsAsync();
    var result = new List<(string, TimeSpan)>();
    foreach (var analyzer in analyzers)
    {
        var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
        result.Add((analyzer.GetType().Name, telemetry.ExecutionTime));
    }

    return result;
}

(double Milliseconds, long Bytes) Measure(Func<int> run)
{
    run();
    run();
    var samples = new List<(double, long)>();
    for (var i = 0; i < iterations; i++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // CPU time, not wall-clock: analysis is single-threaded here, and CPU time stays meaningful
        // when other processes share the machine.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        run();
        var elapsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        samples.Add((elapsed.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - before));
    }

    return (samples.Select(s => s.Item1).OrderBy(x => x).ElementAt(iterations / 2), samples.Select(s => s.Item2).OrderBy(x => x).ElementAt(iterations / 2));
}

static ImmutableArray<DiagnosticAnalyzer> LoadNetAnalyzers(string packagePath)
{
    var loader = new AssemblyLoader();
    return Directory.EnumerateFiles(Path.Combine(packagePath, "analyzers", "dotnet"), "*.dll", SearchOption.AllDirectories)
        .Where(p => !p.Contains(Path.DirectorySeparatorChar + "vb" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !p.EndsWith(".resources.dll", StringComparison.Ordinal))
        .SelectMany(p => new AnalyzerFileReference(p, loader).GetAnalyzers(LanguageNames.CSharp))
        .ToImmutableArray();
}

static IEnumerable<MetadataReference> References()
    => Basic.Reference.Assemblies.Net100.References.All.Concat(new[]
    {
        typeof(Confluent.Kafka.IProducer<,>), typeof(Microsoft.Extensions.Configuration.IConfiguration),
        typeof(Microsoft.Extensions.Configuration.ConfigurationBinder), typeof(Microsoft.Extensions.Hosting.BackgroundService),
        typeof(Microsoft.Extensions.Hosting.Host), typeof(Microsoft.Extensions.Logging.ILogger), typeof(Microsoft.Extensions.Logging.LoggerExtensions),
        typeof(Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions),
        typeof(Microsoft.Extensions.DependencyInjection.ServiceCollectionHostedServiceExtensions),
    }.Select(t => (MetadataReference)MetadataReference.CreateFromFile(t.Assembly.Location)));

static string Metadata(string key)
    => typeof(Corpus).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

internal sealed class AssemblyLoader : IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath)
    {
    }

    public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
}

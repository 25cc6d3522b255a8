using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;

namespace KafkaAnalyzers.Benchmarks;

/// <summary>What runs on each fresh compilation.</summary>
internal enum Mode
{
    /// <summary>GetDiagnostics() without analyzers: the compiler's own work (declaration, binding, flow analysis).</summary>
    Compiler,

    /// <summary>Compiler + Microsoft.CodeAnalysis.NetAnalyzers: the build users already have.</summary>
    Net,

    /// <summary>Compiler + NetAnalyzers + KafkaAnalyzers: what users get when they add the package.</summary>
    NetKafka,

    /// <summary>Compiler + KafkaAnalyzers alone.</summary>
    Kafka,
}

/// <summary>One measured run: its cost, and what it found (read after the clock stopped).</summary>
internal readonly record struct Sample(double WallMs, double CpuMs, long Bytes, Outcome Outcome);

/// <summary>
/// What a run found: compile errors, KAFKA diagnostics and the actions each analyzer registered (the
/// driver counts them in every run; callback times only in <see cref="Measurement.Telemetry"/>'s runs).
/// Kept instead of the diagnostics, which would keep the compilation alive.
/// </summary>
internal sealed record Outcome(int Errors, IReadOnlyList<string> FirstErrors, int KafkaDiagnostics, IReadOnlyDictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo> Actions)
{
    public static Outcome From(ImmutableArray<Diagnostic> diagnostics, IReadOnlyDictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo> actions)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("KAFKA", StringComparison.Ordinal)).ToList();
        return new Outcome(
            errors.Count,
            errors.GroupBy(e => e.Id).Select(g => g.First().ToString()).Take(5).ToList(),
            diagnostics.Count(d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal)),
            actions);
    }
}

/// <summary>One run with analyzer execution time logged: each analyzer's callback time and registered actions, and the KAFKA diagnostics.</summary>
internal sealed record Telemetry(IReadOnlyDictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo> Info, int KafkaDiagnostics, bool WithoutCollections)
{
    public double ExecutionMs(IEnumerable<DiagnosticAnalyzer> analyzers) => analyzers.Sum(a => Info[a].ExecutionTime.TotalMilliseconds);
}

internal sealed class Analyzers
{
    public Analyzers(ImmutableArray<DiagnosticAnalyzer> kafka, ImmutableArray<DiagnosticAnalyzer> net)
    {
        Kafka = kafka;
        Net = net;
        Both = net.AddRange(kafka);
    }

    public ImmutableArray<DiagnosticAnalyzer> Kafka { get; }

    public ImmutableArray<DiagnosticAnalyzer> Net { get; }

    public ImmutableArray<DiagnosticAnalyzer> Both { get; }

    public ImmutableArray<DiagnosticAnalyzer> For(Mode mode) => mode switch
    {
        Mode.Net => Net,
        Mode.NetKafka => Both,
        Mode.Kafka => Kafka,
        _ => ImmutableArray<DiagnosticAnalyzer>.Empty,
    };
}

/// <summary>
/// Runs each mode on a fresh copy of a compilation (nothing bound or cached), single-threaded so the
/// figures repeat on a small shared machine, in alternating order across rounds, and keeps every
/// sample: wall-clock, process CPU time, allocated bytes, and what the run found (so that no build
/// runs only to count errors or diagnostics).
/// </summary>
internal sealed class Measurement
{
    private readonly Analyzers _analyzers;
    private readonly AnalyzerOptions _options;

    public Measurement(Analyzers analyzers, AnalyzerOptions options)
    {
        _analyzers = analyzers;
        _options = options;
    }

    public Dictionary<Mode, List<Sample>> Rounds(Compilation compilation, IReadOnlyList<Mode> modes, int rounds)
    {
        var samples = modes.ToDictionary(m => m, _ => new List<Sample>());
        for (var round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? modes : modes.Reverse().ToList();
            foreach (var mode in order)
            {
                samples[mode].Add(Once(compilation, mode));
            }
        }

        return samples;
    }

    public Sample Once(Compilation compilation, Mode mode)
    {
        Collect();
        var fresh = compilation.Clone();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        CompilationWithAnalyzers? withAnalyzers = null;
        ImmutableArray<Diagnostic> diagnostics;
        if (mode == Mode.Compiler)
        {
            diagnostics = fresh.GetDiagnostics();
        }
        else
        {
            var options = new CompilationWithAnalyzersOptions(_options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
            withAnalyzers = fresh.WithAnalyzers(_analyzers.For(mode), options);
            diagnostics = withAnalyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        }

        clock.Stop();
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        ThrowOnCrash(diagnostics);
        var actions = new Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo>();
        if (withAnalyzers is not null)
        {
            foreach (var analyzer in _analyzers.Kafka.Intersect(_analyzers.For(mode)))
            {
                actions[analyzer] = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            }
        }

        return new Sample(clock.Elapsed.TotalMilliseconds, cpuMs, allocated, Outcome.From(diagnostics, actions));
    }

    /// <summary>Per-analyzer execution time and registered actions of one run with every analyzer (the driver records them only when analyzer diagnostics are asked for).</summary>
    /// <remarks>
    /// The run is made without garbage collections where the runtime allows it (enough memory for what a
    /// build of this size allocates): callback times are wall-clock, and a full collection of a
    /// multi-gigabyte heap that happens to start inside an analyzer's callback charges it hundreds of
    /// milliseconds that other analyzers' allocations caused. Allocations are measured by the rounds.
    /// </remarks>
    public Telemetry Telemetry(Compilation compilation)
    {
        Collect();
        var options = new CompilationWithAnalyzersOptions(_options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.Clone().WithAnalyzers(_analyzers.Both, options);
        var lines = compilation.SyntaxTrees.Sum(t => t.GetText().Lines.Count);
        bool noCollections;
        try
        {
            // About 14 KB per line with every analyzer (2.5 GB at 182k lines), with room to spare.
            noCollections = GC.TryStartNoGCRegion(256L * 1024 * 1024 + lines * 20L * 1024);
        }
        catch (ArgumentOutOfRangeException)
        {
            noCollections = false;
        }

        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (noCollections)
        {
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // The run allocated more than was set aside, and collections happened after all.
                noCollections = false;
            }
        }

        ThrowOnCrash(diagnostics);
        var result = new Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo>();
        foreach (var analyzer in _analyzers.Both)
        {
            result[analyzer] = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
        }

        return new Telemetry(result, diagnostics.Count(d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal)), noCollections);
    }

    /// <summary>The previous run's garbage is collected before a run, not during it (one full, blocking, compacting collection).</summary>
    private static void Collect() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);

    private static void ThrowOnCrash(ImmutableArray<Diagnostic> diagnostics)
    {
        var crash = diagnostics.FirstOrDefault(d => d.Id == "AD0001");
        if (crash is not null)
        {
            throw new InvalidOperationException("analyzer exception: " + crash);
        }
    }
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Median absolute deviation: how far a typical run is from the median.</summary>
    public static double Mad(IEnumerable<double> values)
    {
        var list = values.ToList();
        var median = Median(list);
        return Median(list.Select(v => Math.Abs(v - median)));
    }

    /// <summary>Median of the per-round differences (a run minus its baseline in the same round).</summary>
    public static double PairedMedian(IReadOnlyList<Sample> with, IReadOnlyList<Sample> without, Func<Sample, double> value)
        => Median(with.Zip(without, (a, b) => value(a) - value(b)));

    public static string Ratio(double part, double whole) => whole <= 0 || double.IsNaN(part) ? "n/a" : (part / whole).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
}

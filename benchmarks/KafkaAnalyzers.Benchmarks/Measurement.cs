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

internal readonly record struct Sample(double WallMs, double CpuMs, long Bytes);

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
/// sample: wall-clock, process CPU time and allocated bytes.
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
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var fresh = compilation.Clone();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Run(fresh, mode);
        clock.Stop();
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        return new Sample(clock.Elapsed.TotalMilliseconds, cpuMs, GC.GetTotalAllocatedBytes(precise: true) - bytes);
    }

    /// <summary>The diagnostics of one run (compiler and analyzers); throws on an analyzer exception.</summary>
    public ImmutableArray<Diagnostic> Run(Compilation fresh, Mode mode)
    {
        if (mode == Mode.Compiler)
        {
            return fresh.GetDiagnostics();
        }

        var options = new CompilationWithAnalyzersOptions(_options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = fresh.WithAnalyzers(_analyzers.For(mode), options).GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        var crash = diagnostics.FirstOrDefault(d => d.Id == "AD0001");
        if (crash is not null)
        {
            throw new InvalidOperationException("analyzer exception: " + crash);
        }

        return diagnostics;
    }

    /// <summary>Per-analyzer execution time and registered actions of one run with every analyzer.</summary>
    public async Task<Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo>> TelemetryAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(_options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.Clone().WithAnalyzers(analyzers, options);
        await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var result = new Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo>();
        foreach (var analyzer in analyzers)
        {
            result[analyzer] = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
        }

        return result;
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

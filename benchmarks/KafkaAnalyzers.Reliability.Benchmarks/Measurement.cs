using System.Diagnostics;

namespace KafkaAnalyzers.Reliability.Benchmarks;

/// <summary>
/// One timed run: how many messages, how long, how many bytes the whole process allocated meanwhile, the CPU time
/// the whole process used meanwhile (every thread: the caller's, the client's poll thread, librdkafka's and the
/// in-process cluster's), and the garbage collections it took (count per generation, time paused for them). On a
/// loaded machine the wall-clock rate is mostly the load's; CPU time per message much less so.
/// </summary>
internal readonly record struct Measurement(long Messages, TimeSpan Elapsed, long AllocatedBytes, TimeSpan CpuTime = default, int Gen0 = 0, int Gen1 = 0, int Gen2 = 0, TimeSpan GcPause = default)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    public double CpuMicrosecondsPerMessage => CpuTime.TotalMicroseconds / Messages;

    public double BytesPerMessage => (double)AllocatedBytes / Messages;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Starts the clock, the allocation count and the GC counts together, and stops them together.</summary>
internal sealed class Meter
{
    private readonly Stopwatch clock = new();
    private long allocatedBefore;
    private int gen0Before;
    private int gen1Before;
    private int gen2Before;
    private TimeSpan pauseBefore;
    private TimeSpan cpuBefore;

    public bool Started => clock.IsRunning || clock.Elapsed > TimeSpan.Zero;

    public void Start()
    {
        gen0Before = GC.CollectionCount(0);
        gen1Before = GC.CollectionCount(1);
        gen2Before = GC.CollectionCount(2);
        pauseBefore = GC.GetTotalPauseDuration();
        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        clock.Start();
    }

    public Measurement Stop(long messages)
    {
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new Measurement(
            messages,
            clock.Elapsed,
            allocated,
            cpu,
            GC.CollectionCount(0) - gen0Before,
            GC.CollectionCount(1) - gen1Before,
            GC.CollectionCount(2) - gen2Before,
            GC.GetTotalPauseDuration() - pauseBefore);
    }
}

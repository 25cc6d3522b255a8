using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace KafkaAnalyzers.Reliability.Benchmarks;

/// <summary>
/// One timed run: how many messages, how long, how many bytes the whole process allocated meanwhile, the CPU time
/// the whole process used meanwhile (every thread: the caller's, the client's poll thread, librdkafka's and the
/// in-process cluster's), and the garbage collections it took (count per generation, time paused for them, bytes
/// they promoted), and the page faults it took (minor faults of the whole process: memory touched for the first time
/// since it was mapped or given back, by the garbage collector, malloc or the kernel's zeroing). On a loaded machine the
/// wall-clock rate is mostly the load's; CPU time per message much less so, page faults hardly at all.
/// </summary>
/// <remarks>
/// Promoted bytes are what the collections copied out of gen0 into gen1 plus out of gen1 into gen2: the objects
/// still alive when a collection ran. They are what makes a collection expensive (allocating short-lived objects is
/// cheap), so a side that keeps more alive per message pays for it here even at the same allocated bytes.
/// </remarks>
internal readonly record struct Measurement(long Messages, TimeSpan Elapsed, long AllocatedBytes, TimeSpan CpuTime = default, int Gen0 = 0, int Gen1 = 0, int Gen2 = 0, TimeSpan GcPause = default, long PromotedBytes = 0, long PageFaults = 0, long StartedAt = 0)
{
    public double PageFaultsPerThousandMessages => PageFaults * 1000.0 / Messages;

    public double PromotedBytesPerMessage => (double)PromotedBytes / Messages;

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
    private long promotedBefore;
    private long faultsBefore;
    private long startedAt;

    public bool Started => clock.IsRunning || clock.Elapsed > TimeSpan.Zero;

    public void Start()
    {
        gen0Before = GC.CollectionCount(0);
        gen1Before = GC.CollectionCount(1);
        gen2Before = GC.CollectionCount(2);
        pauseBefore = GC.GetTotalPauseDuration();
        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        promotedBefore = GcPromotions.Total;
        faultsBefore = MinorPageFaults();
        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        startedAt = Stopwatch.GetTimestamp();
        clock.Start();
    }

    public Measurement Stop(long messages)
    {
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var faults = MinorPageFaults() - faultsBefore;
        var gen0 = GC.CollectionCount(0) - gen0Before;
        var gen1 = GC.CollectionCount(1) - gen1Before;
        var gen2 = GC.CollectionCount(2) - gen2Before;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var promoted = GcPromotions.WaitForAllCollections() - promotedBefore;
        return new Measurement(
            messages,
            clock.Elapsed,
            allocated,
            cpu,
            gen0,
            gen1,
            gen2,
            pause,
            promoted,
            faults,
            startedAt);
    }

    /// <summary>The process's minor page faults so far (field 10 of /proc/self/stat); 0 where there is no /proc.</summary>
    private static long MinorPageFaults()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return 0;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count the fields after its closing one.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Sums the bytes every garbage collection promoted (TotalPromotedSize0 + TotalPromotedSize1 of the runtime's
/// GCHeapStats event), from an in-process listener on the runtime's GC events. The events arrive on the listener's
/// own thread a little after each collection, so a reading waits until as many have arrived as collections ran.
/// </summary>
internal sealed class GcPromotions : EventListener
{
    private static readonly GcPromotions Listener = new();
    private long total;
    private long heapStats;

    public static long Total => Interlocked.Read(ref Listener.total);

    /// <summary>The total once the events of every collection so far have arrived (at most 0.5 s of waiting, after the clock stopped).</summary>
    public static long WaitForAllCollections()
    {
        var collections = GC.CollectionCount(0);
        SpinWait.SpinUntil(() => Interlocked.Read(ref Listener.heapStats) >= collections - Listener.CollectionsBefore, TimeSpan.FromMilliseconds(500));
        return Total;
    }

    /// <summary>Collections that ran before the listener was enabled (their events never arrive).</summary>
    private int CollectionsBefore { get; set; } = -1;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // Keyword 0x1 is GC; Informational includes GCHeapStats.
            CollectionsBefore = GC.CollectionCount(0);
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCHeapStats", StringComparison.Ordinal) != true || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
        {
            return;
        }

        long promoted = 0;
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is "TotalPromotedSize0" or "TotalPromotedSize1")
            {
                promoted += Convert.ToInt64(payload[i], CultureInfo.InvariantCulture);
            }
        }

        Interlocked.Add(ref total, promoted);
        Interlocked.Increment(ref heapStats);
    }
}

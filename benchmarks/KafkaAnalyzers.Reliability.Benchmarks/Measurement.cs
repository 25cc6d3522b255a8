using System.Diagnostics;

namespace KafkaAnalyzers.Reliability.Benchmarks;

/// <summary>One timed run: how many messages, how long, how many bytes the whole process allocated meanwhile.</summary>
internal readonly record struct Measurement(long Messages, TimeSpan Elapsed, long AllocatedBytes)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    public double BytesPerMessage => (double)AllocatedBytes / Messages;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Starts the clock and the allocation count together, and stops them together.</summary>
internal sealed class Meter
{
    private readonly Stopwatch clock = new();
    private long allocatedBefore;

    public bool Started => clock.IsRunning || clock.Elapsed > TimeSpan.Zero;

    public void Start()
    {
        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        clock.Start();
    }

    public Measurement Stop(long messages)
    {
        clock.Stop();
        return new Measurement(messages, clock.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }
}

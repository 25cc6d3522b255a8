using System.Diagnostics;
using System.Globalization;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Benchmarks;

/// <summary>
/// A profiling aid: one side of the producer comparison (raw or tracking) or both alternating as in
/// <c>producer-warm</c>, warm producers, repeated, so that a profiler attached to the process (e.g. <c>perf record</c>
/// with <c>DOTNET_PerfMapEnabled=1</c>) can tell the sides' work apart. Not a comparison: it prints each run, and no ratio. Each run also prints its measured window in seconds
/// of the monotonic clock (Stopwatch's on Linux), for <c>perf record -k CLOCK_MONOTONIC</c> and <c>perf report --time</c>.
/// </summary>
internal static class ProducerSide
{
    public static async Task RunAsync(string sides, int messages, int repetitions, int partitions)
    {
        for (var run = 1; run <= repetitions; run++)
        {
            bool[] order = sides switch
            {
                "raw" => [true],
                "tracking" => [false],
                _ => run % 2 == 1 ? [true, false] : [false, true],
            };
            foreach (var raw in order)
            {
                await RunOnceAsync(raw, run, messages, partitions);
            }
        }
    }

    private static async Task RunOnceAsync(bool raw, int run, int messages, int partitions)
    {
        var side = raw ? "raw Produce + handler" : "DeliveryTrackingProducer";
        using var cluster = InProcessKafkaCluster.Start(3);
        cluster.CreateTopic("produce-bench", partitions, replicationFactor: 3);
        var measurement = raw
            ? ProducerRuns.Raw(cluster.BootstrapServers, "produce-bench", messages, warm: true)
            : await ProducerRuns.TrackingAsync(cluster.BootstrapServers, "produce-bench", messages, warm: true);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  run {run} {side,-26} {measurement.MessagesPerSecond,10:N0} msg/s  {measurement.BytesPerMessage,5:N0} B/msg  {measurement.CpuMicrosecondsPerMessage,5:F2} CPU µs/msg  (GC {measurement.Gen0}/{measurement.Gen1}/{measurement.Gen2}, paused {measurement.GcPause.TotalMilliseconds:F0} ms, promoted {measurement.PromotedBytesPerMessage:F0} B/msg, {measurement.PageFaultsPerThousandMessages:F0} page faults/1k msg; window {Seconds(measurement.StartedAt):F6},{Seconds(measurement.StartedAt) + measurement.Elapsed.TotalSeconds:F6})"));
    }

    private static double Seconds(long timestamp) => (double)timestamp / Stopwatch.Frequency;
}

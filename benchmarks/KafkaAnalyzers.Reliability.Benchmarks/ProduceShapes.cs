using System.Globalization;
using System.Runtime.InteropServices;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Benchmarks;

/// <summary>
/// The measurement KAFKA010's page quotes: the same messages produced with raw <c>Produce</c> + handler,
/// with <c>await ProduceAsync</c> one at a time in a loop (the reported shape), and with batches of
/// <c>ProduceAsync</c> awaited together, each on a fresh in-process cluster, median of the runs.
/// </summary>
internal static class ProduceShapes
{
    private const string Raw = "raw Produce + handler";
    private const string OneAtATime = "await ProduceAsync in the loop";
    private const string Batches = "ProduceAsync, WhenAll per 1,000";

    public static async Task RunAsync(int messages, int repetitions, int partitions)
    {
        Console.WriteLine($"Produce shapes (KAFKA010): {messages:N0} messages of 16 + 100 bytes per run, {repetitions} runs each, median.");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average before: {LoadAverage()}");
        Console.WriteLine($"Producer: KafkaPresets.CriticalProducer (acks=all, idempotence, linger 5 ms), {partitions} partitions, 3 replicas, a fresh cluster per run.");
        var results = new Dictionary<string, List<Measurement>> { [Raw] = [], [OneAtATime] = [], [Batches] = [] };
        for (var run = 1; run <= repetitions; run++)
        {
            var order = new[] { Raw, OneAtATime, Batches };
            foreach (var shape in run % 2 == 1 ? order : order.Reverse())
            {
                using var cluster = InProcessKafkaCluster.Start(3);
                cluster.CreateTopic("shapes", partitions, replicationFactor: 3);
                var measurement = shape switch
                {
                    Raw => ProducerRuns.Raw(cluster.BootstrapServers, "shapes", messages),
                    OneAtATime => await ProducerRuns.AwaitedOneAtATimeAsync(cluster.BootstrapServers, "shapes", messages),
                    _ => await ProducerRuns.AwaitedInBatchesAsync(cluster.BootstrapServers, "shapes", messages, 1_000),
                };
                results[shape].Add(measurement);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run} {shape,-34} {measurement.MessagesPerSecond,12:N0} msg/s  ({measurement.Elapsed.TotalSeconds:F2} s)"));
            }
        }

        var raw = Measurement.Median(results[Raw].Select(m => m.MessagesPerSecond));
        Console.WriteLine();
        Console.WriteLine($"Medians over {repetitions} runs (ratio to {Raw}):");
        foreach (var pair in results)
        {
            var rate = Measurement.Median(pair.Value.Select(m => m.MessagesPerSecond));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {pair.Key,-34} {rate,12:N0} msg/s  ratio {rate / raw:F3}"));
        }

        Console.WriteLine($"Load average after: {LoadAverage()}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unavailable (no /proc/loadavg)";
}

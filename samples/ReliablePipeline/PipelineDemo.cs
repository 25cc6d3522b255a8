using ReliablePipeline.Naive;
using ReliablePipeline.Orders;
using ReliablePipeline.Reliable;
using ReliablePipeline.Reporting;
using ReliablePipeline.Scenario;

namespace ReliablePipeline;

/// <summary>
/// The demo: the same order pipeline, built naively, with KafkaAnalyzers.Reliability, and with its retry topics, each run once under the
/// same scripted faults, then compared from what is really in the topics and the payment ledger.
/// </summary>
public static class PipelineDemo
{
    /// <summary>Runs the pipelines (naive, reliable, reliable with retry topics) and writes progress, the comparison and the final lines to <paramref name="output"/>.</summary>
    /// <returns>The runs' counts; <see cref="DemoResult.ExitCode"/> says whether the library-based runs kept every order.</returns>
    public static async Task<DemoResult> RunAsync(DemoOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var book = OrderBook.Generate(options.OrderCount, options.Seed);
        WriteIntroduction(options, book, output);

        var naive = await ScenarioRun.RunAsync(new NaiveVariant(), options, book, output).ConfigureAwait(false);
        var reliable = await ScenarioRun.RunAsync(new ReliableVariant(), options, book, output).ConfigureAwait(false);
        var retryTopics = await ScenarioRun.RunAsync(new ReliableVariant(retryTopics: true), options, book, output).ConfigureAwait(false);

        ComparisonReport.Write(naive, reliable, retryTopics, output);
        return new DemoResult(naive, reliable, retryTopics);
    }

    private static void WriteIntroduction(DemoOptions options, OrderBook book, TextWriter output)
    {
        var kinds = book.Records.GroupBy(record => record.Kind).ToDictionary(group => group.Key, group => group.Count());
        output.WriteLine($"ReliablePipeline: order service -> orders -> payment service (charges a flaky gateway, writes payments), {options.OrderCount} orders per run, seed {options.Seed}");
        output.WriteLine(options.BootstrapServers is null
            ? "Cluster: a fresh in-process 3-broker cluster per run (librdkafka's mock cluster, real Kafka protocol)."
            : $"Cluster: {options.BootstrapServers}. Fault injection is unavailable on a real cluster: the broker outages, NOT_ENOUGH_REPLICAS and leader moves are skipped; poison messages, gateway faults and the consumer crash still run.");
        output.WriteLine(
            $"Orders: {kinds.GetValueOrDefault(RecordKind.BadJson)} with bad JSON and {kinds.GetValueOrDefault(RecordKind.Undeserializable)} with undeserializable bytes (poison), " +
            $"{kinds.GetValueOrDefault(RecordKind.UnsupportedCurrency)} in a currency the gateway refuses; the gateway answers 503 to the first attempt of {book.UnavailableOnFirstAttempt.Count} " +
            $"and times out after charging on the first attempt of {book.TimesOutAfterChargingOnFirstAttempt.Count}.");
        output.WriteLine($"Fault schedule, the same in every run (seconds after publishing starts): {FaultSchedule.Description}.");
        output.WriteLine("librdkafka's own log lines go to stderr: connections refused while a broker is down, and the naive producer 'terminating with N messages still in queue'.");
    }
}

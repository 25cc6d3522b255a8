using System.Globalization;

namespace ReliablePipeline.Reporting;

/// <summary>The side-by-side table, the explanations, and the two final lines.</summary>
internal static class ComparisonReport
{
    public static void Write(RunTally naive, RunTally reliable, RunTally retryTopics, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("=== naive vs reliable vs reliable with retry topics (same orders, same faults)");
        Row(output, string.Empty, "naive", "reliable", "retry topics");
        Row(output, "produced (attempted)", naive.Produced, reliable.Produced, retryTopics.Produced);
        Row(output, "delivered (read back from orders)", naive.Delivered, reliable.Delivered, retryTopics.Delivered);
        Row(output, "reported failed to the caller", naive.ReportedFailed, reliable.ReportedFailed, retryTopics.ReportedFailed);
        Row(output, "processed (charged, distinct)", naive.Processed, reliable.Processed, retryTopics.Processed);
        Row(output, "  of which retried via retry topics", "-", "-", retryTopics.RetriedThenProcessed);
        Row(output, "dead-lettered (read back from DLQ)", naive.DeadLettered, reliable.DeadLettered, retryTopics.DeadLettered);
        Row(output, "lost", naive.Lost, reliable.Lost, retryTopics.Lost);
        Row(output, "duplicated (charged twice or more)", naive.Duplicated, reliable.Duplicated, retryTopics.Duplicated);
        Row(output, "redelivered (raw, at-least-once)", naive.Redelivered, reliable.Redelivered, retryTopics.Redelivered);
        Row(output, "repeats absorbed by idempotency key", naive.IdempotentRepeats, reliable.IdempotentRepeats, retryTopics.IdempotentRepeats);
        Row(output, "payment results in payments topic", naive.ResultsWritten, reliable.ResultsWritten, retryTopics.ResultsWritten);
        Row(output, "errors logged and skipped", naive.ErrorsLogged, reliable.ErrorsLogged, retryTopics.ErrorsLogged);
        Row(output, "run time (s)", Seconds(naive), Seconds(reliable), Seconds(retryTopics));
        output.WriteLine("lost = attempted orders that were neither charged, nor dead-lettered, nor reported as failed to the caller.");
        output.WriteLine("retried via retry topics = charged after a failure sent them to orders.retry.N (the orders behind them were not held up meanwhile).");

        foreach (var run in new[] { naive, reliable, retryTopics })
        {
            output.WriteLine();
            output.WriteLine(run.Lost == 0 ? $"{run.Name}: no order lost." : $"{run.Name}: where the {run.Lost} lost orders went:");
            foreach (var (cause, count) in run.LossCauses)
            {
                output.WriteLine($"  {count,6}  {cause}");
            }

            if (run.DeadLetterReasons.Count > 0)
            {
                output.WriteLine($"{run.Name}: dead-lettered orders (replayable with kafka-dlq replay; headers carry the original topic/partition/offset and the exception):");
                foreach (var (reason, count) in run.DeadLetterReasons)
                {
                    output.WriteLine($"  {count,6}  {reason}");
                }
            }

            if (!run.CaughtUp)
            {
                output.WriteLine($"{run.Name}: the payment service had not caught up when the run stopped it.");
            }
        }

        output.WriteLine();
        output.WriteLine(
            $"reliable: duplicates are counted at the business level (orders charged twice). The payment service got orders again {reliable.Redelivered} time(s) " +
            "(at-least-once: after the crash, offsets stored but not yet committed are replayed), and retried charges whose response had timed out " +
            $"although the charge went through. The order id is the gateway's idempotency key, so {reliable.IdempotentRepeats} repeated charge(s) " +
            $"returned the first receipt instead of charging again: {reliable.Duplicated} order(s) charged twice. " +
            $"The naive service sends no key; it charged {naive.Duplicated} order(s) twice in this run (it never retries, and its crash lost work instead of repeating it).");
        output.WriteLine(
            $"retry-topics: {retryTopics.RetriedThenProcessed} order(s) failed, waited in a retry topic without holding up the orders behind them, and were then charged; " +
            $"{retryTopics.DeadLettered} went to orders.dlq (poison and refused orders at once, the rest after the last tier).");
        output.WriteLine();
        output.WriteLine(Summary(naive));
        output.WriteLine(Summary(retryTopics) + $" retried-then-processed={retryTopics.RetriedThenProcessed}");
        output.WriteLine(Summary(reliable));
    }

    private static string Seconds(RunTally run) => run.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);

    private static string Summary(RunTally run) =>
        $"{run.Name}: lost={run.Lost} duplicated={run.Duplicated} processed={run.Processed} dead-lettered={run.DeadLettered}";

    private static void Row(TextWriter output, string label, object naive, object reliable, object retryTopics) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-36} {naive,10} {reliable,10} {retryTopics,13}"));
}

using System.Diagnostics.Metrics;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.ExactlyOnce;

/// <summary>
/// Names of the <see cref="ExactlyOnceProcessor{TKey,TValue,TOutKey,TOutValue}"/> instruments on the
/// <see cref="ReliabilityTelemetry.Name"/> meter (tagged with <see cref="ConsumerInstruments.ConsumerGroupTag"/>). The
/// processor also records the consumer instruments for messages processed, retried and dead-lettered, and the lag.
/// </summary>
public static class ProcessorInstruments
{
    /// <summary>Tag of <see cref="TransactionsAborted"/>: <c>handler</c>, <c>abortable_error</c>, <c>retries_exhausted</c>.</summary>
    public const string AbortReasonTag = "kafka.transaction.abort_reason";

    /// <summary>Counter ({transaction}): transactions committed (each with its inputs' offsets).</summary>
    public const string TransactionsCommitted = "kafka.reliability.processor.transactions.committed";

    /// <summary>Counter ({transaction}): transactions aborted; their inputs are read again from the last committed offsets.</summary>
    public const string TransactionsAborted = "kafka.reliability.processor.transactions.aborted";

    /// <summary>Histogram (s): from the start of a transaction to its commit.</summary>
    public const string TransactionDuration = "kafka.reliability.processor.transaction.duration";

    /// <summary>Counter ({message}): output messages committed (dead letters not included).</summary>
    public const string OutputsCommitted = "kafka.reliability.processor.outputs.committed";
}

internal sealed class ProcessorMetrics(string groupId)
{
    private static readonly Counter<long> Committed = ReliabilityTelemetry.Meter.CreateCounter<long>(ProcessorInstruments.TransactionsCommitted, "{transaction}", "Transactions committed.");
    private static readonly Counter<long> Aborted = ReliabilityTelemetry.Meter.CreateCounter<long>(ProcessorInstruments.TransactionsAborted, "{transaction}", "Transactions aborted; their inputs are read again.");
    private static readonly Histogram<double> Duration = ReliabilityTelemetry.Meter.CreateHistogram<double>(ProcessorInstruments.TransactionDuration, "s", "From the start of a transaction to its commit.");
    private static readonly Counter<long> Outputs = ReliabilityTelemetry.Meter.CreateCounter<long>(ProcessorInstruments.OutputsCommitted, "{message}", "Output messages committed.");

    private readonly KeyValuePair<string, object?> group = new(ConsumerInstruments.ConsumerGroupTag, groupId);

    public void TransactionCommitted(TimeSpan duration, int outputs)
    {
        Committed.Add(1, group);
        Duration.Record(duration.TotalSeconds, group);
        Outputs.Add(outputs, group);
    }

    public void TransactionAborted(string reason) => Aborted.Add(1, group, new(ProcessorInstruments.AbortReasonTag, reason));
}

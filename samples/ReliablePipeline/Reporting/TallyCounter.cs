using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using ReliablePipeline.Orders;
using ReliablePipeline.Payments;
using ReliablePipeline.Scenario;

namespace ReliablePipeline.Reporting;

/// <summary>Counts a finished run from the topics read back, the gateway's ledger and the probe.</summary>
internal static class TallyCounter
{
    public static RunTally Count(
        string name,
        OrderBook book,
        IReadOnlyList<ConsumeResult<byte[], byte[]>> orders,
        IReadOnlyList<ConsumeResult<byte[], byte[]>> deadLetters,
        IReadOnlyList<ConsumeResult<byte[], byte[]>> results,
        PaymentGateway gateway,
        PipelineProbe probe,
        long errorsLogged,
        TimeSpan duration,
        bool caughtUp)
    {
        var inTopic = Keys(orders);
        var deadLettered = Keys(deadLetters);
        var reportedFailed = probe.ReportedFailed.Keys.ToHashSet();
        var received = probe.ReceivedOrders.ToHashSet();
        var charged = gateway.Charges;
        var lost = book.Records
            .Where(record => !charged.ContainsKey(record.OrderId) && !deadLettered.Contains(record.OrderId) && !reportedFailed.Contains(record.OrderId))
            .ToList();

        return new RunTally
        {
            Name = name,
            Produced = book.Records.Count,
            Delivered = book.Records.Count(record => inTopic.Contains(record.OrderId)),
            ReportedFailed = book.Records.Count(record => reportedFailed.Contains(record.OrderId)),
            Processed = charged.Count,
            RetriedThenProcessed = probe.RecoveredOrders,
            DeadLettered = book.Records.Count(record => deadLettered.Contains(record.OrderId)),
            Lost = lost.Count,
            Duplicated = charged.Count(pair => pair.Value > 1),
            Redelivered = probe.Redeliveries,
            IdempotentRepeats = gateway.IdempotentRepeats,
            ResultsWritten = Keys(results).Count,
            ErrorsLogged = errorsLogged,
            LossCauses = lost
                .GroupBy(record => CauseOf(record, inTopic, received, gateway))
                .OrderByDescending(group => group.Count())
                .Select(group => (group.Key, group.Count()))
                .ToList(),
            DeadLetterReasons = deadLetters
                .GroupBy(ReasonOf)
                .Select(group => (group.Key, Keys(group).Count))
                .OrderByDescending(reason => reason.Count)
                .ToList(),
            Duration = duration,
            CaughtUp = caughtUp,
        };
    }

    private static string CauseOf(OrderRecord record, HashSet<string> inTopic, HashSet<string> received, PaymentGateway gateway)
    {
        if (!inTopic.Contains(record.OrderId))
        {
            return "never reached the topic, and nobody was told: Produce without a delivery handler (KAFKA004), producer disposed without Flush (KAFKA007)";
        }

        if (record.IsPoison)
        {
            return "poison message (bad JSON / undeserializable bytes): caught, logged, skipped (KAFKA103)";
        }

        if (gateway.LastOutcome.TryGetValue(record.OrderId, out var outcome))
        {
            return outcome == ChargeOutcome.Rejected
                ? "refused by the gateway (HTTP 422): caught, logged, skipped, no dead letter (KAFKA103)"
                : "transient gateway failure (503): caught, logged, skipped, no retry, no dead letter (KAFKA103)";
        }

        return received.Contains(record.OrderId)
            ? "consumed and auto-committed, but its Task.Run work died with the crashed process (KAFKA101)"
            : "in the topic but never consumed";
    }

    private static string ReasonOf(ConsumeResult<byte[], byte[]> deadLetter)
    {
        var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
        var exception = metadata.ExceptionType[(metadata.ExceptionType.LastIndexOf('.') + 1)..];
        if (exception == nameof(KafkaAnalyzers.Reliability.Consuming.MessageDeserializationException))
        {
            return $"poison message, dead-lettered at once with its original bytes ({exception}, {metadata.Category})";
        }

        return metadata.Category == FailureCategory.Transient
            ? $"still failing after {metadata.Attempts} attempts{(deadLetter.Message.Headers.TryGetLastBytes(KafkaAnalyzers.Reliability.RetryTopics.RetryHeaders.Tier, out _) ? " (through every retry topic)" : "")}, dead-lettered for replay ({exception}: {metadata.ExceptionMessage})"
            : $"refused, dead-lettered at once ({exception}: {metadata.ExceptionMessage})";
    }

    private static HashSet<string> Keys(IEnumerable<ConsumeResult<byte[], byte[]>> records) =>
        records.Where(record => record.Message.Key is not null).Select(record => Encoding.UTF8.GetString(record.Message.Key)).ToHashSet();
}

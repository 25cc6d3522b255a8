using System.Diagnostics;
using System.Diagnostics.Metrics;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.Diagnostics;

/// <summary>The dead-letter publisher's instruments.</summary>
internal static class DeadLetterMetrics
{
    private static readonly Counter<long> Published = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ReliabilityInstruments.DeadLettersPublished, "{message}", "Dead letters acknowledged by the cluster.");

    private static readonly Counter<long> Failed = ReliabilityTelemetry.Meter.CreateCounter<long>(
        ReliabilityInstruments.DeadLettersFailed, "{message}", "Dead letters that could not be stored.");

    public static void RecordPublished(string originalTopic, string deadLetterTopic, FailureCategory category) =>
        Published.Add(1, Tags(originalTopic, deadLetterTopic, category));

    public static void RecordFailed(string originalTopic, string? deadLetterTopic, FailureCategory category) =>
        Failed.Add(1, Tags(originalTopic, deadLetterTopic, category));

    private static TagList Tags(string originalTopic, string? deadLetterTopic, FailureCategory category) => new()
    {
        { ReliabilityInstruments.TopicTag, originalTopic },
        { ReliabilityInstruments.DeadLetterTopicTag, deadLetterTopic },
        { ReliabilityInstruments.FailureCategoryTag, category.ToString() },
    };
}

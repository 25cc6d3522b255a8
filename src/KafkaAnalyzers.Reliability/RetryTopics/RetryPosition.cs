using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>Where a consumed message stands in the retry path.</summary>
/// <param name="Original">Where it was first consumed (for a source-topic message: where it is).</param>
/// <param name="OriginalTimestamp">Its original timestamp.</param>
/// <param name="Tier">0 for a source-topic message, else the tier it was consumed from.</param>
/// <param name="PreviousAttempts">Handler attempts before this round.</param>
/// <param name="Metadata">The decoded retry headers of a tier message.</param>
/// <param name="Problem">Why a tier message's retry headers could not be read (it is then dead-lettered as permanent).</param>
internal sealed record RetryPosition(
    TopicPartitionOffset Original,
    Timestamp OriginalTimestamp,
    int Tier,
    int PreviousAttempts,
    RetryMetadata? Metadata,
    string? Problem)
{
    public bool FromTier => Tier > 0;
}

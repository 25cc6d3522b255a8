using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// <see cref="DeliveryTrackingProducer{TKey,TValue}.ProduceAsync(TopicPartition, Message{TKey,TValue}, CancellationToken)"/>
/// stopped because its cancellation token fired. <see cref="MessageQueued"/> says what became of the message:
/// <list type="bullet">
/// <item><see langword="false"/>: the token fired before the message was queued (for example while the call
/// waited for room in a full local queue). Nothing happened: the message is not counted, will never be sent,
/// and no handler, sink or <see cref="DeliveryTrackingProducer{TKey,TValue}.UnhandledFailures"/> will ever see
/// it. It is the caller's to keep or produce again.</item>
/// <item><see langword="true"/>: the message was queued and only the wait stopped. It is still delivered or,
/// if it fails, its failure goes to <see cref="DeliveryTrackingOptions{TKey,TValue}.OnDeliveryFailed"/> (else
/// the sink, else <see cref="DeliveryTrackingProducer{TKey,TValue}.UnhandledFailures"/>), exactly as for
/// <c>Produce</c>.</item>
/// </list>
/// It is an <see cref="OperationCanceledException"/> carrying the caller's token, so existing cancellation
/// handling keeps working.
/// </summary>
public sealed class ProduceCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="topicPartition">Where the message was to go.</param>
    /// <param name="messageQueued">Whether the message had been queued when the wait was cancelled.</param>
    /// <param name="cancellationToken">The token that fired.</param>
    /// <param name="innerException">The cancellation observed, if any.</param>
    public ProduceCanceledException(TopicPartition topicPartition, bool messageQueued, CancellationToken cancellationToken, Exception? innerException = null)
        : base(Describe(topicPartition, messageQueued), innerException, cancellationToken)
    {
        TopicPartition = topicPartition ?? throw new ArgumentNullException(nameof(topicPartition));
        MessageQueued = messageQueued;
    }

    /// <summary>Where the message was to go (<see cref="Partition.Any"/> when the partitioner was to choose).</summary>
    public TopicPartition TopicPartition { get; }

    /// <summary>
    /// <see langword="true"/> when the message was queued: its outcome goes to the failure handler.
    /// <see langword="false"/> when it was not: nothing happened and nobody else will ever hear of it.
    /// </summary>
    public bool MessageQueued { get; }

    private static string Describe(TopicPartition? topicPartition, bool messageQueued) => messageQueued
        ? $"Stopped waiting for the delivery to {topicPartition?.Topic}; the message was queued, so it is still delivered or its failure goes to the failure handler."
        : $"Cancelled before the message for {topicPartition?.Topic} was queued; it was not sent, not counted, and no handler will see it.";
}

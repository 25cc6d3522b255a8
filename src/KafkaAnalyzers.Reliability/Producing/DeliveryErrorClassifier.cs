using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// Whether producing a message again could succeed after its delivery failed (KAFKA_FACTS §4). librdkafka
/// has already retried transient errors while <c>retries</c> and <c>message.timeout.ms</c> allowed, so a
/// transient failure means "not now" (cluster unreachable, leader moving, too few in-sync replicas), and
/// a permanent one means "never as is" (authorization, size, unknown topic, fatal producer state).
/// </summary>
public static class DeliveryErrorClassifier
{
    private static readonly HashSet<ErrorCode> TransientCodes =
    [
        ErrorCode.Local_MsgTimedOut,
        ErrorCode.Local_TimedOut,
        ErrorCode.Local_TimedOutQueue,
        ErrorCode.Local_Transport,
        ErrorCode.Local_AllBrokersDown,
        ErrorCode.Local_QueueFull,
        ErrorCode.Local_Destroy,
        ErrorCode.Local_PurgeQueue,
        ErrorCode.Local_PurgeInflight,
        ErrorCode.Local_Retry,
        ErrorCode.Local_WaitCoord,
        ErrorCode.LeaderNotAvailable,
        ErrorCode.NotLeaderForPartition,
        ErrorCode.RequestTimedOut,
        ErrorCode.BrokerNotAvailable,
        ErrorCode.ReplicaNotAvailable,
        ErrorCode.NetworkException,
        ErrorCode.NotEnoughReplicas,
        ErrorCode.NotEnoughReplicasAfterAppend,
        ErrorCode.KafkaStorageError,
        ErrorCode.FencedLeaderEpoch,
        ErrorCode.UnknownLeaderEpoch,
        ErrorCode.PreferredLeaderNotAvailable,
        ErrorCode.ThrottlingQuotaExceeded,
    ];

    /// <summary>
    /// Classifies a delivery error. Fatal errors are permanent for this producer (a new producer is
    /// needed); codes not known to be transient are permanent, so nothing is resent blindly.
    /// </summary>
    /// <param name="error">The delivery report's error.</param>
    /// <returns><see cref="FailureCategory.Transient"/> when producing again later may succeed.</returns>
    public static FailureCategory Classify(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return !error.IsFatal && TransientCodes.Contains(error.Code) ? FailureCategory.Transient : FailureCategory.Permanent;
    }

    /// <summary>
    /// Whether resending a failed message risks a duplicate: anything but <see cref="PersistenceStatus.NotPersisted"/>
    /// may already be in the log (e.g. <c>Local_MsgTimedOut</c> after the request was sent).
    /// </summary>
    /// <param name="status">The delivery report's status.</param>
    /// <returns>True when the message may have been written.</returns>
    public static bool MayHaveBeenPersisted(PersistenceStatus status) => status != PersistenceStatus.NotPersisted;
}

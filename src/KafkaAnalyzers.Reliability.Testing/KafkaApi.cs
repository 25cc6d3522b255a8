namespace KafkaAnalyzers.Reliability.Testing;

/// <summary>
/// Kafka protocol request types (ApiKeys), as used by
/// <see cref="IKafkaFaultInjector.PushRequestErrors(KafkaApi, Confluent.Kafka.ErrorCode[])"/>.
/// The numbers are the Kafka protocol's; any other ApiKey can be passed by casting its number.
/// </summary>
public enum KafkaApi : short
{
    /// <summary>ProduceRequest: a producer writing a batch of messages to partition leaders.</summary>
    Produce = 0,

    /// <summary>FetchRequest: a consumer reading from partition leaders.</summary>
    Fetch = 1,

    /// <summary>ListOffsetsRequest: looking up offsets by time or earliest/latest.</summary>
    ListOffsets = 2,

    /// <summary>MetadataRequest: brokers, topics, partitions and their leaders.</summary>
    Metadata = 3,

    /// <summary>OffsetCommitRequest: a consumer group committing offsets.</summary>
    OffsetCommit = 8,

    /// <summary>OffsetFetchRequest: a consumer group reading its committed offsets.</summary>
    OffsetFetch = 9,

    /// <summary>FindCoordinatorRequest: locating the group or transaction coordinator.</summary>
    FindCoordinator = 10,

    /// <summary>JoinGroupRequest: a consumer joining its group.</summary>
    JoinGroup = 11,

    /// <summary>HeartbeatRequest: a group member's liveness signal.</summary>
    Heartbeat = 12,

    /// <summary>LeaveGroupRequest: a consumer leaving its group.</summary>
    LeaveGroup = 13,

    /// <summary>SyncGroupRequest: distributing a group's partition assignment.</summary>
    SyncGroup = 14,

    /// <summary>InitProducerIdRequest: an idempotent or transactional producer obtaining its id and epoch.</summary>
    InitProducerId = 22,

    /// <summary>AddPartitionsToTxnRequest: a transactional producer registering partitions.</summary>
    AddPartitionsToTxn = 24,

    /// <summary>AddOffsetsToTxnRequest: a transactional producer registering a consumer group.</summary>
    AddOffsetsToTxn = 25,

    /// <summary>EndTxnRequest: committing or aborting a transaction.</summary>
    EndTxn = 26,

    /// <summary>TxnOffsetCommitRequest: committing consumer offsets inside a transaction.</summary>
    TxnOffsetCommit = 28,
}

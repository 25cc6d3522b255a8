using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Testing;

/// <summary>
/// Faults that can be injected into an in-process cluster while clients run against it.
/// Every member is safe to call from any thread, concurrently with clients and with each other.
/// What each fault does is librdkafka's mock-cluster behaviour (librdkafka 2.16), described on each member.
/// </summary>
public interface IKafkaFaultInjector
{
    /// <summary>Number of brokers; their ids are 1 to <see cref="BrokerCount"/>.</summary>
    int BrokerCount { get; }

    /// <summary>
    /// Takes a broker down: its client connections are closed at once and new connections are refused
    /// (its port is kept for <see cref="SetBrokerUp"/>). Partition leadership does <b>not</b> move, and the
    /// other brokers' metadata still lists the broker as leader, so produce and fetch requests for the
    /// partitions it leads stall, retried by the clients, until the broker is up again or the client's own
    /// timeouts expire (a producer's <c>message.timeout.ms</c> then fails those messages with
    /// <c>Local_MsgTimedOut</c>). Group or transaction coordination hosted on it stalls the same way.
    /// Taking down a broker that is already down does nothing.
    /// </summary>
    /// <param name="brokerId">A broker id from 1 to <see cref="BrokerCount"/>, or -1 for all brokers.</param>
    void SetBrokerDown(int brokerId);

    /// <summary>
    /// Brings a broker back: it accepts connections on the same port again. Clients reconnect with their
    /// normal backoff (<c>reconnect.backoff.ms</c>) and resume what stalled; an idempotent producer resumes
    /// without duplicates or reordering. Leadership is unchanged. Bringing up a running broker does nothing.
    /// </summary>
    /// <param name="brokerId">A broker id from 1 to <see cref="BrokerCount"/>, or -1 for all brokers.</param>
    void SetBrokerUp(int brokerId);

    /// <summary>
    /// Makes the next <c>errors.Length</c> requests of type <paramref name="api"/> fail, one error per request,
    /// in order. The errors go on one cluster-wide stack per ApiKey: each such request to <i>any</i> broker
    /// takes the next error, whatever topic or client sent it. Errors are consumed per <i>request</i>, not per
    /// message: one produce request can carry batches for many messages and partitions, and all of them get
    /// that request's error. Pushing again appends to the stack. Retriable errors (for example
    /// <see cref="ErrorCode.NotEnoughReplicas"/>, <see cref="ErrorCode.RequestTimedOut"/>) are retried by the
    /// client without the application seeing them while its retries last; permanent ones (for example
    /// <see cref="ErrorCode.TopicAuthorizationFailed"/>) reach the delivery report at once.
    /// <see cref="ErrorCode.Local_Transport"/> makes the broker close the connection instead of answering,
    /// and <see cref="ErrorCode.NoError"/> lets one request through, to interleave failures.
    /// </summary>
    /// <param name="api">The request type; other ApiKeys can be passed by casting their number to <see cref="KafkaApi"/>.</param>
    /// <param name="errors">At least one error code.</param>
    void PushRequestErrors(KafkaApi api, params ErrorCode[] errors);

    /// <summary>Removes the errors still waiting on <paramref name="api"/>'s stack (those pushed and not yet consumed).</summary>
    /// <param name="api">The request type.</param>
    void ClearRequestErrors(KafkaApi api);

    /// <summary>
    /// Moves the leadership of <paramref name="topic"/> [<paramref name="partition"/>] to another broker and
    /// bumps the partition's leader epoch. Requests sent to the old leader get
    /// <see cref="ErrorCode.NotLeaderForPartition"/>; clients refresh metadata and retry on the new leader,
    /// so producers keep delivering. With -1 the partition has no leader: metadata reports none and produce
    /// and fetch requests for it wait (retried by the clients) until a leader is set again. If the topic does
    /// not exist, librdkafka creates it with <c>partition + 1</c> partitions.
    /// </summary>
    void SetPartitionLeader(string topic, int partition, int brokerId);

    /// <summary>
    /// Delays every response of a broker by <paramref name="rtt"/> (each response is held until its request
    /// arrived <paramref name="rtt"/> ago), as a slow network or a busy broker would. Applies to responses
    /// already waiting too. <see cref="TimeSpan.Zero"/> removes the delay.
    /// </summary>
    /// <param name="brokerId">A broker id from 1 to <see cref="BrokerCount"/>, or -1 for all brokers.</param>
    /// <param name="rtt">The delay, in whole milliseconds (fractions are truncated), from zero to <see cref="int.MaxValue"/> ms.</param>
    void SetBrokerRoundTripTime(int brokerId, TimeSpan rtt);

    /// <summary>
    /// Makes the brokers report <paramref name="error"/> for <paramref name="topic"/> in Metadata responses
    /// (and in AddPartitionsToTxn responses); other requests are not affected. Clients react as to a real
    /// cluster reporting that topic error: with <see cref="ErrorCode.TopicAuthorizationFailed"/> a producer
    /// fails the topic's messages at once (and keeps failing them locally even after the error is cleared,
    /// so use a new producer), while with <see cref="ErrorCode.LeaderNotAvailable"/> or
    /// <see cref="ErrorCode.UnknownTopicOrPart"/> its messages wait until the error is cleared or
    /// <c>message.timeout.ms</c> fails them with <see cref="ErrorCode.Local_MsgTimedOut"/>.
    /// <see cref="ErrorCode.NoError"/> clears the error. If the topic does not exist, librdkafka creates it
    /// with its default settings (4 partitions).
    /// </summary>
    void SetTopicError(string topic, ErrorCode error);

    /// <summary>
    /// Sets how long the cluster waits for more members before the first rebalance of an empty consumer
    /// group (the broker setting <c>group.initial.rebalance.delay.ms</c>; librdkafka's mock uses 3 seconds,
    /// like Kafka). <see cref="TimeSpan.Zero"/> makes group tests start consuming sooner.
    /// </summary>
    /// <param name="delay">The delay, in whole milliseconds, from zero to <see cref="int.MaxValue"/> ms.</param>
    void SetGroupInitialRebalanceDelay(TimeSpan delay);

    /// <summary>
    /// Makes <paramref name="brokerId"/> the coordinator of consumer group <paramref name="groupId"/> (otherwise the
    /// cluster picks one from a hash of the group id). Clients that already found another coordinator keep using it
    /// until it answers NOT_COORDINATOR: set it before the group's clients start. With <see cref="SetBrokerDown"/> it
    /// takes down exactly the group's coordinator.
    /// </summary>
    /// <param name="groupId">The consumer group id (for a transactional producer, its consumer's group).</param>
    /// <param name="brokerId">A broker id from 1 to <see cref="BrokerCount"/>.</param>
    void SetGroupCoordinator(string groupId, int brokerId);

    /// <summary>
    /// Makes <paramref name="brokerId"/> the transaction coordinator of <paramref name="transactionalId"/>, as
    /// <see cref="SetGroupCoordinator"/> does for a group: set it before the producer starts.
    /// </summary>
    /// <param name="transactionalId">The producer's <c>transactional.id</c>.</param>
    /// <param name="brokerId">A broker id from 1 to <see cref="BrokerCount"/>.</param>
    void SetTransactionCoordinator(string transactionalId, int brokerId);
}

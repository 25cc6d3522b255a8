using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// Where a message goes when it cannot be processed. Implementations must not return before the dead
/// letter is durably stored (for Kafka: acknowledged with acks=all), because callers move the consumer
/// offset past the original message as soon as the returned task completes.
/// </summary>
/// <remarks>
/// This interface is a stable contract: KafkaAnalyzers code fixes (KAFKA103) generate calls to it.
/// <see cref="KafkaDeadLetterPublisher"/> is the Kafka implementation (topic <c>&lt;topic&gt;.dlq</c>,
/// original key/value/headers kept, <see cref="DeadLetterHeaders"/> added, acknowledged with acks=all).
/// </remarks>
public interface IDeadLetterSink
{
    /// <summary>Stores <paramref name="result"/> with the failure that stopped its processing.</summary>
    /// <param name="result">The consumed message that failed.</param>
    /// <param name="exception">Why it failed.</param>
    /// <param name="category">Whether retrying could have helped.</param>
    /// <param name="attempts">How many times processing was attempted.</param>
    /// <param name="cancellationToken">Cancels waiting for the acknowledgement (the dead letter may still be written).</param>
    /// <returns>A task that completes once the dead letter is acknowledged, and faults if it could not be stored.</returns>
    Task PublishAsync<TKey, TValue>(
        ConsumeResult<TKey, TValue> result,
        Exception exception,
        FailureCategory category = FailureCategory.Permanent,
        int attempts = 1,
        CancellationToken cancellationToken = default);
}

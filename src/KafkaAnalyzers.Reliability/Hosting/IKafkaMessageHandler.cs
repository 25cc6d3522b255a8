using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Hosting;

/// <summary>
/// Handles one consumed message for a hosted reliable consumer. A new DI scope is created per message,
/// so the handler may depend on scoped services (a DbContext, for example).
/// </summary>
/// <typeparam name="TKey">The message key type.</typeparam>
/// <typeparam name="TValue">The message value type.</typeparam>
public interface IKafkaMessageHandler<TKey, TValue>
{
    /// <summary>Processes the message. Throw to fail the attempt: transient failures are retried, then dead-lettered.</summary>
    /// <param name="message">The deserialized message with its topic, partition, offset and headers.</param>
    /// <param name="cancellationToken">Fires when the message's partition is revoked or the host stops past its shutdown timeout.</param>
    /// <returns>A task that completes when the message is processed.</returns>
    Task HandleAsync(ConsumeResult<TKey, TValue> message, CancellationToken cancellationToken);
}

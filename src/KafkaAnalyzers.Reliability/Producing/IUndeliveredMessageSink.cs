namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// Durable storage for messages that could not be delivered (an outbox table, a local journal, another
/// cluster), used by <see cref="DeliveryTrackingProducer{TKey,TValue}"/> when no synchronous
/// <see cref="DeliveryTrackingOptions{TKey,TValue}.OnDeliveryFailed"/> handler is set, or when that handler throws.
/// Calls are made one at a time, in failure order, off the producer's delivery-report thread.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public interface IUndeliveredMessageSink<TKey, TValue>
{
    /// <summary>Stores <paramref name="failure"/>; the returned task faults if it could not be stored.</summary>
    /// <param name="failure">The message and why it was not delivered.</param>
    /// <param name="cancellationToken">Signalled when the producer's disposal gives up waiting.</param>
    /// <returns>A task that completes once the message is stored.</returns>
    Task StoreAsync(DeliveryFailure<TKey, TValue> failure, CancellationToken cancellationToken);
}

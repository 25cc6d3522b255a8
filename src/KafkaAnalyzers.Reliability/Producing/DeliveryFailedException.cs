using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// The delivery awaited through <see cref="DeliveryTrackingProducer{TKey,TValue}.ProduceAsync(string, Message{TKey,TValue}, CancellationToken)"/>
/// failed. Catch this type for any key/value types; <see cref="DeliveryFailedException{TKey,TValue}"/> also carries the message.
/// </summary>
public class DeliveryFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Description.</param>
    /// <param name="topic">Topic produced to.</param>
    /// <param name="error">Delivery error.</param>
    /// <param name="status">Persistence status.</param>
    /// <param name="category">Transient or permanent.</param>
    /// <param name="producerIsFatal">Whether the producer is in a fatal state.</param>
    /// <param name="innerException">Confluent's exception, when there is one.</param>
    public DeliveryFailedException(string message, string topic, Error error, PersistenceStatus status, FailureCategory category, bool producerIsFatal, Exception? innerException = null)
        : base(message, innerException)
    {
        Topic = topic;
        Error = error;
        Status = status;
        Category = category;
        ProducerIsFatal = producerIsFatal;
    }

    /// <summary>Topic produced to.</summary>
    public string Topic { get; }

    /// <summary>The delivery error.</summary>
    public Error Error { get; }

    /// <summary>Whether the message may be in the log anyway.</summary>
    public PersistenceStatus Status { get; }

    /// <summary>Whether producing again later may succeed.</summary>
    public FailureCategory Category { get; }

    /// <summary>True when the producer can no longer produce.</summary>
    public bool ProducerIsFatal { get; }
}

/// <summary>A failed awaited delivery, with the message.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class DeliveryFailedException<TKey, TValue> : DeliveryFailedException
{
    /// <summary>Creates the exception from a failure.</summary>
    /// <param name="failure">The failed delivery.</param>
    public DeliveryFailedException(DeliveryFailure<TKey, TValue> failure)
        : base(Describe(failure), failure.Topic, failure.Error, failure.Status, failure.Category, failure.ProducerIsFatal)
    {
        Failure = failure;
    }

    /// <summary>The failed delivery, including the message.</summary>
    public DeliveryFailure<TKey, TValue> Failure { get; }

    private static string Describe(DeliveryFailure<TKey, TValue> failure) =>
        $"Delivery to {failure.Topic} failed: {failure.Error.Code} ({failure.Error.Reason}); {failure.Category}, status {failure.Status}{(failure.ProducerIsFatal ? ", producer is fatal" : "")}.";
}

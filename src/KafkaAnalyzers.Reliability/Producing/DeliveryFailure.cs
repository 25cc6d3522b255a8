using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>A message whose delivery failed or was never confirmed, with everything needed to decide what to do with it.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed record DeliveryFailure<TKey, TValue>
{
    /// <summary>The topic it was produced to.</summary>
    public required string Topic { get; init; }

    /// <summary>The partition it was assigned to, or <see cref="Partition.Any"/> when it never got one.</summary>
    public required Partition Partition { get; init; }

    /// <summary>The message as it was produced (the same object the caller passed).</summary>
    public required Message<TKey, TValue> Message { get; init; }

    /// <summary>The delivery error (<see cref="ErrorCode.Local_Destroy"/> for a message still unconfirmed at disposal).</summary>
    public required Error Error { get; init; }

    /// <summary>Whether the message may be in the log anyway; anything but <see cref="PersistenceStatus.NotPersisted"/> means a resend can duplicate it.</summary>
    public required PersistenceStatus Status { get; init; }

    /// <summary>From <see cref="DeliveryErrorClassifier.Classify"/>.</summary>
    public required FailureCategory Category { get; init; }

    /// <summary>True when the producer is in a fatal state: it cannot produce any more; create a new one.</summary>
    public required bool ProducerIsFatal { get; init; }

    /// <summary>True when the producer was disposed before the cluster confirmed or failed the message.</summary>
    public bool UnconfirmedAtDisposal { get; init; }

    /// <summary>Shorthand for <see cref="DeliveryErrorClassifier.MayHaveBeenPersisted"/> of <see cref="Status"/>.</summary>
    public bool MayHaveBeenPersisted => DeliveryErrorClassifier.MayHaveBeenPersisted(Status);
}

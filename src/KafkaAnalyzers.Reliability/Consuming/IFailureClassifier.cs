using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>Decides whether a processing failure is worth retrying.</summary>
public interface IFailureClassifier
{
    /// <summary>Classifies a failure thrown while deserializing or handling a message.</summary>
    /// <param name="exception">What the deserializer or the handler threw.</param>
    /// <returns>
    /// <see cref="FailureCategory.Permanent"/> to dead-letter the message at once,
    /// <see cref="FailureCategory.Transient"/> to retry it with backoff first.
    /// </returns>
    FailureCategory Classify(Exception exception);
}

using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// The producer hit a fatal error (reported through the client's error handler, KAFKA_FACTS §4) and can
/// never produce again. Messages it still held are failed to the failure handler; create a new producer.
/// </summary>
public sealed class ProducerFatalException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The fatal error.</param>
    public ProducerFatalException(Error error)
        : base($"The producer hit a fatal error ({error?.Code}: {error?.Reason}) and cannot produce any more; dispose it and create a new one.")
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    /// <summary>The fatal error.</summary>
    public Error Error { get; }
}

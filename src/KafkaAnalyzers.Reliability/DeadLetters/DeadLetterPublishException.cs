using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// A dead letter could not be stored. The original message has not been dead-lettered (or, when
/// <see cref="MayHaveBeenWritten"/> is true, it is unknown whether it was): do not move the consumer
/// offset past it.
/// </summary>
public sealed class DeadLetterPublishException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="original">Where the message that failed processing was.</param>
    /// <param name="deadLetterTopic">Where it was to be written (null when the topic could not be chosen).</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="error">The Kafka error, when the produce failed.</param>
    /// <param name="mayHaveBeenWritten">Whether the dead letter may exist anyway (e.g. it was in flight).</param>
    /// <param name="innerException">The cause.</param>
    public DeadLetterPublishException(TopicPartitionOffset original, string? deadLetterTopic, string message, Error? error = null, bool mayHaveBeenWritten = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Original = original;
        DeadLetterTopic = deadLetterTopic;
        Error = error;
        MayHaveBeenWritten = mayHaveBeenWritten;
    }

    /// <summary>Where the message that failed processing was.</summary>
    public TopicPartitionOffset Original { get; }

    /// <summary>The dead-letter topic, when it was chosen.</summary>
    public string? DeadLetterTopic { get; }

    /// <summary>The Kafka error when the produce to the dead-letter topic failed; null for other causes (serialization, size, disposal).</summary>
    public Error? Error { get; }

    /// <summary>True when the dead letter was in flight and may have been written (a retry can then duplicate it).</summary>
    public bool MayHaveBeenWritten { get; }
}

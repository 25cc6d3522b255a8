using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>
/// A message could not be produced to its retry tier, even after the retries of
/// <see cref="Consuming.ReliableConsumerOptions.DeadLetter"/>. The consumer stops rather than skip it: its
/// source offset was not stored, so it is consumed again after a restart.
/// </summary>
public sealed class RetryTopicPublishException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="original">Where the message was consumed.</param>
    /// <param name="retryTopic">The tier topic it was going to.</param>
    /// <param name="message">What failed.</param>
    /// <param name="error">The Kafka error, when the produce failed.</param>
    /// <param name="innerException">The cause.</param>
    public RetryTopicPublishException(TopicPartitionOffset original, string retryTopic, string message, Error? error = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Original = original;
        RetryTopic = retryTopic;
        Error = error;
    }

    /// <summary>Where the message was consumed (a source topic or a tier).</summary>
    public TopicPartitionOffset Original { get; }

    /// <summary>The tier topic it was going to.</summary>
    public string RetryTopic { get; }

    /// <summary>The Kafka error, when the produce failed.</summary>
    public Error? Error { get; }
}

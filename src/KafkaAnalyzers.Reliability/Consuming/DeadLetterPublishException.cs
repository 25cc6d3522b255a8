namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// A message that had to be dead-lettered could not be stored in the dead-letter sink, even after
/// retries. The consumer stops with this exception rather than skip the message: its offset was not
/// stored, so it is delivered again once the consumer is restarted.
/// </summary>
public sealed class DeadLetterPublishException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">Why the sink failed.</param>
    public DeadLetterPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>A consumed message's key or value could not be deserialized; the raw message is dead-lettered as a permanent failure.</summary>
public sealed class MessageDeserializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="isKey">Whether the key (rather than the value) failed.</param>
    /// <param name="innerException">What the deserializer threw.</param>
    public MessageDeserializationException(string message, bool isKey, Exception innerException)
        : base(message, innerException)
    {
        IsKey = isKey;
    }

    /// <summary>Whether the key (rather than the value) could not be deserialized.</summary>
    public bool IsKey { get; }
}

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>The Kafka cluster did not answer within the allowed time (wrong address, brokers down, network or security settings).</summary>
public sealed class KafkaUnreachableException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="bootstrapServers">The servers that were tried.</param>
    /// <param name="message">What was being done and what went wrong.</param>
    /// <param name="innerException">The client's error, if any.</param>
    public KafkaUnreachableException(string bootstrapServers, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The servers that were tried.</summary>
    public string BootstrapServers { get; }
}

/// <summary>A topic the operation needs does not exist on the cluster.</summary>
public sealed class TopicNotFoundException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="topic">The missing topic.</param>
    /// <param name="message">What needed it.</param>
    public TopicNotFoundException(string topic, string message)
        : base(message)
    {
        Topic = topic;
    }

    /// <summary>The missing topic.</summary>
    public string Topic { get; }
}

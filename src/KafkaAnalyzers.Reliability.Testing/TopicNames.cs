namespace KafkaAnalyzers.Reliability.Testing;

/// <summary>Kafka's topic-name rules, checked before a name reaches a cluster.</summary>
internal static class TopicNames
{
    /// <summary>Kafka's limit on topic-name length.</summary>
    public const int MaxLength = 249;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="topic"/> is a legal Kafka topic name.</summary>
    public static void Validate(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length is 0 or > MaxLength || topic is "." or "..")
        {
            throw new ArgumentException(
                $"Topic name '{topic}' is not legal: it must be 1 to {MaxLength} characters and not '.' or '..'.", nameof(topic));
        }

        foreach (var c in topic)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new ArgumentException(
                    $"Topic name '{topic}' is not legal: '{c}' is not one of a-z, A-Z, 0-9, '.', '_' or '-'.", nameof(topic));
            }
        }
    }
}

using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.Reliability.Tests.Support;

/// <summary>
/// Unique topic names, so metrics recorded by tests running in parallel can be told apart by their topic
/// tag, and topics replicated on all three brokers (acks=all then waits for every replica).
/// </summary>
internal static class Topics
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static string CreateUniqueTopic(this IKafkaTestCluster cluster, string prefix, int partitions = 1)
    {
        var topic = Unique(prefix);
        cluster.CreateTopic(topic, partitions, replicationFactor: 3);
        return topic;
    }

    /// <summary>Creates a unique topic and its <c>&lt;topic&gt;.dlq</c>; returns the original topic's name.</summary>
    public static string CreateTopicWithDeadLetterTopic(this IKafkaTestCluster cluster, string prefix, int partitions = 1, int? deadLetterPartitions = null)
    {
        var topic = cluster.CreateUniqueTopic(prefix, partitions);
        cluster.CreateTopic(topic + ".dlq", deadLetterPartitions ?? partitions, replicationFactor: 3);
        return topic;
    }
}

using KafkaAnalyzers.Reliability.DeadLetters;

namespace ReliablePipeline.Scenario;

/// <summary>The topics of one run.</summary>
/// <param name="Orders">Orders to charge.</param>
/// <param name="Payments">Payment results.</param>
internal sealed record TopicNames(string Orders, string Payments)
{
    public const int Partitions = 6;

    public string DeadLetters => Orders + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix;

    /// <summary>Plain names on a fresh in-process cluster; unique names on a shared real cluster.</summary>
    public static TopicNames For(string variant, bool sharedCluster)
    {
        var suffix = sharedCluster ? $"-{variant}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}" : string.Empty;
        return new TopicNames("orders" + suffix, "payments" + suffix);
    }
}

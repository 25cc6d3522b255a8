using KafkaAnalyzers.Reliability.DeadLetters;

namespace ReliablePipeline.Scenario;

/// <summary>The topics and consumer group of one run.</summary>
/// <param name="Orders">Orders to charge.</param>
/// <param name="Payments">Payment results.</param>
/// <param name="Group">The payment service's consumer group.</param>
internal sealed record RunNames(string Orders, string Payments, string Group)
{
    public const int Partitions = 6;

    public string DeadLetters => Orders + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix;

    /// <summary>Plain names on a fresh in-process cluster; unique names on a shared real cluster, where topics and groups outlive the run.</summary>
    public static RunNames For(string variant, bool sharedCluster)
    {
        var suffix = sharedCluster ? $"-{variant}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}" : string.Empty;
        return new RunNames("orders" + suffix, "payments" + suffix, "payment-service" + suffix);
    }
}

using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.RetryTopics;

namespace ReliablePipeline.Scenario;

/// <summary>The topics and consumer group of one run.</summary>
/// <param name="Orders">Orders to charge.</param>
/// <param name="Payments">Payment results.</param>
/// <param name="Group">The payment service's consumer group.</param>
internal sealed record RunNames(string Orders, string Payments, string Group)
{
    public const int Partitions = 6;

    /// <summary>Retry tiers of the orders topic the run needs (none unless the variant uses retry topics).</summary>
    public int RetryTierCount { get; init; }

    public string DeadLetters => Orders + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix;

    /// <summary>The orders topic's retry tiers, <c>orders.retry.1</c>...</summary>
    public IReadOnlyList<string> RetryTiers => Enumerable.Range(1, RetryTierCount).Select(tier => RetryTopicOptions.DefaultTopicName(Orders, tier)).ToList();

    /// <summary>Plain names on a fresh in-process cluster; unique names on a shared real cluster, where topics and groups outlive the run.</summary>
    public static RunNames For(string variant, bool sharedCluster)
    {
        var suffix = sharedCluster ? $"-{variant}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}" : string.Empty;
        return new RunNames("orders" + suffix, "payments" + suffix, "payment-service" + suffix);
    }
}

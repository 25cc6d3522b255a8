using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.RetryTopics;
using KafkaAnalyzers.Reliability.Tests.Consuming;

namespace KafkaAnalyzers.Reliability.Tests.RetryTopics;

/// <summary>Retry-topic helpers on top of <see cref="ConsumerTestKit"/>.</summary>
internal static class RetryTopicKit
{
    /// <summary>Creates the tier topics of <paramref name="topic"/> (the in-process cluster cannot create topics through the admin API).</summary>
    public static void CreateTiers(this ConsumerTestKit kit, string topic, int partitions, int tiers)
    {
        for (var tier = 1; tier <= tiers; tier++)
        {
            kit.Cluster.CreateTopic(RetryTopicOptions.DefaultTopicName(topic, tier), partitions, replicationFactor: 3);
        }
    }

    public static void UseRetryTopics(this ReliableConsumerOptions options, params TimeSpan[] delays)
    {
        options.RetryTopics.Enabled = true;
        options.RetryTopics.Delays = delays.ToList();
        options.RetryTopics.CreateMissingTopics = false;
    }

    public static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Waits until the group has committed the end of every partition of every topic given.</summary>
    public static Task WaitUntilCommittedToEnd(this ConsumerTestKit kit, string group, int partitions, Func<string> details, params string[] topics) =>
        ConsumerTestKit.WaitUntil(
            () => topics.All(topic =>
            {
                var ends = kit.EndOffsets(topic, partitions);
                return kit.CommittedOffsets(group, topic, partitions).All(pair => pair.Value == ends[pair.Key] || (ends[pair.Key] == 0 && pair.Value < 0));
            }),
            $"group {group} committed the end of {string.Join(", ", topics)}",
            details,
            TimeSpan.FromSeconds(120));

    public static long Header(Headers headers, string name) =>
        long.Parse(System.Text.Encoding.UTF8.GetString(headers.GetLastBytes(name)), System.Globalization.CultureInfo.InvariantCulture);

    public static string Text(Headers headers, string name) => System.Text.Encoding.UTF8.GetString(headers.GetLastBytes(name));
}

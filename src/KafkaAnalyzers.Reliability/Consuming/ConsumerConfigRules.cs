using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>The consumer settings the reliable consume loop depends on, checked before the consumer is built.</summary>
internal static class ConsumerConfigRules
{
    private const string Prefix = nameof(ReliableConsumerOptions) + "." + nameof(ReliableConsumerOptions.Consumer);

    public static IEnumerable<string> Check(ConsumerConfig config)
    {
        var autoOffsetStore = config.Get("enable.auto.offset.store");
        if (ParseBool(autoOffsetStore) != false)
        {
            yield return $"{Prefix}.{nameof(ConsumerConfig.EnableAutoOffsetStore)} (enable.auto.offset.store) must be false, " +
                $"but it is {(autoOffsetStore is null ? "not set (librdkafka's default is true)" : $"'{autoOffsetStore}'")}: " +
                "with automatic storing, offsets of messages still being processed or retried are committed, " +
                "and a crash loses those messages. The consumer stores each offset itself after the message is processed or dead-lettered.";
        }

        if (string.IsNullOrWhiteSpace(config.Get("group.id")))
        {
            yield return $"{Prefix}.{nameof(ConsumerConfig.GroupId)} (group.id) is required: offsets are committed for a consumer group.";
        }

        if (string.IsNullOrWhiteSpace(config.Get("bootstrap.servers")) && string.IsNullOrWhiteSpace(config.Get("test.mock.num.brokers")))
        {
            yield return $"{Prefix}.{nameof(ConsumerConfig.BootstrapServers)} (bootstrap.servers) is required.";
        }
    }

    /// <summary>librdkafka's boolean syntax: true/t/1 and false/f/0, any case.</summary>
    public static bool? ParseBool(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "true" or "t" or "1" => true,
        "false" or "f" or "0" => false,
        _ => null,
    };
}

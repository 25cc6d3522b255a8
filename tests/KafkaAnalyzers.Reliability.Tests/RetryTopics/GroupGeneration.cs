using System.Reflection;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Tests.RetryTopics;

/// <summary>
/// The consumer group generation a consumer is in. Confluent.Kafka 2.16 keeps librdkafka's serialized group
/// metadata (rd_kafka_consumer_group_metadata_write: the 7-byte magic "CGMDv2:", then the generation id as a
/// native-endian int32, then the group and member ids) in ConsumerGroupMetadata's only field. Every rebalance
/// bumps the generation, so an unchanged generation proves the consumer never rejoined.
/// </summary>
internal static class GroupGeneration
{
    public static int Of(IConsumer<byte[], byte[]> consumer)
    {
        var metadata = consumer.ConsumerGroupMetadata;
        var field = metadata.GetType().GetField("serializedMetadata", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("ConsumerGroupMetadata no longer has a 'serializedMetadata' field; this helper matches Confluent.Kafka 2.16.");
        var bytes = (byte[])field.GetValue(metadata)!;
        if (bytes.Length < 11 || System.Text.Encoding.ASCII.GetString(bytes, 0, 7) != "CGMDv2:")
        {
            throw new InvalidOperationException($"Unexpected group metadata layout: {BitConverter.ToString(bytes)}.");
        }

        return BitConverter.ToInt32(bytes, 7);
    }
}

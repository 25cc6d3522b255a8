using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.ExactlyOnce;

/// <summary>A message the exactly-once handler wants produced, in the same transaction as its input's offset.</summary>
/// <typeparam name="TKey">Output key type.</typeparam>
/// <typeparam name="TValue">Output value type.</typeparam>
/// <param name="Topic">Destination topic.</param>
/// <param name="Message">The message (key, value, headers, timestamp).</param>
/// <param name="Partition">Destination partition; <see cref="Partition.Any"/> (the default) lets the partitioner choose by key.</param>
public sealed record OutputMessage<TKey, TValue>(string Topic, Message<TKey, TValue> Message, Partition Partition = default)
{
    /// <summary>An output with <paramref name="key"/> and <paramref name="value"/> for <paramref name="topic"/>, partitioned by key.</summary>
    /// <param name="topic">Destination topic.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="headers">Headers, if any.</param>
    /// <returns>The output.</returns>
    public static OutputMessage<TKey, TValue> To(string topic, TKey key, TValue value, Headers? headers = null) =>
        new(topic, new Message<TKey, TValue> { Key = key, Value = value, Headers = headers }, Partition.Any);
}

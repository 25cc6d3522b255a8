namespace KafkaAnalyzers.Reliability.Processing;

/// <summary>Messages with equal keys are processed one at a time, in offset order: a topic, a partition and the raw key bytes.</summary>
internal readonly struct OrderingKey : IEquatable<OrderingKey>
{
    private readonly string topic;
    private readonly int partition;
    private readonly byte[] key;
    private readonly int hash;

    private OrderingKey(string topic, int partition, byte[] key)
    {
        this.topic = topic;
        this.partition = partition;
        this.key = key;
        var hasher = new HashCode();
        hasher.Add(topic);
        hasher.Add(partition);
        hasher.AddBytes(key);
        hash = hasher.ToHashCode();
    }

    /// <summary>The ordering key of a message, or <see langword="null"/> for a message without a key (no ordering constraint).</summary>
    public static OrderingKey? For(string topic, int partition, byte[]? key) => key is null ? null : new OrderingKey(topic, partition, key);

    public bool Equals(OrderingKey other) =>
        partition == other.partition && topic == other.topic && key.AsSpan().SequenceEqual(other.key);

    public override bool Equals(object? obj) => obj is OrderingKey other && Equals(other);

    public override int GetHashCode() => hash;
}

using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Processing;

/// <summary>
/// The partitions this consumer owns right now, each with its offset tracker. Offsets are only ever
/// taken from partitions in this set, so nothing is stored for a partition after it was revoked.
/// </summary>
/// <remarks>Confined to the poll thread (rebalance handlers run on it too); workers only touch trackers.</remarks>
internal sealed class AssignedPartitions
{
    private readonly Dictionary<TopicPartition, OwnedPartition> owned = new();
    private readonly CancellationToken consumerStopping;
    private readonly Action<Exception> callbackFailed;

    // The owner of the last consumed message's partition: consecutive messages mostly come from one partition
    // (librdkafka hands out a fetched batch at a time), so most lookups need neither a TopicPartition nor a hash.
    private OwnedPartition? last;

    /// <param name="consumerStopping">Cancelled when the consumer abandons all its work.</param>
    /// <param name="callbackFailed">Told when a handler's cancellation callback throws as a partition's assignment ends.</param>
    public AssignedPartitions(CancellationToken consumerStopping, Action<Exception> callbackFailed)
    {
        this.consumerStopping = consumerStopping;
        this.callbackFailed = callbackFailed;
    }

    /// <summary>The owned partitions (the dictionary's own collection type: enumerating it on the poll thread allocates nothing).</summary>
    public Dictionary<TopicPartition, OwnedPartition>.ValueCollection All => owned.Values;

    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        last = null;
        foreach (var partition in partitions)
        {
            if (owned.Remove(partition, out var previous))
            {
                previous.Abandon();
            }

            owned[partition] = new OwnedPartition(partition, consumerStopping, callbackFailed);
        }
    }

    /// <summary>The owner of a consumed message's partition (consumed messages always come from owned partitions).</summary>
    public OwnedPartition GetOrAssign(string topic, Partition partition)
    {
        if (last is { } cached && cached.Partition.Partition == partition && string.Equals(cached.Partition.Topic, topic, StringComparison.Ordinal))
        {
            return cached;
        }

        var key = new TopicPartition(topic, partition);
        if (!owned.TryGetValue(key, out var current))
        {
            current = new OwnedPartition(key, consumerStopping, callbackFailed);
            owned[key] = current;
        }

        last = current;
        return current;
    }

    public List<OwnedPartition> Find(IEnumerable<TopicPartition> partitions)
    {
        var found = new List<OwnedPartition>();
        foreach (var partition in partitions)
        {
            if (owned.TryGetValue(partition, out var current))
            {
                found.Add(current);
            }
        }

        return found;
    }

    /// <summary>Stops owning the partitions: in-flight work for them is cancelled and its completions ignored.</summary>
    public void Release(IEnumerable<TopicPartition> partitions)
    {
        last = null;
        foreach (var partition in partitions)
        {
            if (owned.Remove(partition, out var current))
            {
                current.Abandon();
            }
        }
    }

    public void ReleaseAll() => Release(owned.Keys.ToList());
}

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

    public AssignedPartitions(CancellationToken consumerStopping) => this.consumerStopping = consumerStopping;

    public IReadOnlyCollection<OwnedPartition> All => owned.Values;

    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (owned.Remove(partition, out var previous))
            {
                previous.Abandon();
            }

            owned[partition] = new OwnedPartition(partition, consumerStopping);
        }
    }

    /// <summary>The owner of a consumed message's partition (consumed messages always come from owned partitions).</summary>
    public OwnedPartition GetOrAssign(TopicPartition partition)
    {
        if (!owned.TryGetValue(partition, out var current))
        {
            current = new OwnedPartition(partition, consumerStopping);
            owned[partition] = current;
        }

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

using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>
/// For <see cref="RetryTopicOptions.KeepKeyOrder"/>: which messages of each key (of a source topic and
/// partition) are in the retry path, by original offset, and in which tier. Messages of a key in the
/// retry path always sit in non-increasing tiers by offset (a later one never overtakes an earlier one),
/// because a message that must wait goes to the tier of the nearest earlier one.
/// </summary>
/// <remarks>In memory, for this consumer only; thread-safe (workers call it).</remarks>
internal sealed class KeyOrderRegistry
{
    private readonly object gate = new();
    private readonly Dictionary<(string Topic, int Partition, string Key), SortedDictionary<long, int>> pending = new();

    /// <summary>Entries in the registry (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Values.Sum(entries => entries.Count);
            }
        }
    }

    /// <summary>The tier of the nearest earlier message of the key still in the retry path, or null when there is none.</summary>
    public int? TierOfNearestEarlier(TopicPartitionOffset original, byte[] key)
    {
        lock (gate)
        {
            if (!pending.TryGetValue(Key(original, key), out var entries))
            {
                return null;
            }

            int? tier = null;
            foreach (var (offset, entryTier) in entries)
            {
                if (offset >= original.Offset.Value)
                {
                    break;
                }

                tier = entryTier;
            }

            return tier;
        }
    }

    /// <summary>Records that the message is now in <paramref name="tier"/>.</summary>
    public void Enter(TopicPartitionOffset original, byte[] key, int tier)
    {
        lock (gate)
        {
            var k = Key(original, key);
            if (!pending.TryGetValue(k, out var entries))
            {
                pending[k] = entries = new SortedDictionary<long, int>();
            }

            entries[original.Offset.Value] = tier;
        }
    }

    /// <summary>Records that the message left the retry path (handled or dead-lettered).</summary>
    public void Leave(TopicPartitionOffset original, byte[] key)
    {
        lock (gate)
        {
            var k = Key(original, key);
            if (pending.TryGetValue(k, out var entries) && entries.Remove(original.Offset.Value) && entries.Count == 0)
            {
                pending.Remove(k);
            }
        }
    }

    /// <summary>Forgets every key of a source partition this consumer no longer owns.</summary>
    public void Forget(string topic, int partition)
    {
        lock (gate)
        {
            foreach (var k in pending.Keys.Where(k => k.Partition == partition && k.Topic == topic).ToList())
            {
                pending.Remove(k);
            }
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            pending.Clear();
        }
    }

    private static (string, int, string) Key(TopicPartitionOffset original, byte[] key) =>
        (original.Topic, original.Partition.Value, Convert.ToBase64String(key));
}

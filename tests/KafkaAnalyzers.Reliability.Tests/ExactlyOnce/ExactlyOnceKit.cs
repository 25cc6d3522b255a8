using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.ExactlyOnce;
using KafkaAnalyzers.Reliability.Tests.Consuming;

namespace KafkaAnalyzers.Reliability.Tests.ExactlyOnce;

/// <summary>
/// Processor settings for tests, readers of an output topic at both isolation levels, and the offset mirror the mock
/// cluster needs: librdkafka 2.16's mock answers TxnOffsetCommit without storing the offsets (KAFKA_FACTS.md, 2026-12-03
/// exactly-once), so a restarted processor would start from the beginning. The mirror commits, with a plain commit of
/// the processor's own consumer, exactly the offsets a transaction committed, right after it committed; a mirror that
/// could not be written then (a rebalance) is written when the partitions are next assigned, before they are fetched.
/// </summary>
internal sealed class ExactlyOnceKit
{
    private readonly ConcurrentDictionary<TopicPartition, long> pendingMirror = new();
    private long mirrorCommitSince;

    public static ExactlyOnceProcessorOptions Options(ConsumerTestKit kit, string topic, string group, string instance) => new()
    {
        Consumer = ShortSessions(kit.ConsumerConfig(group)),
        Topics = { topic },
        InstanceId = instance,
        MaxBatchSize = 100,
        TransactionCallTimeout = TimeSpan.FromSeconds(10),
        LagRefreshInterval = TimeSpan.FromMilliseconds(100),
        Retry = { MaxAttempts = 3, Delay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    public static ConsumerConfig ShortSessions(ConsumerConfig config)
    {
        config.EnableAutoCommit = null;
        config.EnableAutoOffsetStore = null;
        config.AutoCommitIntervalMs = null;
        return config;
    }

    /// <summary>Attaches the offset mirror (and <paramref name="committed"/>, told of every committed transaction's inputs).</summary>
    public void Attach<TKey, TValue, TOutKey, TOutValue>(ExactlyOnceProcessor<TKey, TValue, TOutKey, TOutValue> processor, Action<IReadOnlyList<TopicPartitionOffset>>? committed = null)
    {
        processor.TransactionCommitted = (consumer, offsets, inputs) =>
        {
            committed?.Invoke(inputs);
            foreach (var offset in offsets)
            {
                pendingMirror.AddOrUpdate(offset.TopicPartition, offset.Offset.Value, (_, known) => Math.Max(known, offset.Offset.Value));
            }

            TryMirror(consumer, offsets.Select(offset => offset.TopicPartition));
        };
        processor.PartitionsAssigned = (consumer, partitions) => TryMirror(consumer, partitions);
    }

    private void TryMirror(IConsumer<byte[], byte[]> consumer, IEnumerable<TopicPartition> partitions)
    {
        var toCommit = partitions
            .Where(pendingMirror.ContainsKey)
            .Select(partition => new TopicPartitionOffset(partition, pendingMirror[partition]))
            .ToList();
        if (toCommit.Count == 0)
        {
            return;
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                // Commit has no timeout and runs on the processor's thread: recorded so a test that waits for the
                // processor can say whether it was stuck here (test plumbing) rather than in the processor.
                Volatile.Write(ref mirrorCommitSince, DateTime.UtcNow.Ticks);
                consumer.Commit(toCommit);
                foreach (var offset in toCommit)
                {
                    pendingMirror.TryRemove(new KeyValuePair<TopicPartition, long>(offset.TopicPartition, offset.Offset.Value));
                }

                return;
            }
            catch (KafkaException)
            {
                Thread.Sleep(100);
            }
            finally
            {
                Volatile.Write(ref mirrorCommitSince, 0);
            }
        }
    }

    /// <summary>Whether a mirror commit is blocking the processor's thread now, and since when: for failure messages.</summary>
    public string DescribeMirror() =>
        Volatile.Read(ref mirrorCommitSince) is var since and not 0
            ? $"a mirror commit (consumer.Commit on the processor's thread) has been blocking since {new DateTime(since, DateTimeKind.Utc):HH:mm:ss.fff} UTC"
            : "no mirror commit in progress";

    /// <summary>Reads every data message of <paramref name="topic"/> from the beginning to its current end, at <paramref name="isolation"/>.</summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadAll(ConsumerTestKit kit, string topic, int partitions, IsolationLevel isolation)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kit.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = isolation,
        }).Build();
        var remaining = Enumerable.Range(0, partitions).Select(partition => new TopicPartition(topic, partition)).ToHashSet();
        consumer.Assign(remaining.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + ConsumerTestKit.Patience;
        while (remaining.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Read {results.Count} message(s) of '{topic}' at {isolation}; {string.Join(", ", remaining)} did not reach their end.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                remaining.Remove(result.TopicPartition);
                continue;
            }

            results.Add(result);
        }

        return results;
    }

    public static string Header(Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));
}

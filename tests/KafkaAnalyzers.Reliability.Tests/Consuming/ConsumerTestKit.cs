using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Testing;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

/// <summary>
/// One in-process cluster per test (faults are cluster-wide), consumer settings tuned so that group
/// rebalances take seconds, not minutes, and read-back helpers. Waits are generous; no test asserts speed.
/// </summary>
internal sealed class ConsumerTestKit : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<IAsyncDisposable> owned = new();

    public ConsumerTestKit(ITestOutputHelper output)
    {
        Cluster = InProcessKafkaCluster.Start(3);
        Cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        Logs = new RecordingLoggerProvider(output);
    }

    public InProcessKafkaCluster Cluster { get; }

    public RecordingLoggerProvider Logs { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>A topic (and its dead-letter topic) with <paramref name="partitions"/> partitions, replicated on all 3 brokers.</summary>
    public string CreateTopic(string purpose, int partitions)
    {
        var topic = $"{purpose}-{Guid.NewGuid():N}";
        Cluster.CreateTopic(topic, partitions, replicationFactor: 3);
        Cluster.CreateTopic(topic + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix, partitions, replicationFactor: 3);
        return topic;
    }

    /// <summary>The at-least-once preset with group timings short enough for tests.</summary>
    public ConsumerConfig ConsumerConfig(string groupId)
    {
        var config = KafkaPresets.AtLeastOnceConsumer(BootstrapServers, groupId);
        config.SessionTimeoutMs = 3_000;
        config.HeartbeatIntervalMs = 500;
        config.MaxPollIntervalMs = 30_000;
        config.AutoCommitIntervalMs = 200;
        config.TopicMetadataRefreshIntervalMs = 1_000;
        config.ReconnectBackoffMaxMs = 500;
        return config;
    }

    public ReliableConsumerOptions Options(string topic, string groupId, Action<ReliableConsumerOptions>? configure = null)
    {
        var options = new ReliableConsumerOptions
        {
            Consumer = ConsumerConfig(groupId),
            Topics = { topic },
            RevocationDrainTimeout = TimeSpan.FromSeconds(2),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        };
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        options.DeadLetter.Delay = TimeSpan.FromMilliseconds(50);
        configure?.Invoke(options);
        return options;
    }

    public KafkaDeadLetterPublisher DeadLetterPublisher(string groupId)
    {
        var publisher = new KafkaDeadLetterPublisher(BootstrapServers, new KafkaDeadLetterPublisherOptions { ConsumerGroupId = groupId });
        owned.Add(publisher);
        return publisher;
    }

    public ReliableConsumer<TKey, TValue> Consumer<TKey, TValue>(
        ReliableConsumerOptions options,
        Func<ConsumeResult<TKey, TValue>, CancellationToken, Task> handler,
        IDeadLetterSink sink,
        IDeserializer<TValue>? valueDeserializer = null)
    {
        var consumer = new ReliableConsumer<TKey, TValue>(options, handler, sink, valueDeserializer: valueDeserializer, loggerFactory: Logs.Factory);
        owned.Add(consumer);
        return consumer;
    }

    /// <summary>Produces every message (acks=all, idempotent) and returns where each one landed, in input order.</summary>
    public List<TopicPartitionOffset> Produce(string topic, IEnumerable<Message<byte[], byte[]>> messages)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaPresets.CriticalProducer(BootstrapServers)).Build();
        var tasks = messages.Select(message => producer.ProduceAsync(topic, message)).ToList();
        producer.Flush(Patience);
        return tasks.Select(task => task.GetAwaiter().GetResult().TopicPartitionOffset).ToList();
    }

    public static Message<byte[], byte[]> Message(string key, string value, string id)
    {
        var message = Message(key, Encoding.UTF8.GetBytes(value), id);
        return message;
    }

    public static Message<byte[], byte[]> Message(string key, byte[] value, string id) => new()
    {
        Key = Encoding.UTF8.GetBytes(key),
        Value = value,
        Headers = new Headers { { "id", Encoding.UTF8.GetBytes(id) } },
    };

    public static string IdOf(Headers headers) => Encoding.UTF8.GetString(headers.GetLastBytes("id"));

    /// <summary>The next offset to read of every partition of <paramref name="topic"/> (its high watermark).</summary>
    public Dictionary<TopicPartition, long> EndOffsets(string topic, int partitions)
    {
        using var consumer = ReadOnlyConsumer("end-offsets-" + Guid.NewGuid().ToString("N"));
        return Enumerable.Range(0, partitions)
            .Select(p => new TopicPartition(topic, p))
            .ToDictionary(tp => tp, tp => consumer.QueryWatermarkOffsets(tp, Patience).High.Value);
    }

    /// <summary>The offsets <paramref name="groupId"/> committed for <paramref name="topic"/> (-1001 when none), read through the group coordinator.</summary>
    public Dictionary<TopicPartition, long> CommittedOffsets(string groupId, string topic, int partitions)
    {
        using var consumer = ReadOnlyConsumer(groupId);
        var committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), Patience);
        return committed.ToDictionary(tpo => tpo.TopicPartition, tpo => tpo.Offset.Value);
    }

    /// <summary>Reads every message of <paramref name="topic"/> as raw bytes, from the beginning to the current end.</summary>
    public List<ConsumeResult<byte[], byte[]>> ReadAll(string topic, int partitions)
    {
        var ends = EndOffsets(topic, partitions).Where(pair => pair.Value > 0).ToDictionary(pair => pair.Key, pair => pair.Value);
        using var consumer = ReadOnlyConsumer("read-all-" + Guid.NewGuid().ToString("N"));
        consumer.Assign(ends.Keys.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + Patience;
        while (ends.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Read {results.Count} message(s) of '{topic}'; {string.Join(", ", ends.Keys)} did not reach their end.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            results.Add(result);
            if (result.Offset.Value + 1 >= ends[result.TopicPartition])
            {
                ends.Remove(result.TopicPartition);
            }
        }

        return results;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> and the details when patience runs out.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what, Func<string>? details = null, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}. {details?.Invoke()}");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        foreach (var resource in Enumerable.Reverse(owned))
        {
            resource.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        Cluster.Dispose();
        Logs.Dispose();
    }

    private IConsumer<byte[], byte[]> ReadOnlyConsumer(string groupId) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            EnablePartitionEof = false,
        }).Build();
}

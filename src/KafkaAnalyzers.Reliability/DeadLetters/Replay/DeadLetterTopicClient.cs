using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// The consumer and metadata look-ups <see cref="DeadLetterReader"/> and <see cref="DeadLetterReplayer"/>
/// share: it never joins a group (partitions are assigned explicitly) and never creates topics.
/// </summary>
internal sealed class DeadLetterTopicClient : IDisposable
{
    private readonly IAdminClient admin;
    private readonly Dictionary<string, int?> partitionCounts = new(StringComparer.Ordinal);

    public DeadLetterTopicClient(ClientConfig connection, string groupId, TimeSpan timeout)
    {
        BootstrapServers = ConnectionSettings.BootstrapServers(connection)
            ?? throw new ArgumentException("The connection settings name no bootstrap.servers.", nameof(connection));
        Timeout = timeout;
        var config = new ConsumerConfig(connection.ToDictionary(pair => pair.Key, pair => pair.Value))
        {
            GroupId = groupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
            AllowAutoCreateTopics = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };

        try
        {
            using (ExecutionContext.SuppressFlow())
            {
                Consumer = new ConsumerBuilder<byte[], byte[]>(config)
                    .SetLogHandler((_, _) => { })
                    .SetErrorHandler((_, error) => LastError = error)
                    .Build();
            }
        }
        catch (Exception refused) when (refused is InvalidOperationException or ArgumentException or KafkaException)
        {
            throw new ArgumentException($"The client settings were refused: {refused.Message}", nameof(connection), refused);
        }

        admin = new DependentAdminClientBuilder(Consumer.Handle).Build();
    }

    public IConsumer<byte[], byte[]> Consumer { get; }

    public string BootstrapServers { get; }

    public TimeSpan Timeout { get; }

    /// <summary>The last error the client reported (for example, connections refused), to explain a timeout.</summary>
    public Error? LastError { get; private set; }

    /// <summary>The partition count of <paramref name="topic"/>, or null when it does not exist.</summary>
    /// <exception cref="KafkaUnreachableException">The cluster did not answer within the timeout.</exception>
    public int? PartitionCount(string topic)
    {
        if (partitionCounts.TryGetValue(topic, out var known))
        {
            return known;
        }

        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(topic, Timeout);
        }
        catch (KafkaException failure)
        {
            throw Unreachable($"reading the metadata of '{topic}'", failure);
        }

        var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        int? count = found is null || found.Error.Code == ErrorCode.UnknownTopicOrPart || found.Partitions.Count == 0 ? null : found.Partitions.Count;
        if (found is not null && found.Error.IsError && found.Error.Code != ErrorCode.UnknownTopicOrPart)
        {
            throw new InvalidOperationException($"The cluster at {BootstrapServers} reports {found.Error.Code} ({found.Error.Reason}) for topic '{topic}'.");
        }

        partitionCounts[topic] = count;
        return count;
    }

    /// <summary>The partition count of a topic that must exist.</summary>
    /// <exception cref="TopicNotFoundException">It does not.</exception>
    public int RequirePartitionCount(string topic, string role) =>
        PartitionCount(topic) ?? throw new TopicNotFoundException(topic, $"The {role} '{topic}' does not exist on the cluster at {BootstrapServers}.");

    /// <summary>The low and high watermarks of every partition of <paramref name="topic"/>.</summary>
    public List<(TopicPartition Partition, long Low, long High)> Watermarks(string topic, int partitions)
    {
        var result = new List<(TopicPartition, long, long)>(partitions);
        for (var partition = 0; partition < partitions; partition++)
        {
            var tp = new TopicPartition(topic, partition);
            try
            {
                var marks = Consumer.QueryWatermarkOffsets(tp, Timeout);
                result.Add((tp, marks.Low.Value, marks.High.Value));
            }
            catch (KafkaException failure)
            {
                throw Unreachable($"reading the offsets of {tp}", failure);
            }
        }

        return result;
    }

    public KafkaUnreachableException Unreachable(string activity, KafkaException? failure = null)
    {
        var reason = failure?.Error is { } error ? $"{error.Code}: {error.Reason}" : LastError is { } last ? $"{last.Code}: {last.Reason}" : "no answer";
        return new KafkaUnreachableException(
            BootstrapServers,
            $"Could not reach the Kafka cluster at {BootstrapServers} within {Timeout.TotalSeconds:0.#} s while {activity} ({reason}). " +
            "Check the address, that the brokers are up, and the security settings.",
            failure);
    }

    public void Dispose()
    {
        admin.Dispose();
        Consumer.Dispose();
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// Republishes dead letters to the topic they came from (or a chosen one) with their original key, value
/// and headers, plus <see cref="ReplayHeaders"/>. It reads the dead-letter topic up to its end as it is when
/// the run starts, in batches; after every batch is acknowledged (acks=all, idempotent producer) it commits
/// its position to the consumer group <c>kafka-dlq-replay.&lt;id&gt;</c>. A run that crashes or is cancelled
/// therefore loses nothing: running it again continues after the last committed batch, and at most that one
/// unfinished batch is republished twice (at-least-once).
/// </summary>
/// <remarks>
/// Dead letters are never removed from the dead-letter topic. A replayed message that fails again is
/// dead-lettered again (after the end this run reads), with <see cref="ReplayHeaders.Count"/> carried along;
/// once it reaches <see cref="DeadLetterReplayOptions.MaxReplays"/> later runs refuse it.
/// </remarks>
public sealed class DeadLetterReplayer
{
    /// <summary>Prefix of the consumer group that holds a replay's progress.</summary>
    public const string ProgressGroupPrefix = "kafka-dlq-replay.";

    private const int MaxListedLocations = 1000;

    private readonly DeadLetterReplayOptions options;
    private readonly ClientConfig connection;

    /// <summary>Creates a replayer; nothing connects until <see cref="ReplayAsync"/>.</summary>
    /// <param name="options">The settings, read now.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    public DeadLetterReplayer(DeadLetterReplayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid replay settings: " + string.Join(" ", problems), nameof(options));
        }

        this.options = options;
        connection = new ClientConfig(options.Connection.ToDictionary(pair => pair.Key, pair => pair.Value));
        ReplayId = options.ReplayId ?? DefaultReplayId(options);
    }

    /// <summary>The run's id: <see cref="DeadLetterReplayOptions.ReplayId"/>, or the one derived from the topic, filter and target.</summary>
    public string ReplayId { get; }

    /// <summary>The consumer group holding this replay's progress.</summary>
    public string ProgressGroup => ProgressGroupPrefix + ReplayId;

    /// <summary>Replays every selected dead letter from the last committed position to the end of the dead-letter topic as it is now.</summary>
    /// <param name="cancellationToken">Stops the run at once; the batch in progress is not committed, so the next run repeats it.</param>
    /// <returns>The counts, and where refused or unroutable dead letters are.</returns>
    /// <exception cref="TopicNotFoundException">The dead-letter topic or <see cref="DeadLetterReplayOptions.TargetTopic"/> does not exist.</exception>
    /// <exception cref="KafkaUnreachableException">The cluster did not answer in time.</exception>
    /// <exception cref="DeadLetterReplayException">A dead letter could not be republished, or progress not committed; the run stopped after the last committed batch.</exception>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    public async Task<DeadLetterReplayResult> ReplayAsync(CancellationToken cancellationToken = default)
    {
        var run = new Run(this, Stopwatch.StartNew());
        using var client = new DeadLetterTopicClient(connection, ProgressGroup, options.Timeout);
        var committed = ReadCommitted(client);
        var ranges = DeadLetterReader.Ranges(client, options.DeadLetterTopic, options.Filter, committed);
        if (options.TargetTopic is { } target)
        {
            client.RequirePartitionCount(target, "target topic");
        }

        run.Total = ranges.Sum(range => range.End - range.Start);
        using var producer = options.DryRun ? null : BuildProducer();
        try
        {
            await foreach (var result in DeadLetterReader.ReadRangesAsync(client, ranges, cancellationToken).ConfigureAwait(false))
            {
                run.Take(client, producer, new DeadLetterRecord(result));
                if (run.BatchScanned >= options.BatchSize)
                {
                    await run.FinishBatchAsync(client, cancellationToken).ConfigureAwait(false);
                }
            }

            await run.FinishBatchAsync(client, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Whatever of the unfinished batch was sent goes out (it is replayed again next time anyway).
            producer?.Flush(TimeSpan.FromSeconds(5));
            throw;
        }

        return run.Result();
    }

    internal static string DefaultReplayId(DeadLetterReplayOptions options)
    {
        var what = $"{options.DeadLetterTopic}|{options.TargetTopic}|{options.Filter.Describe()}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(what)))[..12];
        return $"{options.DeadLetterTopic}.{hash}";
    }

    private Dictionary<int, long> ReadCommitted(DeadLetterTopicClient client)
    {
        var partitions = client.RequirePartitionCount(options.DeadLetterTopic, "dead-letter topic");
        try
        {
            return client.Consumer
                .Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(options.DeadLetterTopic, p)), options.Timeout)
                .Where(tpo => tpo.Offset.Value >= 0)
                .ToDictionary(tpo => tpo.Partition.Value, tpo => tpo.Offset.Value);
        }
        catch (KafkaException failure)
        {
            throw client.Unreachable($"reading the progress of replay '{ReplayId}' (group {ProgressGroup})", failure);
        }
    }

    private IProducer<byte[], byte[]> BuildProducer()
    {
        var config = KafkaPresets.CriticalProducer(ConnectionSettings.BootstrapServers(connection)!);
        foreach (var (key, value) in connection)
        {
            config.Set(key, value);
        }

        config.AllowAutoCreateTopics = false;
        KafkaConfigValidator.ValidateCriticalProducer(config);
        try
        {
            using (ExecutionContext.SuppressFlow())
            {
                return new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
            }
        }
        catch (Exception refused) when (refused is InvalidOperationException or ArgumentException or KafkaException)
        {
            throw new ArgumentException($"The client settings were refused by the replay producer: {refused.Message}", nameof(DeadLetterReplayOptions.Connection), refused);
        }
    }

    private Message<byte[], byte[]> Republished(DeadLetterRecord record)
    {
        var headers = record.OriginalHeaders();
        headers.Add(ReplayHeaders.Count, DeadLetterHeaders.Encode(record.ReplayCount + 1));
        headers.Add(ReplayHeaders.ReplayedAt, DeadLetterHeaders.Encode(options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()));
        headers.Add(ReplayHeaders.SourceTopic, DeadLetterHeaders.Encode(record.Location.Topic));
        headers.Add(ReplayHeaders.SourcePartition, DeadLetterHeaders.Encode(record.Location.Partition.Value));
        headers.Add(ReplayHeaders.SourceOffset, DeadLetterHeaders.Encode(record.Location.Offset.Value));
        headers.Add(ReplayHeaders.ReplayId, DeadLetterHeaders.Encode(ReplayId));
        return new Message<byte[], byte[]> { Key = record.Key!, Value = record.Value!, Headers = headers };
    }

    /// <summary>The state of one <see cref="ReplayAsync"/> call.</summary>
    private sealed class Run(DeadLetterReplayer owner, Stopwatch clock)
    {
        private readonly List<(Task<DeliveryResult<byte[], byte[]>> Delivery, TopicPartitionOffset From, string To)> sending = new();
        private readonly Dictionary<TopicPartition, long> positions = new();
        private readonly Dictionary<string, long> replayedByTopic = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> batchByTopic = new(StringComparer.Ordinal);
        private readonly List<TopicPartitionOffset> refused = new();
        private readonly List<TopicPartitionOffset> unroutable = new();
        private DeadLetterReplayProgress committed = new(0, 0, 0, 0, 0, 0, TimeSpan.Zero);
        private long scanned;
        private long selected;
        private long replayed;
        private long refusedCount;
        private long unroutableCount;
        private long batchSelected;
        private long batchRefused;
        private long batchUnroutable;
        private IProducer<byte[], byte[]>? producer;

        public long Total { get; set; }

        public int BatchScanned { get; private set; }

        private DeadLetterReplayOptions Options => owner.options;

        public void Take(DeadLetterTopicClient client, IProducer<byte[], byte[]>? producer, DeadLetterRecord record)
        {
            this.producer = producer;
            BatchScanned++;
            positions[record.Location.TopicPartition] = record.Location.Offset.Value + 1;
            if (!Options.Filter.Matches(record))
            {
                return;
            }

            batchSelected++;
            if (record.ReplayCount >= Options.MaxReplays)
            {
                batchRefused++;
                Note(refused, record.Location);
                return;
            }

            var target = Options.TargetTopic ?? record.Metadata?.OriginalTopic;
            var partitions = target is null ? null : client.PartitionCount(target);
            if (target is null || partitions is null)
            {
                batchUnroutable++;
                Note(unroutable, record.Location);
                return;
            }

            var partition = Options.TargetTopic is null && record.Metadata!.OriginalPartition < partitions
                ? new Partition(record.Metadata.OriginalPartition)
                : Partition.Any;
            batchByTopic[target] = batchByTopic.GetValueOrDefault(target) + 1;
            if (producer is not null)
            {
                sending.Add((producer.ProduceAsync(new TopicPartition(target, partition), owner.Republished(record)), record.Location, target));
            }
        }

        public async Task FinishBatchAsync(DeadLetterTopicClient client, CancellationToken cancellationToken)
        {
            if (BatchScanned == 0)
            {
                return;
            }

            foreach (var (delivery, from, to) in sending)
            {
                try
                {
                    await delivery.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ProduceException<byte[], byte[]> failure)
                {
                    throw new DeadLetterReplayException(
                        $"Could not republish the dead letter at {from} to '{to}': {failure.Error.Code} ({failure.Error.Reason}). " +
                        $"Progress is committed up to the previous batch ({committed.Scanned} read, {committed.Replayed} republished); run the replay again to continue.",
                        committed,
                        failure);
                }
            }

            if (!Options.DryRun && positions.Count > 0)
            {
                try
                {
                    client.Consumer.Commit(positions.Select(pair => new TopicPartitionOffset(pair.Key, pair.Value)));
                }
                catch (KafkaException failure)
                {
                    throw new DeadLetterReplayException(
                        $"Could not commit the replay's progress to group {owner.ProgressGroup}: {failure.Error.Code} ({failure.Error.Reason}). " +
                        $"The last batch was republished; running the replay again republishes it once more.",
                        committed,
                        failure);
                }
            }

            scanned += BatchScanned;
            selected += batchSelected;
            refusedCount += batchRefused;
            unroutableCount += batchUnroutable;
            foreach (var (topic, count) in batchByTopic)
            {
                replayed += count;
                replayedByTopic[topic] = replayedByTopic.GetValueOrDefault(topic) + count;
            }

            BatchScanned = 0;
            batchSelected = batchRefused = batchUnroutable = 0;
            batchByTopic.Clear();
            sending.Clear();
            positions.Clear();
            committed = Counts();
            Options.Progress?.Report(committed);
        }

        public DeadLetterReplayResult Result()
        {
            producer?.Flush(TimeSpan.FromSeconds(5));
            return new DeadLetterReplayResult(owner.ReplayId, Options.DryRun, Counts(), new Dictionary<string, long>(replayedByTopic), refused.ToList(), unroutable.ToList());
        }

        private DeadLetterReplayProgress Counts() => new(scanned, Total, selected, replayed, refusedCount, unroutableCount, clock.Elapsed);

        private static void Note(List<TopicPartitionOffset> list, TopicPartitionOffset location)
        {
            if (list.Count < MaxListedLocations)
            {
                list.Add(location);
            }
        }
    }
}

using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Processing;
using KafkaAnalyzers.Reliability.Producing;
using Microsoft.Extensions.Logging;
using Polly;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>
/// The retry-topic machinery of one <see cref="ReliableConsumer{TKey, TValue}"/>: on the poll thread, the
/// due-time gate of the tier partitions; on the workers, where a failed message goes next (the next tier,
/// acknowledged with acks=all before its offset may be stored, or the dead-letter sink after the last
/// tier), and, with <see cref="RetryTopicOptions.KeepKeyOrder"/>, which messages must follow an earlier
/// one of their key.
/// </summary>
internal sealed class RetryTopicRouter
{
    private const int LibrdkafkaDefaultMessageMaxBytes = 1_000_000;

    private readonly RetryTopicOptions options;
    private readonly ConsumerConfig consumerConfig;
    private readonly RetryTierMap map;
    private readonly string groupId;
    private readonly int mainAttempts;
    private readonly ResiliencePipeline sendPipeline;
    private readonly ILogger logger;
    private readonly DueTimeGate gate;
    private readonly KeyOrderRegistry? registry;
    private DeliveryTrackingProducer<byte[], byte[]>? producer;
    private RetryTopicLayout? layout;
    private int maxMessageBytes = LibrdkafkaDefaultMessageMaxBytes;
    private volatile bool stopped;

    public RetryTopicRouter(ReliableConsumerOptions consumerOptions, ConsumerConfig consumerConfig, string groupId, ResiliencePipeline sendPipeline, ILogger logger)
    {
        options = consumerOptions.RetryTopics;
        this.consumerConfig = consumerConfig;
        this.groupId = groupId;
        this.sendPipeline = sendPipeline;
        this.logger = logger;
        mainAttempts = consumerOptions.Retry.MaxAttempts;
        map = new RetryTierMap(consumerOptions.Topics, options.Delays, options.TopicName);
        Metrics = new RetryTopicMetrics(groupId);
        gate = new DueTimeGate(Metrics, logger);
        registry = options.KeepKeyOrder ? new KeyOrderRegistry() : null;
    }

    public RetryTopicMetrics Metrics { get; }

    public IEnumerable<string> TierTopics => map.TierTopics;

    public int TierCount => map.TierCount;

    /// <summary>
    /// True once <see cref="Stop"/> has begun: the consumer has ended its loop and abandoned its work, so a send
    /// that fails now belongs to a message whose offset will never be stored (it is consumed again).
    /// </summary>
    public bool Stopped => stopped;

    /// <summary>Messages held until they are due (poll thread).</summary>
    public int Waiting => gate.HeldCount;

    /// <summary>The clock of due times. Tests may replace it.</summary>
    internal TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Pending entries of the key-order registry (tests).</summary>
    internal int KeysInRetry => registry?.Count ?? 0;

    /// <summary>Checks (and creates) the tier topics and builds the tier producer; throws with a clear message when they cannot be used.</summary>
    public void Start()
    {
        layout = RetryTopicSetup.Ensure(consumerConfig, map, options, logger);
        var config = options.Producer is { } own
            ? new ProducerConfig(own.ToDictionary(pair => pair.Key, pair => pair.Value))
            : ConnectionSettings.CopyTo(consumerConfig, KafkaPresets.CriticalProducer(ConnectionSettings.BootstrapServers(consumerConfig)!));
        KafkaConfigValidator.ValidateCriticalProducer(config);
        maxMessageBytes = config.MessageMaxBytes ?? LibrdkafkaDefaultMessageMaxBytes;
        producer = new DeliveryTrackingProducer<byte[], byte[]>(
            config,
            new DeliveryTrackingOptions<byte[], byte[]>
            {
                // Awaited produces get their failure; this only sees deliveries whose waiter gave up (revoked
                // or stopping), whose source offsets are therefore never stored.
                OnDeliveryFailed = failure => RetryTopicLog.AbandonedDeliveryFailed(logger, failure.Topic, failure.Error.Code, failure.Error.Reason),
                DisposeFlushTimeout = TimeSpan.FromSeconds(10),
                Logger = logger,
            },
            builder => builder.SetLogHandler((_, _) => { }));
        RetryTopicLog.TopicsReady(logger, string.Join(", ", map.TierTopics.Select(topic => $"{topic} ({layout.PartitionCounts[topic]} partitions)")));
    }

    /// <summary>Flushes and disposes the tier producer (after the poll loop ended).</summary>
    public void Stop()
    {
        stopped = true;
        if (Interlocked.Exchange(ref producer, null) is not { } owned)
        {
            return;
        }

        try
        {
            owned.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            RetryTopicLog.ProducerDisposeFailed(logger, ex);
        }
    }

    // ---- Poll thread ----

    /// <summary>Takes a tier message that is not due yet (or that arrived behind a held one); false to process it now.</summary>
    public bool TryHold(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> message)
    {
        if (!map.TryGetTier(message.Topic, out _, out _))
        {
            return false;
        }

        var dueAt = ReadDueAt(message.Message.Headers) ?? DateTimeOffset.MinValue;
        return gate.TryHold(consumer, message, dueAt, Clock.GetUtcNow());
    }

    /// <summary>Hands every held message that is due to <paramref name="dispatch"/> (records how late it is).</summary>
    public void ReleaseDue(IConsumer<byte[], byte[]> consumer, bool resume, Action<ConsumeResult<byte[], byte[]>> dispatch)
    {
        if (gate.HeldCount == 0)
        {
            return;
        }

        var now = Clock.GetUtcNow();
        foreach (var (message, dueAt) in gate.TakeDue(consumer, now, resume))
        {
            Lag(message, dueAt, now);
            dispatch(message);
        }
    }

    /// <summary>Records the due-time lag of a tier message that is processed as soon as it is consumed.</summary>
    public void OnDispatched(ConsumeResult<byte[], byte[]> message)
    {
        if (map.TryGetTier(message.Topic, out _, out _) && ReadDueAt(message.Message.Headers) is { } dueAt)
        {
            Lag(message, dueAt, Clock.GetUtcNow());
        }
    }

    /// <summary>Whether a tier partition must stay paused when the consumer resumes its partitions.</summary>
    public bool KeepPaused(TopicPartition partition) => gate.IsHeld(partition);

    public void OnRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
        gate.Forget(partitions);
        if (registry is not null)
        {
            foreach (var partition in partitions)
            {
                var source = map.TryGetTier(partition.Topic, out var tierSource, out _) ? tierSource : partition.Topic;
                registry.Forget(source, partition.Partition.Value);
            }
        }
    }

    public void ForgetAll()
    {
        gate.ForgetAll();
        registry?.Clear();
    }

    /// <summary>
    /// The ordering lane of a message. With <see cref="RetryTopicOptions.KeepKeyOrder"/> a tier message shares the
    /// lane of its key in the source partition, so the source and tier messages of a key never run at once.
    /// </summary>
    public OrderingKey? OrderingKeyFor(ConsumeResult<byte[], byte[]> message)
    {
        if (registry is not null && map.TryGetTier(message.Topic, out var source, out _)
            && RetryMetadata.TryRead(message.Message.Headers, out var metadata, out _))
        {
            return OrderingKey.For(source, metadata!.OriginalPartition, message.Message.Key);
        }

        return OrderingKey.For(message.Topic, message.Partition.Value, message.Message.Key);
    }

    // ---- Workers ----

    public RetryPosition Locate(ConsumeResult<byte[], byte[]> message)
    {
        if (!map.TryGetTier(message.Topic, out var source, out var tier))
        {
            return new RetryPosition(message.TopicPartitionOffset, message.Message.Timestamp, 0, 0, null, null);
        }

        if (!RetryMetadata.TryRead(message.Message.Headers, out var metadata, out var problem))
        {
            RetryTopicLog.Unreadable(logger, message.TopicPartitionOffset, problem!);
            return new RetryPosition(message.TopicPartitionOffset, message.Message.Timestamp, tier, 0, null, problem);
        }

        if (metadata!.OriginalTopic != source)
        {
            problem = $"'{RetryHeaders.OriginalTopic}' is '{metadata.OriginalTopic}', but '{message.Topic}' is a retry tier of '{source}'";
            RetryTopicLog.Unreadable(logger, message.TopicPartitionOffset, problem);
            return new RetryPosition(message.TopicPartitionOffset, message.Message.Timestamp, tier, 0, null, problem);
        }

        return new RetryPosition(metadata.OriginalTopicPartitionOffset, metadata.OriginalTimestamp, tier, metadata.Attempts, metadata, null);
    }

    /// <summary>Handler attempts this round: the in-memory attempts for a source message, <see cref="RetryTopicOptions.AttemptsPerTier"/> for a tier message.</summary>
    public int AttemptsFor(RetryPosition position) => position.FromTier ? options.AttemptsPerTier : mainAttempts;

    /// <summary>The tier a message must follow an earlier message of its key to, without being handled; null when it may be handled.</summary>
    public int? MustFollow(ConsumeResult<byte[], byte[]> message, RetryPosition position)
    {
        if (registry is null || message.Message.Key is not { } key || position.Problem is not null)
        {
            return null;
        }

        return registry.TierOfNearestEarlier(position.Original, key) is { } tier && tier >= position.Tier ? tier : null;
    }

    /// <summary>The tier after a failure in this round, or null when the message has been through every tier.</summary>
    public int? NextTier(RetryPosition position) => position.Tier < map.TierCount ? position.Tier + 1 : null;

    /// <summary>
    /// Produces the message to <paramref name="tier"/> and waits for the acknowledgement (acks=all), retrying the
    /// produce like a dead-letter publish. Returns once the source offset may be stored.
    /// </summary>
    /// <exception cref="RetryTopicPublishException">It could not be produced.</exception>
    /// <exception cref="OperationCanceledException">The message was abandoned (revoked or stopping), or the retry topics were stopped.</exception>
    public async Task SendAsync(ConsumeResult<byte[], byte[]> message, RetryPosition position, int tier, Exception? failure, int attempts, CancellationToken cancellationToken)
    {
        if (stopped)
        {
            // The abandonment reaches the partition tokens through the thread pool; this may run first.
            throw new OperationCanceledException("The retry topics were stopped with the consumer; the message was not stored and will be consumed again.");
        }

        var tracked = producer ?? throw new InvalidOperationException("The retry topics were not started.");
        var now = Clock.GetUtcNow();
        var topic = map.TopicFor(position.Original.Topic, tier);
        var dueAt = now + map.Delay(tier);
        var step = new RetryStep(
            position.Original,
            position.OriginalTimestamp,
            tier,
            attempts,
            dueAt,
            position.Metadata?.FirstFailure,
            failure,
            now,
            position.Metadata?.LastFailure,
            groupId,
            Follows: failure is null);

        Message<byte[], byte[]> retryMessage;
        try
        {
            retryMessage = RetryMessageFactory.Create(message.Message, step, maxMessageBytes);
        }
        catch (InvalidOperationException tooLarge)
        {
            throw new RetryTopicPublishException(message.TopicPartitionOffset, topic, tooLarge.Message, innerException: tooLarge);
        }

        var partitions = layout!.PartitionCounts[topic];
        var destination = new TopicPartition(topic, position.Original.Partition.Value < partitions ? position.Original.Partition : Partition.Any);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var attempt = 0;
        try
        {
            await sendPipeline.ExecuteAsync(
                async ctx =>
                {
                    attempt++;
                    try
                    {
                        // A fresh message object per attempt: the producer writes the trace context into its headers.
                        await tracked.ProduceAsync(destination, Copy(retryMessage), ctx.CancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!ctx.CancellationToken.IsCancellationRequested)
                    {
                        RetryTopicLog.SendFailed(logger, ex, message.Topic, message.Partition.Value, message.Offset.Value, topic, attempt);
                        throw;
                    }
                },
                context).ConfigureAwait(false);
        }
        catch (Exception sendFailure) when (sendFailure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = (sendFailure as DeliveryFailedException)?.Error ?? (sendFailure as KafkaException)?.Error;
            throw new RetryTopicPublishException(
                message.TopicPartitionOffset,
                topic,
                $"Could not send {message.TopicPartitionOffset} to retry topic '{topic}' after {attempt} attempt(s): {sendFailure.Message} " +
                "Its offset was not stored; the consumer stops so that the message is not skipped.",
                error,
                sendFailure);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (message.Message.Key is { } key)
        {
            registry?.Enter(position.Original, key, tier);
        }

        Metrics.MessageSent(position.Original.Topic, tier, follows: failure is null);
        if (failure is null)
        {
            RetryTopicLog.Followed(logger, message.Topic, message.Partition.Value, message.Offset.Value, tier, topic);
        }
        else
        {
            RetryTopicLog.SentToTier(logger, failure, message.Topic, message.Partition.Value, message.Offset.Value, attempts, tier, topic, dueAt);
        }
    }

    /// <summary>
    /// What goes to the dead-letter sink for a message: a source message as it is; a tier message as if consumed
    /// from its original topic, partition and offset (so the dead letter names where it really came from, and goes to
    /// that topic's dead-letter topic), with its retry headers as history.
    /// </summary>
    public ConsumeResult<byte[], byte[]> DeadLetterView(ConsumeResult<byte[], byte[]> message, RetryPosition position) =>
        !position.FromTier || position.Metadata is null
            ? message
            : new ConsumeResult<byte[], byte[]>
            {
                Topic = position.Original.Topic,
                Partition = position.Original.Partition,
                Offset = position.Original.Offset,
                LeaderEpoch = null,
                IsPartitionEOF = false,
                Message = new Message<byte[], byte[]>
                {
                    Key = message.Message.Key,
                    Value = message.Message.Value,
                    Headers = message.Message.Headers,
                    Timestamp = position.OriginalTimestamp,
                },
            };

    /// <summary>The message left the retry path: handled, or dead-lettered.</summary>
    public void Finished(ConsumeResult<byte[], byte[]> message, RetryPosition position, FailureCategory? deadLettered)
    {
        if (!position.FromTier)
        {
            return;
        }

        if (message.Message.Key is { } key)
        {
            registry?.Leave(position.Original, key);
        }

        if (deadLettered is { } category)
        {
            Metrics.MessageDeadLettered(position.Original.Topic, position.Tier, category);
        }
        else
        {
            Metrics.MessageRecovered(position.Original.Topic, position.Tier);
        }
    }

    private void Lag(ConsumeResult<byte[], byte[]> message, DateTimeOffset dueAt, DateTimeOffset now)
    {
        if (map.TryGetTier(message.Topic, out var source, out var tier))
        {
            Metrics.DueLag(source, tier, now - dueAt);
        }
    }

    private static DateTimeOffset? ReadDueAt(Headers? headers) =>
        headers is not null
        && headers.TryGetLastBytes(RetryHeaders.DueAt, out var bytes)
        && bytes is not null
        && long.TryParse(System.Text.Encoding.UTF8.GetString(bytes), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    private static Message<byte[], byte[]> Copy(Message<byte[], byte[]> message)
    {
        var headers = new Headers();
        foreach (var header in message.Headers)
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        return new Message<byte[], byte[]> { Key = message.Key, Value = message.Value, Headers = headers };
    }
}

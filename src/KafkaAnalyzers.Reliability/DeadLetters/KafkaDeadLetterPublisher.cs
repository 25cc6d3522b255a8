using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// Writes messages that could not be processed to a dead-letter topic (<c>&lt;topic&gt;.dlq</c> by default)
/// and completes only once the cluster has acknowledged them with acks=all. The dead letter keeps the
/// original key bytes, value bytes and headers, and adds the <see cref="DeadLetterHeaders"/>. It is
/// produced to the dead-letter topic by key (not to the original partition number), so all dead letters
/// of one key land in one partition in order, whatever the dead-letter topic's partition count.
/// </summary>
/// <remarks>
/// Every failure faults the returned task with a <see cref="DeadLetterPublishException"/> (never
/// swallowed): produce errors after librdkafka's own retries, a missing serializer, a dead letter that
/// cannot fit <c>message.max.bytes</c> even without exception text, disposal with the dead letter still
/// unacknowledged. Cancelling the token only stops waiting: the dead letter may still be written.
/// </remarks>
public sealed partial class KafkaDeadLetterPublisher : IDeadLetterSink, IAsyncDisposable
{
    private const int LibrdkafkaDefaultMessageMaxBytes = 1_000_000;

    private readonly IProducer<byte[], byte[]> producer;
    private readonly bool ownsProducer;
    private readonly KafkaDeadLetterPublisherOptions options;
    private readonly int maxMessageBytes;
    private readonly CancellationTokenSource abandon = new();
    private int inFlight;
    private int disposed;

    /// <summary>Publishes through a producer built from <see cref="KafkaPresets.CriticalProducer"/>.</summary>
    /// <param name="bootstrapServers">The cluster holding the dead-letter topics.</param>
    /// <param name="options">Topic naming, serializers, limits; defaults when null.</param>
    public KafkaDeadLetterPublisher(string bootstrapServers, KafkaDeadLetterPublisherOptions? options = null)
        : this(KafkaPresets.CriticalProducer(bootstrapServers), options)
    {
    }

    /// <summary>Publishes through a producer it builds (and owns) from <paramref name="producerConfig"/>.</summary>
    /// <param name="producerConfig">Must pass <see cref="KafkaConfigValidator.ValidateCriticalProducer(ProducerConfig)"/> (acks=all, idempotence...).</param>
    /// <param name="options">Topic naming, serializers, limits; defaults when null.</param>
    /// <exception cref="KafkaConfigurationException">The configuration is not safe for dead letters.</exception>
    public KafkaDeadLetterPublisher(ProducerConfig producerConfig, KafkaDeadLetterPublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(producerConfig);
        KafkaConfigValidator.ValidateCriticalProducer(producerConfig);
        this.options = options ?? new KafkaDeadLetterPublisherOptions();
        maxMessageBytes = this.options.MaxMessageBytes ?? producerConfig.MessageMaxBytes ?? LibrdkafkaDefaultMessageMaxBytes;
        var logger = this.options.Logger;
        var builder = new ProducerBuilder<byte[], byte[]>(producerConfig)
            .SetErrorHandler((_, error) => LogProducerError(logger, error.Code, error.IsFatal, error.Reason));

        // Keep the creator's async-local state (activity, logging scopes) off the client's poll thread.
        using (ExecutionContext.SuppressFlow())
        {
            producer = builder.Build();
        }
        ownsProducer = true;
    }

    /// <summary>
    /// Publishes through <paramref name="producer"/>, which the caller keeps owning (it is neither flushed
    /// nor disposed here). It must be built from a configuration that passes
    /// <see cref="KafkaConfigValidator.ValidateCriticalProducer(ProducerConfig)"/>; a built producer cannot
    /// be checked.
    /// </summary>
    /// <param name="producer">A byte-array producer with acks=all.</param>
    /// <param name="options">Topic naming, serializers, limits; defaults when null.</param>
    public KafkaDeadLetterPublisher(IProducer<byte[], byte[]> producer, KafkaDeadLetterPublisherOptions? options = null)
    {
        this.producer = producer ?? throw new ArgumentNullException(nameof(producer));
        this.options = options ?? new KafkaDeadLetterPublisherOptions();
        maxMessageBytes = this.options.MaxMessageBytes ?? LibrdkafkaDefaultMessageMaxBytes;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Typed keys and values are serialized back with <see cref="KafkaDeadLetterPublisherOptions.KeySerializers"/>
    /// and <see cref="KafkaDeadLetterPublisherOptions.ValueSerializers"/> (see <see cref="DeadLetterSerializers"/>
    /// for the built-in fallbacks). Consume <c>byte[]</c> to dead-letter the exact original bytes.
    /// </remarks>
    public Task PublishAsync<TKey, TValue>(
        ConsumeResult<TKey, TValue> result,
        Exception exception,
        FailureCategory category = FailureCategory.Permanent,
        int attempts = 1,
        CancellationToken cancellationToken = default)
        => PublishAsync(result, exception, category, attempts, options.ConsumerGroupId, cancellationToken);

    /// <summary>The consumer group written to <see cref="DeadLetterHeaders.ConsumerGroup"/> (<see cref="KafkaDeadLetterPublisherOptions.ConsumerGroupId"/>); null when not set.</summary>
    public string? ConsumerGroupId => options.ConsumerGroupId;

    /// <summary>
    /// A view of this publisher that writes <paramref name="consumerGroupId"/> to <see cref="DeadLetterHeaders.ConsumerGroup"/>
    /// (instead of <see cref="KafkaDeadLetterPublisherOptions.ConsumerGroupId"/>), so that one publisher can serve
    /// consumers of several groups. The view shares this publisher's producer; dispose the publisher, not the view.
    /// The hosted consumers (<c>AddReliableKafkaConsumer</c>) use it to fill in their own group when the publisher has none.
    /// </summary>
    /// <param name="consumerGroupId">The consumer group that processes the original topics.</param>
    /// <returns>A sink that publishes through this publisher.</returns>
    public IDeadLetterSink ForConsumerGroup(string consumerGroupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroupId);
        return new GroupView(this, consumerGroupId);
    }

    private async Task PublishAsync<TKey, TValue>(
        ConsumeResult<TKey, TValue> result,
        Exception exception,
        FailureCategory category,
        int attempts,
        string? consumerGroupId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        if (result.Message is null)
        {
            throw new ArgumentException($"The consume result for {result.TopicPartitionOffset} carries no message (end-of-partition event?); there is nothing to dead-letter.", nameof(result));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var original = result.TopicPartitionOffset;
        string? deadLetterTopic = null;
        try
        {
            deadLetterTopic = ChooseTopic(original.Topic);
            var headers = result.Message.Headers;
            var key = await options.KeySerializers.SerializeAsync(result.Message.Key, new SerializationContext(MessageComponentType.Key, original.Topic, headers)).ConfigureAwait(false);
            var value = await options.ValueSerializers.SerializeAsync(result.Message.Value, new SerializationContext(MessageComponentType.Value, original.Topic, headers)).ConfigureAwait(false);
            var failure = new DeadLetterFailure(original, result.Message.Timestamp, exception, category, attempts, consumerGroupId, options.TimeProvider.GetUtcNow());
            var message = DeadLetterMessageFactory.Create(key, value, headers, failure, maxMessageBytes);
            await ProduceAndAwaitAcknowledgementAsync(original, deadLetterTopic, message, cancellationToken).ConfigureAwait(false);
            DeadLetterMetrics.RecordPublished(original.Topic, deadLetterTopic, category);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            DeadLetterMetrics.RecordFailed(original.Topic, deadLetterTopic, category);
            var publishFailure = failure as DeadLetterPublishException
                ?? new DeadLetterPublishException(original, deadLetterTopic, $"Could not dead-letter {original} to '{deadLetterTopic}': {failure.Message}", innerException: failure);
            LogPublishFailed(options.Logger, publishFailure, original.ToString(), deadLetterTopic);
            throw publishFailure;
        }
    }

    /// <summary>
    /// Dead-letters the raw bytes of a message the consumer could not deserialize
    /// (<see cref="ConsumeException.ConsumerRecord"/>), as <see cref="FailureCategory.Permanent"/>:
    /// deserializing the same bytes again fails again.
    /// </summary>
    /// <param name="exception">The consume exception of a key or value deserialization failure.</param>
    /// <param name="attempts">How many times processing was attempted.</param>
    /// <param name="cancellationToken">Cancels waiting for the acknowledgement (the dead letter may still be written).</param>
    /// <returns>A task that completes once the dead letter is acknowledged, and faults if it could not be stored.</returns>
    /// <exception cref="ArgumentException">The exception carries no message (it is not a deserialization failure).</exception>
    public Task PublishUndeserializableAsync(ConsumeException exception, int attempts = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.ConsumerRecord?.Message is null)
        {
            throw new ArgumentException($"This ConsumeException ({exception.Error.Code}: {exception.Error.Reason}) carries no message; only deserialization failures have raw bytes to dead-letter.", nameof(exception));
        }

        return PublishAsync(exception.ConsumerRecord, exception, FailureCategory.Permanent, attempts, cancellationToken);
    }

    /// <summary>
    /// Waits (up to <see cref="KafkaDeadLetterPublisherOptions.DisposeTimeout"/>) for dead letters in
    /// flight, faults the publish tasks of those still unacknowledged, and disposes an owned producer.
    /// </summary>
    /// <returns>A task that completes when the publisher is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (ownsProducer)
        {
            // Flushing serves delivery reports on the flushing thread: keep the caller's context off it.
            Task flushing;
            using (ExecutionContext.SuppressFlow())
            {
                flushing = Task.Run(() => producer.Flush(options.DisposeTimeout));
            }

            await flushing.ConfigureAwait(false);
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref inFlight) > 0 && waited.Elapsed < options.DisposeTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        }

        await abandon.CancelAsync().ConfigureAwait(false);
        if (ownsProducer)
        {
            producer.Dispose();
        }
    }

    private string ChooseTopic(string originalTopic)
    {
        var topic = options.DeadLetterTopic(originalTopic);
        if (string.IsNullOrWhiteSpace(topic) || topic == originalTopic)
        {
            throw new InvalidOperationException($"KafkaDeadLetterPublisherOptions.DeadLetterTopic returned '{topic}' for '{originalTopic}'; it must name a different, non-empty topic.");
        }

        return topic;
    }

    private async Task ProduceAndAwaitAcknowledgementAsync(TopicPartitionOffset original, string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            // The delivery itself is never cancelled: cancelling only stops this wait, so the message is
            // still tracked, and disposal can tell a still-pending dead letter apart.
            var delivery = producer.ProduceAsync(topic, message, CancellationToken.None);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abandon.Token);
            await delivery.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (ProduceException<byte[], byte[]> failure)
        {
            var mayHaveBeenWritten = failure.DeliveryResult?.Status is PersistenceStatus.PossiblyPersisted or PersistenceStatus.Persisted;
            throw new DeadLetterPublishException(original, topic, $"Could not dead-letter {original} to '{topic}': {failure.Error.Code} ({failure.Error.Reason})", failure.Error, mayHaveBeenWritten, failure);
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DeadLetterPublishException(original, topic, $"The publisher was disposed before the dead letter of {original} to '{topic}' was acknowledged; it may or may not have been written.", mayHaveBeenWritten: true);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>The publisher's dead-letter path with another consumer group in the headers.</summary>
    private sealed class GroupView(KafkaDeadLetterPublisher publisher, string consumerGroupId) : IDeadLetterSink
    {
        public Task PublishAsync<TKey, TValue>(ConsumeResult<TKey, TValue> result, Exception exception, FailureCategory category = FailureCategory.Permanent, int attempts = 1, CancellationToken cancellationToken = default)
            => publisher.PublishAsync(result, exception, category, attempts, consumerGroupId, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-letter producer error {Code} (fatal: {IsFatal}): {Reason}")]
    private static partial void LogProducerError(ILogger logger, ErrorCode code, bool isFatal, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not dead-letter {Original} to {DeadLetterTopic}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string original, string? deadLetterTopic);
}

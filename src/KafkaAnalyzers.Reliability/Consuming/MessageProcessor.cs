using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.RetryTopics;
using Microsoft.Extensions.Logging;
using Polly;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// Takes one consumed message to an outcome: handled, dead-lettered (its offset may then be stored),
/// abandoned (revoked or stopping: its offset is never stored, it is delivered again), or, when the
/// dead-letter sink fails for good, left incomplete while the consumer stops.
/// </summary>
internal sealed class MessageProcessor<TKey, TValue>
{
    private readonly Func<ConsumeResult<TKey, TValue>, CancellationToken, Task> handler;
    private readonly IDeserializer<TKey> keyDeserializer;
    private readonly IDeserializer<TValue> valueDeserializer;
    private readonly IDeadLetterSink deadLetterSink;
    private readonly HandlerResilience resilience;
    private readonly ConsumerMetrics metrics;
    private readonly ILogger logger;
    private readonly string groupId;
    private readonly Action<Exception, string> stopConsumer;
    private readonly RetryTopicRouter? retryTopics;

    public MessageProcessor(
        Func<ConsumeResult<TKey, TValue>, CancellationToken, Task> handler,
        IDeserializer<TKey> keyDeserializer,
        IDeserializer<TValue> valueDeserializer,
        IDeadLetterSink deadLetterSink,
        HandlerResilience resilience,
        ConsumerMetrics metrics,
        ILogger logger,
        string groupId,
        Action<Exception, string> stopConsumer,
        RetryTopicRouter? retryTopics = null)
    {
        this.handler = handler;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.deadLetterSink = deadLetterSink;
        this.resilience = resilience;
        this.metrics = metrics;
        this.logger = logger;
        this.groupId = groupId;
        this.stopConsumer = stopConsumer;
        this.retryTopics = retryTopics;
    }

    public async Task ProcessAsync(WorkItem item)
    {
        var message = item.Message;
        var cancellation = item.Owner.Revoked;
        if (cancellation.IsCancellationRequested)
        {
            metrics.MessageAbandoned(message.Topic);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        using var activity = ConsumerTracing.StartProcess(message, groupId);

        // Retry topics: where the message stands, and whether it must follow an earlier message of its key.
        var position = retryTopics?.Locate(message);
        if (position?.Problem is { } unreadable)
        {
            await DeadLetterAsync(item, new FormatException(unreadable), FailureCategory.Permanent, attempts: 0, started, position).ConfigureAwait(false);
            return;
        }

        if (position is not null && retryTopics!.MustFollow(message, position) is { } followTier)
        {
            await RetryLaterAsync(item, position, followTier, failure: null, position.PreviousAttempts).ConfigureAwait(false);
            return;
        }

        ConsumeResult<TKey, TValue> typed;
        try
        {
            typed = Deserialize(message);
        }
        catch (MessageDeserializationException undeserializable)
        {
            ConsumerTracing.RecordFailure(activity, undeserializable, "dead_lettered");
            await DeadLetterAsync(item, undeserializable, FailureCategory.Permanent, attempts: (position?.PreviousAttempts ?? 0) + 1, started, position).ConfigureAwait(false);
            return;
        }

        var attempt = new Attempt(handler, typed);
        var context = ResilienceContextPool.Shared.Get(cancellation);
        context.Properties.Set(HandlerResilience.MessageKey, message);
        context.Properties.Set(HandlerResilience.AttemptsKey, attempt);
        if (position is not null)
        {
            context.Properties.Set(HandlerResilience.MaxAttemptsKey, retryTopics!.AttemptsFor(position));
        }

        try
        {
            await resilience.Handler.ExecuteAsync(
                static async (ctx, state) =>
                {
                    state.Count++;
                    await state.Handler(state.Message, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                attempt).ConfigureAwait(false);
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            // Revoked or stopping: the outcome is unknown, so the offset stays where it is and the message comes again.
            ConsumerTracing.RecordFailure(activity, new OperationCanceledException(cancellation), "abandoned");
            metrics.MessageAbandoned(message.Topic);
            return;
        }
        catch (Exception failure)
        {
            var category = resilience.Classify(failure);
            var attempts = (position?.PreviousAttempts ?? 0) + Math.Max(attempt.Count, 1);
            if (category == FailureCategory.Transient && position is not null && retryTopics!.NextTier(position) is { } nextTier)
            {
                ConsumerTracing.RecordFailure(activity, failure, "retry_topic");
                await RetryLaterAsync(item, position, nextTier, failure, attempts).ConfigureAwait(false);
                return;
            }

            ConsumerTracing.RecordFailure(activity, failure, "dead_lettered");
            await DeadLetterAsync(item, failure, category, attempts, started, position).ConfigureAwait(false);
            return;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        item.Owner.Tracker.Complete(item.Tracked);
        if (position is not null)
        {
            retryTopics!.Finished(message, position, deadLettered: null);
        }

        metrics.MessageProcessed(message.Topic, Stopwatch.GetElapsedTime(started));
    }

    private ConsumeResult<TKey, TValue> Deserialize(ConsumeResult<byte[], byte[]> raw)
    {
        var headers = raw.Message.Headers;
        var key = Read(keyDeserializer, raw.Message.Key, new SerializationContext(MessageComponentType.Key, raw.Topic, headers), raw, isKey: true);
        var value = Read(valueDeserializer, raw.Message.Value, new SerializationContext(MessageComponentType.Value, raw.Topic, headers), raw, isKey: false);
        return new ConsumeResult<TKey, TValue>
        {
            Topic = raw.Topic,
            Partition = raw.Partition,
            Offset = raw.Offset,
            LeaderEpoch = raw.LeaderEpoch,
            IsPartitionEOF = false,
            Message = new Message<TKey, TValue>
            {
                Key = key,
                Value = value,
                Headers = headers,
                Timestamp = raw.Message.Timestamp,
            },
        };
    }

    private static T Read<T>(IDeserializer<T> deserializer, byte[]? data, SerializationContext context, ConsumeResult<byte[], byte[]> raw, bool isKey)
    {
        try
        {
            return deserializer.Deserialize(data, data is null, context);
        }
        catch (Exception ex)
        {
            var part = isKey ? "key" : "value";
            throw new MessageDeserializationException(
                $"Could not deserialize the {part} of {raw.TopicPartitionOffset} as {typeof(T).Name}: {ex.Message}", isKey, ex);
        }
    }

    private async Task DeadLetterAsync(WorkItem item, Exception failure, FailureCategory category, int attempts, long started, RetryPosition? position = null)
    {
        // A message from a retry tier is dead-lettered as the message it originally was (topic, partition, offset).
        var message = position is null ? item.Message : retryTopics!.DeadLetterView(item.Message, position);
        var cancellation = item.Owner.Revoked;
        var context = ResilienceContextPool.Shared.Get(cancellation);
        context.Properties.Set(HandlerResilience.MessageKey, message);
        try
        {
            await resilience.DeadLetter.ExecuteAsync(
                static (ctx, state) => new ValueTask(state.Sink.PublishAsync(state.Message, state.Failure, state.Category, state.Attempts, ctx.CancellationToken)),
                context,
                (Sink: deadLetterSink, Message: message, Failure: failure, Category: category, Attempts: attempts)).ConfigureAwait(false);
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            metrics.MessageAbandoned(message.Topic);
            return;
        }
        catch (Exception publishFailure)
        {
            // Never skip: the offset is not stored, the consumer stops, and the message is delivered again after a restart.
            metrics.DeadLetterFailed(message.Topic);
            var cause = publishFailure as DeadLetterPublishException;
            stopConsumer(
                new DeadLetterPublishException(
                    message.TopicPartitionOffset,
                    cause?.DeadLetterTopic,
                    $"Could not dead-letter {message.TopicPartitionOffset} ({category} failure: {failure.GetType().Name}: {failure.Message}). " +
                    "Its offset was not stored; the consumer stops so that the message is not skipped.",
                    cause?.Error,
                    mayHaveBeenWritten: cause?.MayHaveBeenWritten ?? true,
                    publishFailure),
                "the dead-letter sink failed");
            return;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        item.Owner.Tracker.Complete(item.Tracked);
        if (position is not null)
        {
            retryTopics!.Finished(item.Message, position, category);
        }

        metrics.MessageDeadLettered(message.Topic, category, Stopwatch.GetElapsedTime(started));
        ConsumerLog.DeadLettered(logger, failure, category.ToString(), message.Topic, message.Partition.Value, message.Offset.Value, attempts);
    }

    /// <summary>
    /// Sends the message to a retry tier (after a transient failure, or behind an earlier message of its key) and
    /// completes it once the tier acknowledged it. If it cannot be sent, the consumer stops without storing it.
    /// </summary>
    private async Task RetryLaterAsync(WorkItem item, RetryPosition position, int tier, Exception? failure, int attempts)
    {
        var message = item.Message;
        var cancellation = item.Owner.Revoked;
        try
        {
            await retryTopics!.SendAsync(message, position, tier, failure, attempts, cancellation).ConfigureAwait(false);
        }
        catch (Exception) when (cancellation.IsCancellationRequested || retryTopics!.Stopped)
        {
            // Revoked, or the consumer stopped (its partition tokens may not be cancelled yet): the offset is not stored.
            metrics.MessageAbandoned(message.Topic);
            return;
        }
        catch (Exception sendFailure)
        {
            // As for a dead letter: never skip. The offset is not stored; the consumer stops.
            metrics.DeadLetterFailed(message.Topic);
            stopConsumer(sendFailure, "a retry topic could not be written");
            return;
        }

        item.Owner.Tracker.Complete(item.Tracked);
    }

    private sealed class Attempt(Func<ConsumeResult<TKey, TValue>, CancellationToken, Task> handler, ConsumeResult<TKey, TValue> message) : HandlerAttempts
    {
        public Func<ConsumeResult<TKey, TValue>, CancellationToken, Task> Handler { get; } = handler;

        public ConsumeResult<TKey, TValue> Message { get; } = message;
    }
}

using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using Polly;

namespace KafkaAnalyzers.Reliability.ExactlyOnce;

// Handling a batch (outside any transaction) and committing it (one transaction).
public sealed partial class ExactlyOnceProcessor<TKey, TValue, TOutKey, TOutValue>
{
    private const int MaxCallAttempts = 10;

    /// <summary>Handles every message of the batch; null when the processor is stopping.</summary>
    private BatchWork? HandleBatch()
    {
        var work = new BatchWork();
        foreach (var raw in batch)
        {
            if (stopping.IsCancellationRequested || !HandleOne(raw, work))
            {
                Checkpoint();
                return null;
            }

            Checkpoint();
        }

        return work;
    }

    /// <returns>False when stopping interrupted the handler.</returns>
    private bool HandleOne(ConsumeResult<byte[], byte[]> raw, BatchWork work)
    {
        var started = Stopwatch.GetTimestamp();
        ConsumeResult<TKey, TValue> typed;
        try
        {
            typed = Deserialize(raw);
        }
        catch (MessageDeserializationException undeserializable)
        {
            AddDeadLetter(raw, undeserializable, FailureCategory.Permanent, attempts: 1, work, started);
            return true;
        }

        var attempt = new Attempt(handler, typed);
        var context = ResilienceContextPool.Shared.Get(stopping.Token);
        context.Properties.Set(HandlerResilience.MessageKey, raw);
        context.Properties.Set(HandlerResilience.AttemptsKey, attempt);
        try
        {
            resilience.Handler.ExecuteAsync(
                static async (ctx, state) =>
                {
                    state.Count++;
                    state.Outputs = await state.Handler(state.Message, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                attempt).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception failure)
        {
            AddDeadLetter(raw, failure, resilience.Classify(failure), Math.Max(attempt.Count, 1), work, started);
            return true;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var serialized = new List<(TopicPartition, Message<byte[], byte[]>)>();
        try
        {
            foreach (var output in attempt.Outputs ?? [])
            {
                serialized.Add(Serialize(output));
            }
        }
        catch (Exception unserializable)
        {
            // Serializing the same outputs again fails again: the input is dead-lettered, as for a permanent failure.
            AddDeadLetter(raw, unserializable, FailureCategory.Permanent, Math.Max(attempt.Count, 1), work, started);
            return true;
        }

        work.Messages.AddRange(serialized);
        work.Outputs += serialized.Count;
        work.Processed.Add((raw.Topic, Stopwatch.GetElapsedTime(started)));
        return true;
    }

    private (TopicPartition, Message<byte[], byte[]>) Serialize(OutputMessage<TOutKey, TOutValue> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(output.Topic, nameof(OutputMessage<TOutKey, TOutValue>.Topic));
        var headers = output.Message.Headers;
        var message = new Message<byte[], byte[]>
        {
            Key = keySerializer.Serialize(output.Message.Key, new SerializationContext(MessageComponentType.Key, output.Topic, headers)),
            Value = valueSerializer.Serialize(output.Message.Value, new SerializationContext(MessageComponentType.Value, output.Topic, headers)),
            Headers = headers,
            Timestamp = output.Message.Timestamp,
        };
        return (new TopicPartition(output.Topic, output.Partition), message);
    }

    private void AddDeadLetter(ConsumeResult<byte[], byte[]> raw, Exception failure, FailureCategory category, int attempts, BatchWork work, long started)
    {
        var topic = options.DeadLetterTopic(raw.Topic);
        if (string.IsNullOrWhiteSpace(topic) || topic == raw.Topic)
        {
            throw new InvalidOperationException($"ExactlyOnceProcessorOptions.DeadLetterTopic returned '{topic}' for '{raw.Topic}'; it must name a different, non-empty topic.");
        }

        // Throws when even the bare dead letter cannot fit: the processor stops rather than skip the message.
        var message = DeadLetterMessageFactory.Create(
            raw.Message.Key,
            raw.Message.Value,
            raw.Message.Headers,
            new DeadLetterFailure(raw.TopicPartitionOffset, raw.Message.Timestamp, failure, category, attempts, groupId, DateTimeOffset.UtcNow),
            maxDeadLetterBytes);
        work.Messages.Add((new TopicPartition(topic, Partition.Any), message));
        work.DeadLetters.Add((raw, failure, category, attempts, Stopwatch.GetElapsedTime(started)));
    }

    /// <summary>Produces the batch's outputs and dead letters and commits them with the batch's offsets, in one transaction.</summary>
    private void CommitBatch(IConsumer<byte[], byte[]> kafka, IProducer<byte[], byte[]> transactional, BatchWork work, long started)
    {
        var offsets = batch
            .GroupBy(result => result.TopicPartition)
            .Select(partition => new TopicPartitionOffset(partition.Key, partition.Max(result => result.Offset.Value) + 1))
            .ToList();
        var inputs = batch.Select(result => result.TopicPartitionOffset).ToList();
        try
        {
            InClientCall("BeginTransaction", transactional.BeginTransaction);
            Checkpoint();
            foreach (var (destination, message) in work.Messages)
            {
                ProduceInTransaction(transactional, destination, message);
                Checkpoint();
            }

            CallWithRetries(() => transactional.SendOffsetsToTransaction(offsets, kafka.ConsumerGroupMetadata, options.TransactionCallTimeout), "SendOffsetsToTransaction", abortOnGiveUp: true);
            Checkpoint();
            CallWithRetries(() => transactional.CommitTransaction(options.TransactionCallTimeout), "CommitTransaction", abortOnGiveUp: true);
        }
        catch (KafkaTxnRequiresAbortException abortable)
        {
            AbortAndRewind(kafka, transactional, abortable, "abortable_error");
            return;
        }
        catch (TransactionCallGaveUp gaveUp)
        {
            AbortAndRewind(kafka, transactional, gaveUp.InnerException, "retries_exhausted");
            return;
        }

        foreach (var offset in offsets)
        {
            committedPositions[offset.TopicPartition] = offset.Offset.Value;
        }

        processorMetrics.TransactionCommitted(Stopwatch.GetElapsedTime(started), work.Outputs);
        foreach (var (topic, duration) in work.Processed)
        {
            metrics.MessageProcessed(topic, duration);
        }

        foreach (var (raw, failure, category, attempts, duration) in work.DeadLetters)
        {
            metrics.MessageDeadLettered(raw.Topic, category, duration);
            ExactlyOnceLog.DeadLettered(logger, failure, raw.Topic, raw.Partition.Value, raw.Offset.Value, category.ToString(), attempts);
        }

        ExactlyOnceLog.Committed(logger, inputs.Count, work.Outputs, work.DeadLetters.Count, string.Join(", ", offsets));
        TransactionCommitted?.Invoke(kafka, offsets, inputs);
        batch.Clear();
        Checkpoint();
    }

    private void ProduceInTransaction(IProducer<byte[], byte[]> transactional, TopicPartition destination, Message<byte[], byte[]> message)
    {
        while (true)
        {
            try
            {
                transactional.Produce(destination, message);
                return;
            }
            catch (ProduceException<byte[], byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
            {
                Checkpoint();
                Thread.Sleep(5);
            }
            catch (ProduceException<byte[], byte[]> refused) when (!refused.Error.IsFatal)
            {
                // Refused at once (an oversized output, an unknown partition): the same batch would be refused again after
                // an abort, so stop loudly rather than loop or skip.
                throw new InvalidOperationException($"The transactional producer refused an output to {destination}: {refused.Error.Code} ({refused.Error.Reason}).", refused);
            }
        }
    }

    private void AbortAndRewind(IConsumer<byte[], byte[]> kafka, IProducer<byte[], byte[]> transactional, Exception? cause, string reason)
    {
        // An abort whose EndTxn fails with a non-fatal error is called again: librdkafka moves the transaction back to
        // begin-abort for that (rd_kafka_txn_handle_EndTxn), and Confluent.Kafka reports it as a plain KafkaException.
        CallWithRetries(() => transactional.AbortTransaction(options.TransactionCallTimeout), "AbortTransaction", abortOnGiveUp: false, retryNonFatal: true);
        var rewindTo = batch
            .GroupBy(result => result.TopicPartition)
            .Select(partition => new TopicPartitionOffset(partition.Key, partition.Min(result => result.Offset.Value)))
            .ToList();
        foreach (var position in rewindTo)
        {
            // Throws if the partition cannot be rewound: the processor stops rather than skip the batch.
            InClientCall("Seek " + position, () => kafka.Seek(position));
        }

        processorMetrics.TransactionAborted(reason);
        ExactlyOnceLog.Aborted(logger, cause, batch.Count, reason, string.Join(", ", rewindTo));
        batch.Clear();
    }

    /// <summary>
    /// Runs a transaction call, retrying retriable errors (and with <paramref name="retryNonFatal"/>, every non-fatal
    /// error) with backoff; an abortable or fatal error is thrown at once.
    /// </summary>
    private void CallWithRetries(Action call, string name, bool abortOnGiveUp, bool retryNonFatal = false)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                RunTransactionCall(name, call);
                return;
            }
            catch (KafkaRetriableException retriable) when (attempt < MaxCallAttempts && !killRequested)
            {
                ExactlyOnceLog.Retrying(logger, retriable, name);
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
            catch (KafkaRetriableException retriable) when (abortOnGiveUp && !killRequested)
            {
                throw new TransactionCallGaveUp(name, retriable);
            }
            catch (KafkaException notFatal) when (retryNonFatal && !notFatal.Error.IsFatal && attempt < MaxCallAttempts && !killRequested)
            {
                ExactlyOnceLog.Retrying(logger, notFatal, name);
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }

            Checkpoint();
        }
    }

    /// <summary>
    /// Runs one transaction call off the poll thread and waits for it up to twice its timeout. librdkafka can block
    /// in a transaction call far past its timeout: SendOffsetsToTransaction waits for ever when the group coordinator
    /// is unreachable (confluentinc/librdkafka#5456, open for 2.16; seen here after a 2 s outage of that broker).
    /// A call that does not return by then is abandoned: the producer is left alone (disposing it under a call that
    /// is still inside it is unsafe) and <see cref="TransactionCallStuck"/> stops the processor loudly, instead of a
    /// poll thread that hangs silently with its partitions assigned. A call that returns in time behaves as if it
    /// ran on the poll thread (its exception is rethrown as is).
    /// </summary>
    private void RunTransactionCall(string name, Action call)
    {
        EnterClientCall(name);
        try
        {
            // Its own thread, not the pool: a starved pool must not make a call that never started look stuck.
            var running = Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var stuckAfter = TimeSpan.FromTicks(Math.Min(options.TransactionCallTimeout.Ticks, TimeSpan.FromDays(10).Ticks) * 2);
            bool returned;
            try
            {
                returned = running.Wait(stuckAfter);
            }
            catch (AggregateException)
            {
                returned = true;
            }

            if (!returned)
            {
                producerAbandoned = true;
                throw new TransactionCallStuck(name, stuckAfter, options.TransactionCallTimeout);
            }

            running.GetAwaiter().GetResult();
        }
        finally
        {
            LeaveClientCall();
        }
    }

    private ConsumeResult<TKey, TValue> Deserialize(ConsumeResult<byte[], byte[]> raw)
    {
        var headers = raw.Message.Headers;
        return new ConsumeResult<TKey, TValue>
        {
            Topic = raw.Topic,
            Partition = raw.Partition,
            Offset = raw.Offset,
            LeaderEpoch = raw.LeaderEpoch,
            Message = new Message<TKey, TValue>
            {
                Key = Read(keyDeserializer, raw.Message.Key, new SerializationContext(MessageComponentType.Key, raw.Topic, headers), raw, isKey: true),
                Value = Read(valueDeserializer, raw.Message.Value, new SerializationContext(MessageComponentType.Value, raw.Topic, headers), raw, isKey: false),
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
            throw new MessageDeserializationException(
                $"Could not deserialize the {(isKey ? "key" : "value")} of {raw.TopicPartitionOffset} as {typeof(T).Name}: {ex.Message}", isKey, ex);
        }
    }

    private sealed class BatchWork
    {
        public List<(TopicPartition Destination, Message<byte[], byte[]> Message)> Messages { get; } = new();

        public List<(string Topic, TimeSpan Duration)> Processed { get; } = new();

        public List<(ConsumeResult<byte[], byte[]> Raw, Exception Failure, FailureCategory Category, int Attempts, TimeSpan Duration)> DeadLetters { get; } = new();

        public int Outputs { get; set; }
    }

    private sealed class Attempt(Func<ConsumeResult<TKey, TValue>, CancellationToken, Task<IEnumerable<OutputMessage<TOutKey, TOutValue>>>> handler, ConsumeResult<TKey, TValue> message) : HandlerAttempts
    {
        public Func<ConsumeResult<TKey, TValue>, CancellationToken, Task<IEnumerable<OutputMessage<TOutKey, TOutValue>>>> Handler { get; } = handler;

        public ConsumeResult<TKey, TValue> Message { get; } = message;

        public IEnumerable<OutputMessage<TOutKey, TOutValue>>? Outputs { get; set; }
    }

    private sealed class TransactionCallGaveUp(string call, KafkaRetriableException last)
        : Exception($"{call} kept failing with retriable errors; the transaction is aborted.", last);

    /// <summary>A transaction call that did not return within twice its timeout; the processor stops.</summary>
    private sealed class TransactionCallStuck(string call, TimeSpan waited, TimeSpan timeout)
        : TimeoutException(
            $"{call} did not return within {waited.TotalSeconds:0.#} s although its timeout is {timeout.TotalSeconds:0.#} s (librdkafka can block there while " +
            "the group or transaction coordinator is unreachable, confluentinc/librdkafka#5456). The transactional producer is abandoned and the processor " +
            "stops; a new instance with the same InstanceId fences it and aborts its open transaction.");
}

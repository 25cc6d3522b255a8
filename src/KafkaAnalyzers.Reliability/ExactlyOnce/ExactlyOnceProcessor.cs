using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Health;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace KafkaAnalyzers.Reliability.ExactlyOnce;

/// <summary>
/// Exactly-once consume-transform-produce. One poll thread consumes a batch (up to
/// <see cref="ExactlyOnceProcessorOptions.MaxBatchSize"/>), hands each message to the handler, which returns its output
/// messages, then produces all outputs in one transaction together with the batch's input offsets
/// (<c>SendOffsetsToTransaction</c>) and commits it. A read_committed reader of the outputs sees each input's outputs
/// exactly once, and a restarted or rebalanced processor starts after the last committed batch.
/// </summary>
/// <remarks>
/// <para>Handler failures get the same classification and retries as in <see cref="ReliableConsumer{TKey,TValue}"/>;
/// a message that fails permanently or exhausts its retries is dead-lettered <b>inside</b> the transaction (raw bytes and
/// <see cref="DeadLetterHeaders"/>), so its dead letter and its offset commit together. An abortable transaction error
/// aborts the transaction and rewinds the batch's partitions to the offsets of the last committed transaction: the batch
/// is consumed and handled again. Fencing (another instance with the same <c>transactional.id</c>, or a group
/// generation this member no longer has) and fatal errors stop the processor loudly: <see cref="Completion"/> faults and
/// the cause is logged at Critical.</para>
/// <para>The handler runs before the transaction begins, so a slow handler never runs into <c>transaction.timeout.ms</c>;
/// only its outputs are exactly-once. Side effects the handler has outside Kafka happen at least once.</para>
/// </remarks>
/// <typeparam name="TKey">Input key type.</typeparam>
/// <typeparam name="TValue">Input value type.</typeparam>
/// <typeparam name="TOutKey">Output key type.</typeparam>
/// <typeparam name="TOutValue">Output value type.</typeparam>
public sealed partial class ExactlyOnceProcessor<TKey, TValue, TOutKey, TOutValue> : IAsyncDisposable, IKafkaConsumerStatusSource
{
    private readonly ExactlyOnceProcessorOptions options;
    private readonly Func<ConsumeResult<TKey, TValue>, CancellationToken, Task<IEnumerable<OutputMessage<TOutKey, TOutValue>>>> handler;
    private readonly IDeserializer<TKey> keyDeserializer;
    private readonly IDeserializer<TValue> valueDeserializer;
    private readonly ISerializer<TOutKey> keySerializer;
    private readonly ISerializer<TOutValue> valueSerializer;
    private readonly ConsumerConfig consumerConfig;
    private readonly ProducerConfig producerConfig;
    private readonly string groupId;
    private readonly string transactionalId;
    private readonly int maxDeadLetterBytes;
    private readonly ILogger logger;
    private readonly ConsumerMetrics metrics;
    private readonly ProcessorMetrics processorMetrics;
    private readonly HandlerResilience resilience;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AssignmentWatch assignment = new();
    private readonly ConsumerLagMonitor lagMonitor;
    private readonly object lifecycle = new();

    // Poll thread only.
    private readonly Dictionary<TopicPartition, long> committedPositions = new();
    private readonly Dictionary<TopicPartition, long> firstConsumed = new();
    private readonly List<ConsumeResult<byte[], byte[]>> batch = new();

    private IConsumer<byte[], byte[]>? consumer;
    private IProducer<byte[], byte[]>? producer;
    private bool started;
    private volatile bool killRequested;
    private volatile string? clientCall;
    private volatile bool producerAbandoned;
    private long clientCallSince;
    private Exception? fault;

    /// <summary>Creates the processor; nothing connects until <see cref="Start"/>.</summary>
    /// <param name="options">The settings, read now; invalid ones throw an <see cref="ArgumentException"/> naming each.</param>
    /// <param name="handler">Turns one input into its outputs (none is fine). Throwing fails the attempt (retried when transient, else dead-lettered). The token fires when the processor stops.</param>
    /// <param name="keyDeserializer">Reads input keys; optional for the types Confluent.Kafka deserializes itself.</param>
    /// <param name="valueDeserializer">Reads input values; optional for the same types.</param>
    /// <param name="keySerializer">Writes output keys; optional for the types Confluent.Kafka serializes itself (string, byte[], int, long, float, double, Null).</param>
    /// <param name="valueSerializer">Writes output values; optional for the same types.</param>
    /// <param name="failureClassifier">Decides what is worth retrying; <see cref="DefaultFailureClassifier"/> when omitted.</param>
    /// <param name="loggerFactory">Where logs go; none when omitted.</param>
    public ExactlyOnceProcessor(
        ExactlyOnceProcessorOptions options,
        Func<ConsumeResult<TKey, TValue>, CancellationToken, Task<IEnumerable<OutputMessage<TOutKey, TOutValue>>>> handler,
        IDeserializer<TKey>? keyDeserializer = null,
        IDeserializer<TValue>? valueDeserializer = null,
        ISerializer<TOutKey>? keySerializer = null,
        ISerializer<TOutValue>? valueSerializer = null,
        IFailureClassifier? failureClassifier = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.ThrowIfInvalid();
        this.options = options;
        this.handler = handler;
        this.keyDeserializer = keyDeserializer ?? BuiltInDeserializers.For<TKey>(nameof(keyDeserializer));
        this.valueDeserializer = valueDeserializer ?? BuiltInDeserializers.For<TValue>(nameof(valueDeserializer));
        this.keySerializer = keySerializer ?? BuiltInSerializers.For<TOutKey>(nameof(keySerializer));
        this.valueSerializer = valueSerializer ?? BuiltInSerializers.For<TOutValue>(nameof(valueSerializer));

        consumerConfig = new ConsumerConfig(options.Consumer.ToDictionary(pair => pair.Key, pair => pair.Value))
        {
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        groupId = consumerConfig.GroupId;
        transactionalId = options.TransactionalId;
        producerConfig = options.Producer is { } supplied
            ? new ProducerConfig(supplied.ToDictionary(pair => pair.Key, pair => pair.Value))
            : ConnectionSettings.CopyTo(consumerConfig, KafkaPresets.CriticalProducer(ConnectionSettings.BootstrapServers(consumerConfig)!));
        producerConfig.TransactionalId = transactionalId;

        // librdkafka refuses message.timeout.ms above transaction.timeout.ms (default 60 s; the critical preset waits 120 s).
        var messageTimeout = producerConfig.MessageTimeoutMs ?? 300_000;
        if (producerConfig.TransactionTimeoutMs is { } transactionTimeout)
        {
            if (messageTimeout > transactionTimeout)
            {
                throw new ArgumentException(
                    $"ExactlyOnceProcessorOptions.Producer: message.timeout.ms ({messageTimeout}) must not exceed transaction.timeout.ms ({transactionTimeout}).", nameof(options));
            }
        }
        else
        {
            producerConfig.TransactionTimeoutMs = Math.Max(60_000, messageTimeout);
        }

        maxDeadLetterBytes = options.MaxDeadLetterBytes ?? producerConfig.MessageMaxBytes ?? 1_000_000;

        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KafkaAnalyzers.Reliability.ExactlyOnce.ExactlyOnceProcessor");
        metrics = new ConsumerMetrics(groupId);
        processorMetrics = new ProcessorMetrics(groupId);
        resilience = new HandlerResilience(
            new ReliableConsumerOptions { Retry = options.Retry, CircuitBreaker = new HandlerCircuitBreakerOptions { Enabled = false } },
            failureClassifier ?? DefaultFailureClassifier.Instance,
            metrics,
            logger);
        lagMonitor = new ConsumerLagMonitor(groupId, options.LagRefreshInterval);
    }

    /// <summary>Completes when the processor has stopped; faults with the cause when it stopped on its own (fencing, a fatal error, a dead letter that cannot be written).</summary>
    public Task Completion => completion.Task;

    /// <summary>The producer's transactional.id.</summary>
    public string TransactionalId => transactionalId;

    /// <summary>
    /// Tests: called on the poll thread right after a transaction committed, with the consumer, the offsets the
    /// transaction committed and the inputs it contained (librdkafka 2.16's mock cluster drops the offsets of
    /// TxnOffsetCommit; the tests mirror them with a plain commit here, see KAFKA_FACTS.md).
    /// </summary>
    internal Action<IConsumer<byte[], byte[]>, IReadOnlyList<TopicPartitionOffset>, IReadOnlyList<TopicPartitionOffset>>? TransactionCommitted { get; set; }

    /// <summary>Tests: called on the poll thread when partitions are assigned, before they are fetched.</summary>
    internal Action<IConsumer<byte[], byte[]>, IReadOnlyList<TopicPartition>>? PartitionsAssigned { get; set; }

    /// <summary>Builds the clients, initializes the transactional producer (fencing an earlier incarnation) and starts the poll thread.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        lock (lifecycle)
        {
            if (started)
            {
                throw new InvalidOperationException("The processor was already started; create a new one to start again.");
            }

            started = true;
        }

        assignment.Reset();
        lagMonitor.Open();
        var thread = new Thread(Run) { IsBackground = true, Name = "kafka-eos " + transactionalId };
        thread.Start();
    }

    /// <summary>
    /// Stops: the batch being handled is abandoned unless its transaction is already committing (it is then finished),
    /// an open transaction is aborted, and the consumer is closed (leaving the group). Never faults; see <see cref="Completion"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the loop to end (it still ends).</param>
    /// <returns>A task that completes when the processor has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (lifecycle)
        {
            if (!started)
            {
                started = true;
                lagMonitor.Close();
                completion.TrySetResult();
            }
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported through Completion.
        }
    }

    /// <summary>Stops (see <see cref="StopAsync"/>), waiting up to <see cref="ExactlyOnceProcessorOptions.ShutdownTimeout"/>.</summary>
    /// <returns>A task that completes when the processor has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(options.ShutdownTimeout);
        await StopAsync(deadline.Token).ConfigureAwait(false);
    }

    /// <summary>Tests: the Kafka client call the poll thread is in now, and since when, or that it is in none (for failure messages).</summary>
    internal string DescribeClientCall() =>
        clientCall is { } call && Volatile.Read(ref clientCallSince) is var since and not 0
            ? $"in {call} since {new DateTime(since, DateTimeKind.Utc):HH:mm:ss.fff} UTC"
            : "in no Kafka client call";

    /// <summary>Runs one Kafka client call, recording it for <see cref="DescribeClientCall"/>.</summary>
    private void InClientCall(string name, Action call)
    {
        EnterClientCall(name);
        try
        {
            call();
        }
        finally
        {
            LeaveClientCall();
        }
    }

    private void EnterClientCall(string name)
    {
        Volatile.Write(ref clientCallSince, DateTime.UtcNow.Ticks);
        clientCall = name;
    }

    private void LeaveClientCall()
    {
        clientCall = null;
        Volatile.Write(ref clientCallSince, 0);
    }

    /// <summary>Simulates a crash at the next step: no commit, no abort, no Close(); the clients are disposed.</summary>
    internal void Kill()
    {
        killRequested = true;
        stopping.Cancel();
    }

    /// <inheritdoc />
    public KafkaConsumerStatus GetStatus()
    {
        bool wasStarted;
        lock (lifecycle)
        {
            wasStarted = started;
        }

        // A recorded fault decides the outcome (the completion faults with it): Faulted from that moment.
        var done = completion.Task;
        var recordedFault = Volatile.Read(ref fault);
        var state = !wasStarted ? KafkaConsumerState.NotStarted
            : done.IsFaulted || recordedFault is not null ? KafkaConsumerState.Faulted
            : done.IsCompleted ? KafkaConsumerState.Stopped
            : stopping.IsCancellationRequested ? KafkaConsumerState.Stopping
            : KafkaConsumerState.Running;
        return new KafkaConsumerStatus(state, done.Exception?.InnerException ?? recordedFault, groupId, assignment.Count, assignment.UnassignedSince, false, lagMonitor.Lag, lagMonitor.MeasuredAt);
    }

    private void Run()
    {
        try
        {
            producer = BuildProducer();
            consumer = BuildConsumer();
            CallWithRetries(() => producer.InitTransactions(options.TransactionCallTimeout), "InitTransactions", abortOnGiveUp: false);
            consumer.Subscribe(options.Topics);
            ExactlyOnceLog.Started(logger, groupId, string.Join(", ", options.Topics), transactionalId);
            while (!stopping.IsCancellationRequested && Volatile.Read(ref fault) is null)
            {
                RunOnce(consumer, producer);
            }
        }
        catch (Exception) when (killRequested)
        {
            // Killed at a step boundary or while a call was retrying: nothing more is done, as in a crash.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Fail(
                ex,
                ex is KafkaException { Error.IsFatal: true } ? "fatal Kafka error (fenced by a newer instance or producer fatal)"
                : producerAbandoned ? "a transaction call is stuck in librdkafka; the transactional producer is abandoned"
                : "the processing loop failed");
        }

        if (killRequested)
        {
            ExactlyOnceLog.Killed(logger);
            DisposeQuietly();
        }
        else
        {
            ShutDown();
        }

        lagMonitor.Close();
        if (Volatile.Read(ref fault) is { } failure)
        {
            completion.TrySetException(failure);
        }
        else
        {
            completion.TrySetResult();
        }
    }

    private void RunOnce(IConsumer<byte[], byte[]> kafka, IProducer<byte[], byte[]> transactional)
    {
        CollectBatch(kafka);
        RefreshLag(kafka);
        if (batch.Count == 0)
        {
            return;
        }

        Checkpoint();
        var started = Stopwatch.GetTimestamp();
        var work = HandleBatch();
        if (work is null)
        {
            // Stopping while handling: nothing is committed; the next owner reads the batch again.
            batch.Clear();
            return;
        }

        CommitBatch(kafka, transactional, work, started);
    }

    /// <summary>Consumes up to a batch: waits one poll timeout for the first message, then takes what is already fetched.</summary>
    private void CollectBatch(IConsumer<byte[], byte[]> kafka)
    {
        batch.Clear();
        var wait = options.PollTimeout;
        while (batch.Count < options.MaxBatchSize)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                // Tracked without a closure: this is the hot path.
                EnterClientCall("Consume");
                try
                {
                    result = kafka.Consume(wait);
                }
                finally
                {
                    LeaveClientCall();
                }
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                ExactlyOnceLog.KafkaError(logger, ex.Error.Code, ex.Error.Reason);
                return;
            }
            catch (ConsumeException ex)
            {
                throw new KafkaException(ex.Error);
            }

            if (result is null || result.IsPartitionEOF)
            {
                return;
            }

            firstConsumed.TryAdd(result.TopicPartition, result.Offset.Value);
            batch.Add(result);
            wait = TimeSpan.Zero;
        }
    }

    private void Checkpoint()
    {
        if (killRequested)
        {
            throw new Killed();
        }
    }

    private void Fail(Exception exception, string reason)
    {
        if (Interlocked.CompareExchange(ref fault, exception, null) is null)
        {
            ExactlyOnceLog.Faulted(logger, exception, reason);
            stopping.Cancel();
        }
    }

    private void RefreshLag(IConsumer<byte[], byte[]> kafka, bool force = false)
    {
        if (!lagMonitor.IsDue(force))
        {
            return;
        }

        lagMonitor.MaybeRefresh(
            kafka,
            kafka.Assignment.Select(partition => (partition, committedPositions.TryGetValue(partition, out var committed) ? committed : firstConsumed.TryGetValue(partition, out var first) ? first : (long?)null)),
            force);
    }

    private IProducer<byte[], byte[]> BuildProducer()
    {
        using (ExecutionContext.SuppressFlow())
        {
            return new ProducerBuilder<byte[], byte[]>(producerConfig)
                .SetErrorHandler((_, error) =>
                {
                    if (error.IsFatal)
                    {
                        Fail(new KafkaException(error), "the transactional producer is fatal (fenced or unrecoverable)");
                    }
                    else
                    {
                        ExactlyOnceLog.KafkaError(logger, error.Code, error.Reason);
                    }
                })
                .Build();
        }
    }

    private IConsumer<byte[], byte[]> BuildConsumer() =>
        new ConsumerBuilder<byte[], byte[]>(consumerConfig)
            .SetPartitionsAssignedHandler((kafka, partitions) =>
            {
                PartitionsAssigned?.Invoke(kafka, partitions);
                foreach (var partition in partitions)
                {
                    committedPositions.Remove(partition);
                    firstConsumed.Remove(partition);
                }

                assignment.Set(partitions.Count + CurrentAssignmentCount(partitions));
                ExactlyOnceLog.Assigned(logger, string.Join(", ", partitions));
            })
            .SetPartitionsRevokedHandler((kafka, revoked) => OnRevoked(kafka, revoked.Select(p => p.TopicPartition).ToList()))
            .SetPartitionsLostHandler((kafka, lost) => OnRevoked(kafka, lost.Select(p => p.TopicPartition).ToList()))
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    Fail(new KafkaException(error), "fatal consumer error");
                }
                else
                {
                    ExactlyOnceLog.KafkaError(logger, error.Code, error.Reason);
                }
            })
            .Build();

    private int CurrentAssignmentCount(List<TopicPartition> adding)
    {
        try
        {
            return consumer?.Assignment.Count(partition => !adding.Contains(partition)) ?? 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>Revocation happens inside Consume, between transactions: consumed messages of those partitions are dropped.</summary>
    private void OnRevoked(IConsumer<byte[], byte[]> kafka, List<TopicPartition> partitions)
    {
        var revoked = partitions.ToHashSet();
        var dropped = batch.RemoveAll(result => revoked.Contains(result.TopicPartition));
        foreach (var partition in revoked)
        {
            committedPositions.Remove(partition);
            firstConsumed.Remove(partition);
        }

        int remaining;
        try
        {
            remaining = kafka.Assignment.Count(partition => !revoked.Contains(partition));
        }
        catch (Exception)
        {
            remaining = 0;
        }

        assignment.Set(remaining);
        ExactlyOnceLog.Revoked(logger, string.Join(", ", partitions), dropped);
    }

    private void ShutDown()
    {
        try
        {
            if (producer is not null && !producerAbandoned && Volatile.Read(ref fault) is not KafkaException { Error.IsFatal: true })
            {
                try
                {
                    InClientCall("AbortTransaction (stopping)", () => producer.AbortTransaction(TimeSpan.FromSeconds(5)));
                }
                catch (KafkaException)
                {
                    // No transaction open (the usual case), or the producer cannot abort: InitTransactions of the next incarnation aborts it.
                }
            }

            InClientCall("consumer Close", () => consumer?.Close());
            ExactlyOnceLog.Closed(logger, groupId);
        }
        catch (Exception ex)
        {
            ExactlyOnceLog.CloseFailed(logger, ex);
        }
        finally
        {
            DisposeQuietly();
        }
    }

    private void DisposeQuietly()
    {
        try
        {
            InClientCall("consumer Dispose", () => consumer?.Dispose());
        }
        catch (Exception ex)
        {
            ExactlyOnceLog.CloseFailed(logger, ex);
        }

        try
        {
            if (!producerAbandoned)
            {
                InClientCall("producer Dispose", () => producer?.Dispose());
            }
        }
        catch (Exception ex)
        {
            ExactlyOnceLog.CloseFailed(logger, ex);
        }
    }

    private sealed class Killed : Exception;
}

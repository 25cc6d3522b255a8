using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Processing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// An at-least-once Kafka consume loop. One dedicated thread polls; each message is deserialized
/// and handed to the handler (concurrently across keys when <see cref="ReliableConsumerOptions.MaxConcurrency"/>
/// is above 1, always in offset order per key). Transient failures are retried with backoff, then
/// dead-lettered; permanent failures and undeserializable messages are dead-lettered at once, raw.
/// A message's offset is stored only after it was handled or its dead letter acknowledged, and only as
/// part of the contiguous completed prefix of its partition, so a crash at any point loses nothing.
/// </summary>
/// <typeparam name="TKey">The key type the handler receives.</typeparam>
/// <typeparam name="TValue">The value type the handler receives.</typeparam>
/// <remarks>
/// A circuit breaker around the handler pauses the partitions while it is open; the loop keeps
/// polling so the consumer stays in its group. A fatal Kafka error or a dead letter that cannot be
/// stored stops the loop: <see cref="Completion"/> faults and the cause is logged at Critical level.
/// Stopping closes the consumer (committing what was stored and leaving the group).
/// </remarks>
public sealed class ReliableConsumer<TKey, TValue> : IAsyncDisposable
{
    private readonly ConsumerConfig config;
    private readonly string[] topics;
    private readonly string groupId;
    private readonly TimeSpan pollTimeout;
    private readonly TimeSpan revocationDrainTimeout;
    private readonly TimeSpan shutdownTimeout;
    private readonly int maxInFlight;
    private readonly ILogger logger;
    private readonly ConsumerMetrics metrics;
    private readonly HandlerResilience resilience;
    private readonly KeyedWorkScheduler<WorkItem> scheduler;
    private readonly CancellationTokenSource abandonAll = new();
    private readonly AssignedPartitions assigned;
    private readonly PartitionPauser pauser;
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object lifecycle = new();
    private IConsumer<byte[], byte[]>? consumer;
    private bool started;
    private volatile bool stopRequested;
    private volatile bool abortRequested;
    private CancellationToken drainDeadline;
    private Exception? fault;
    private bool backpressure;

    /// <summary>Creates the consumer; nothing connects until <see cref="Start"/>.</summary>
    /// <param name="options">The settings, read now; invalid settings (including a consumer configuration that fails
    /// <see cref="KafkaConfigValidator.ValidateAtLeastOnceConsumer(ConsumerConfig)"/>) throw an <see cref="ArgumentException"/> naming each one.</param>
    /// <param name="handler">Handles one message. Throwing fails the attempt; the cancellation token fires when the partition is revoked or the consumer stops.</param>
    /// <param name="deadLetterSink">Where messages that cannot be processed go (for example the Kafka dead-letter publisher).</param>
    /// <param name="keyDeserializer">Reads keys; optional for the types Confluent.Kafka deserializes itself (string, byte[], int, long, float, double, Null, Ignore).</param>
    /// <param name="valueDeserializer">Reads values; optional for the same types.</param>
    /// <param name="failureClassifier">Decides what is worth retrying; <see cref="DefaultFailureClassifier"/> when omitted.</param>
    /// <param name="loggerFactory">Where logs go; none when omitted.</param>
    public ReliableConsumer(
        ReliableConsumerOptions options,
        Func<ConsumeResult<TKey, TValue>, CancellationToken, Task> handler,
        IDeadLetterSink deadLetterSink,
        IDeserializer<TKey>? keyDeserializer = null,
        IDeserializer<TValue>? valueDeserializer = null,
        IFailureClassifier? failureClassifier = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(deadLetterSink);
        options.ThrowIfInvalid();

        config = new ConsumerConfig(options.Consumer.ToDictionary(pair => pair.Key, pair => pair.Value));
        topics = options.Topics.ToArray();
        groupId = config.GroupId;
        pollTimeout = options.PollTimeout;
        revocationDrainTimeout = options.RevocationDrainTimeout;
        shutdownTimeout = options.ShutdownTimeout;
        maxInFlight = options.MaxInFlight;

        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(ReliableConsumer<,>).FullName!.Split('`')[0]);
        metrics = new ConsumerMetrics(groupId);
        resilience = new HandlerResilience(options, failureClassifier ?? DefaultFailureClassifier.Instance, metrics, logger);
        var processor = new MessageProcessor<TKey, TValue>(
            handler,
            keyDeserializer ?? BuiltInDeserializers.For<TKey>("keyDeserializer"),
            valueDeserializer ?? BuiltInDeserializers.For<TValue>("valueDeserializer"),
            deadLetterSink,
            resilience,
            metrics,
            logger,
            groupId,
            Fail);
        scheduler = new KeyedWorkScheduler<WorkItem>(options.MaxConcurrency, item => ProcessCountedAsync(processor, item), ex => Fail(ex, "a bug in message processing"));
        assigned = new AssignedPartitions(abandonAll.Token);
        pauser = new PartitionPauser(metrics, logger);
    }

    /// <summary>
    /// Completes when the loop has ended and the consumer is closed. Faults with the cause when the
    /// loop stopped on its own: a fatal Kafka error (<see cref="KafkaException"/>), a dead letter that
    /// could not be stored (<see cref="DeadLetterPublishException"/>), or an unexpected failure.
    /// </summary>
    public Task Completion => completion.Task;

    /// <summary>Sees every offset the loop stores, on the poll thread (tests check it against completed messages).</summary>
    internal Action<TopicPartitionOffset>? OffsetStored { get; set; }

    /// <summary>Builds the Kafka consumer, subscribes and starts the poll thread.</summary>
    /// <exception cref="InvalidOperationException">Already started, or librdkafka refused the configuration.</exception>
    public void Start()
    {
        lock (lifecycle)
        {
            if (started)
            {
                throw new InvalidOperationException("The consumer was already started; create a new one to start again.");
            }

            started = true;
        }

        try
        {
            consumer = BuildConsumer();
        }
        catch (Exception ex)
        {
            completion.TrySetException(ex);
            throw;
        }

        var pollThread = new Thread(Run)
        {
            IsBackground = true,
            Name = "kafka-consumer " + groupId,
        };
        pollThread.Start();
    }

    /// <summary>
    /// Stops consuming: pauses the partitions, lets in-flight messages finish until
    /// <paramref name="cancellationToken"/> fires (what is still running then is abandoned and delivered
    /// again later), stores and commits the completed offsets, closes the consumer.
    /// </summary>
    /// <param name="cancellationToken">The deadline for in-flight messages. Closing the consumer is awaited even after it fires.</param>
    /// <returns>A task that completes once the consumer is closed. It does not fault; <see cref="Completion"/> reports failures.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (lifecycle)
        {
            if (!started)
            {
                started = true;
                completion.TrySetResult();
            }
        }

        drainDeadline = cancellationToken;
        stopRequested = true;
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already logged at Critical level and reported through Completion.
        }
    }

    /// <summary>Stops the consumer (see <see cref="StopAsync"/>), giving in-flight messages <see cref="ReliableConsumerOptions.ShutdownTimeout"/>.</summary>
    /// <returns>A task that completes once the consumer is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(shutdownTimeout);
        await StopAsync(deadline.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Simulates a crash: the loop stops at once, nothing more is stored or committed, and the consumer
    /// is disposed without <c>Close()</c> (it stays in the group until its session times out).
    /// </summary>
    internal void AbortWithoutClose() => abortRequested = true;

    private void Run()
    {
        var kafka = consumer!;
        try
        {
            kafka.Subscribe(topics);
            ConsumerLog.Started(logger, groupId, string.Join(", ", topics));
            while (!stopRequested && !abortRequested && Volatile.Read(ref fault) is null)
            {
                PollOnce(kafka, dispatch: true);
            }
        }
        catch (Exception ex)
        {
            Fail(ex, "the poll loop failed");
        }

        if (abortRequested)
        {
            Abort(kafka);
            return;
        }

        ShutDown(kafka);
    }

    private void PollOnce(IConsumer<byte[], byte[]> kafka, bool dispatch)
    {
        StoreCompletedOffsets(kafka);
        pauser.Apply(kafka, PauseReason(dispatch));

        ConsumeResult<byte[], byte[]>? result;
        try
        {
            result = kafka.Consume(pollTimeout);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            ConsumerLog.ConsumeError(logger, ex.Error.Code, ex.Error.Reason);
            return;
        }
        catch (ConsumeException ex)
        {
            Fail(new KafkaException(ex.Error), "fatal consume error");
            return;
        }

        // Not dispatched while stopping: never stored, so delivered again after the restart.
        if (result is null || result.IsPartitionEOF || !dispatch)
        {
            return;
        }

        var owner = assigned.GetOrAssign(result.TopicPartition);
        var tracked = owner.Tracker.Track(result.Offset, result.LeaderEpoch);
        metrics.InFlightChanged(1);
        scheduler.Enqueue(new WorkItem(result, owner, tracked), OrderingKey.For(result.Topic, result.Partition.Value, result.Message.Key));
    }

    private string? PauseReason(bool consuming)
    {
        if (!consuming)
        {
            return "stopping";
        }

        if (resilience.IsBreakerBlocking)
        {
            return "circuit breaker open";
        }

        var inFlight = scheduler.InFlight;
        if (inFlight >= maxInFlight)
        {
            backpressure = true;
        }
        else if (inFlight <= maxInFlight / 2)
        {
            backpressure = false;
        }

        return backpressure ? $"backpressure: {inFlight} messages in flight" : null;
    }

    private async Task ProcessCountedAsync(MessageProcessor<TKey, TValue> processor, WorkItem item)
    {
        try
        {
            await processor.ProcessAsync(item).ConfigureAwait(false);
        }
        finally
        {
            metrics.InFlightChanged(-1);
        }
    }

    private void StoreCompletedOffsets(IConsumer<byte[], byte[]> kafka)
    {
        foreach (var owner in assigned.All)
        {
            if (owner.Tracker.TakeCommittableOffset() is { } offset)
            {
                Store(kafka, owner, offset);
            }
        }
    }

    private void Store(IConsumer<byte[], byte[]> kafka, OwnedPartition owner, TopicPartitionOffset offset)
    {
        try
        {
            kafka.StoreOffset(offset);
            owner.LastStored = offset;
            OffsetStored?.Invoke(offset);
        }
        catch (KafkaException ex)
        {
            // The next completed message of the partition stores a later offset; until then the
            // message is at worst delivered again.
            ConsumerLog.StoreFailed(logger, ex, offset);
        }
    }

    /// <summary>Commits the offsets stored for <paramref name="owners"/> since their last explicit commit.</summary>
    private void Commit(IConsumer<byte[], byte[]> kafka, IEnumerable<OwnedPartition> owners, string reason)
    {
        var toCommit = owners.Where(owner => owner.LastStored is not null && !ReferenceEquals(owner.LastStored, owner.LastCommitted)).ToList();
        if (toCommit.Count == 0)
        {
            return;
        }

        try
        {
            kafka.Commit(toCommit.Select(owner => owner.LastStored!));
            foreach (var owner in toCommit)
            {
                owner.LastCommitted = owner.LastStored;
            }

            ConsumerLog.Committed(logger, string.Join(", ", toCommit.Select(owner => owner.LastStored)));
        }
        catch (KafkaException ex)
        {
            ConsumerLog.CommitFailed(logger, ex, reason);
        }
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        assigned.Assign(partitions);
        pauser.OnAssigned(partitions);
        ConsumerLog.Assigned(logger, string.Join(", ", partitions));
    }

    private void OnRevoked(IConsumer<byte[], byte[]> kafka, List<TopicPartitionOffset> revoked)
    {
        if (abortRequested)
        {
            return;
        }

        var partitions = revoked.Select(p => p.TopicPartition).ToList();
        var owners = assigned.Find(partitions);

        // While stopping, the shutdown already waited for in-flight work up to its deadline.
        var wait = stopRequested || Volatile.Read(ref fault) is not null ? TimeSpan.Zero : revocationDrainTimeout;
        var waitStarted = Stopwatch.GetTimestamp();
        foreach (var owner in owners)
        {
            owner.Tracker.WaitUntilDrained(Max(TimeSpan.Zero, wait - Stopwatch.GetElapsedTime(waitStarted)));
        }

        foreach (var owner in owners)
        {
            if (owner.Tracker.TakeCommittableOffset() is { } offset)
            {
                Store(kafka, owner, offset);
            }
        }

        var pending = owners.Sum(owner => owner.Tracker.PendingCount);
        assigned.Release(partitions);
        pauser.OnRevoked(partitions);

        // The new owner starts from the committed offset: commit now rather than rely on a later auto-commit.
        Commit(kafka, owners, "partitions revoked");
        ConsumerLog.Revoked(logger, string.Join(", ", partitions), pending);
    }

    private void OnLost(List<TopicPartitionOffset> lost)
    {
        var partitions = lost.Select(p => p.TopicPartition).ToList();
        assigned.Release(partitions);
        pauser.OnRevoked(partitions);
        ConsumerLog.Lost(logger, string.Join(", ", partitions));
    }

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            Fail(new KafkaException(error), "fatal Kafka error");
        }
        else
        {
            ConsumerLog.KafkaError(logger, error.Code, error.Reason);
        }
    }

    private void ShutDown(IConsumer<byte[], byte[]> kafka)
    {
        try
        {
            ConsumerLog.Stopping(logger, scheduler.InFlight);
            while (scheduler.InFlight > 0 && !drainDeadline.IsCancellationRequested && Volatile.Read(ref fault) is null && !abortRequested)
            {
                PollOnce(kafka, dispatch: false);
            }

            if (abortRequested)
            {
                Abort(kafka);
                return;
            }

            if (scheduler.InFlight > 0)
            {
                ConsumerLog.ShutdownAbandoned(logger, scheduler.InFlight);
            }

            AbandonAllWork();
            StoreCompletedOffsets(kafka);
            if (Volatile.Read(ref fault) is not KafkaException { Error.IsFatal: true })
            {
                Commit(kafka, assigned.All, "shutdown");
            }

            kafka.Close();
            ConsumerLog.Closed(logger, groupId);
        }
        catch (Exception ex)
        {
            ConsumerLog.CloseFailed(logger, ex);
        }
        finally
        {
            kafka.Dispose();
            pauser.Forget();
            Finish();
        }
    }

    private void Abort(IConsumer<byte[], byte[]> kafka)
    {
        try
        {
            ConsumerLog.Aborted(logger);
            AbandonAllWork();
            kafka.Dispose();
        }
        catch (Exception ex)
        {
            ConsumerLog.CloseFailed(logger, ex);
        }
        finally
        {
            pauser.Forget();
            Finish();
        }
    }

    private void Finish()
    {
        if (Volatile.Read(ref fault) is { } failure)
        {
            completion.TrySetException(failure);
        }
        else
        {
            completion.TrySetResult();
        }
    }

    /// <summary>Records why the loop stops (the first reason wins) and stops processing at once: nothing after a failure may run.</summary>
    private void Fail(Exception exception, string reason)
    {
        if (Interlocked.CompareExchange(ref fault, exception, null) is null)
        {
            AbandonAllWork();
            if (exception is KafkaException { Error.IsFatal: true } fatal)
            {
                ConsumerLog.Fatal(logger, fatal.Error.Code, fatal.Error.Reason);
            }
            else
            {
                ConsumerLog.Faulted(logger, exception, reason);
            }
        }
    }

    /// <summary>
    /// Cancels every in-flight message: each is abandoned (not stored, delivered again later). The
    /// cancellation callbacks (the handlers' own registrations among them) run on the thread pool,
    /// never on the poll thread.
    /// </summary>
    private void AbandonAllWork()
    {
        var cancelled = abandonAll.CancelAsync();
        if (!cancelled.IsCompletedSuccessfully)
        {
            _ = cancelled.ContinueWith(
                task => ConsumerLog.ProcessingBug(logger, task.Exception!),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        }
    }

    private IConsumer<byte[], byte[]> BuildConsumer() =>
        new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, partitions) => Guard(() => OnAssigned(partitions)))
            .SetPartitionsRevokedHandler((kafka, revoked) => Guard(() => OnRevoked(kafka, revoked)))
            .SetPartitionsLostHandler((_, lost) => Guard(() => OnLost(lost)))
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, log) => ConsumerLog.Librdkafka(logger, ToLogLevel(log.Level), log.Facility, log.Message))
            .Build();

    private void Guard(Action rebalanceStep)
    {
        try
        {
            rebalanceStep();
        }
        catch (Exception ex)
        {
            Fail(ex, "a rebalance handler failed");
        }
    }

    private static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

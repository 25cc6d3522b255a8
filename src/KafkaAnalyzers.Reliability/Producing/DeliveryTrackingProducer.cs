using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// A producer that accounts for every message: each one is delivered, or its failure reaches
/// <see cref="DeliveryTrackingOptions{TKey,TValue}.OnDeliveryFailed"/> (or the
/// <see cref="DeliveryTrackingOptions{TKey,TValue}.FallbackSink"/>) exactly once, or — for
/// <see cref="ProduceAsync(string, Message{TKey,TValue}, CancellationToken)"/> — faults the awaited task.
/// Disposal flushes, hands messages still unconfirmed to the handler, and throws
/// <see cref="UndeliveredMessagesException"/> with their count.
/// </summary>
/// <remarks>
/// <para>Ordering: per partition (so per key), order and no-duplicates come from librdkafka's idempotent
/// producer, which retries internally. This class never resends a message itself. A message that failed
/// is reported; producing it again (from the handler or later) puts it after the messages produced since,
/// and may duplicate it when <see cref="DeliveryFailure{TKey,TValue}.MayHaveBeenPersisted"/> is true.</para>
/// <para>Backpressure: when librdkafka's local queue is full, produce calls wait (exponential backoff with
/// jitter, up to <see cref="DeliveryTrackingOptions{TKey,TValue}.QueueFullTimeout"/>) instead of failing;
/// a message is only counted once it is queued. A produce call that throws did not queue its message, except
/// <see cref="DeliveryFailedException{TKey,TValue}"/> (queued, failed, the outcome is the caller's) and
/// <see cref="ProduceCanceledException"/> with <see cref="ProduceCanceledException.MessageQueued"/> true (queued,
/// the outcome goes to the failure handler).</para>
/// <para>Producing from <see cref="DeliveryTrackingOptions{TKey,TValue}.OnDeliveryFailed"/> never waits: the
/// handler runs on the thread that serves delivery reports, and librdkafka counts a message against the queue
/// limit until that thread has served its report, so waiting there for room could only stall. When the queue is
/// full, such a <c>Produce</c> returns at once and the message is queued by a background task as room frees
/// (in the order the handler produced it); it is counted and tracked from the call on, and if the queue stays
/// full for <see cref="DeliveryTrackingOptions{TKey,TValue}.QueueFullTimeout"/> it fails to the handler with
/// <c>Local_QueueFull</c>. A message librdkafka refuses at once while a failure handler runs is failed from that
/// task as well, so a handler that keeps re-producing it loops rather than recursing.</para>
/// <para>Telemetry (metrics, the producer span) is recorded after each outcome has been handed over, and a
/// listener that throws is logged to <see cref="DeliveryTrackingOptions{TKey,TValue}.Logger"/>: it never changes
/// or loses an outcome.</para>
/// <para>Fatal errors (e.g. an idempotent <c>OutOfOrderSequenceNumber</c>, whose delivery error says
/// <c>IsFatal == false</c>) are detected through the client's error handler; afterwards produce calls throw
/// <see cref="ProducerFatalException"/>.</para>
/// <para>Serializers must be synchronous (<c>ISerializer</c>); wrap asynchronous ones with <c>AsSyncOverAsync()</c>.</para>
/// </remarks>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed partial class DeliveryTrackingProducer<TKey, TValue> : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan MinimumQueueFullTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumQueueFullTimeout = TimeSpan.FromDays(1);
    private static readonly Error UnconfirmedAtDisposalError = new(ErrorCode.Local_Destroy, "The producer was disposed before the cluster confirmed or failed the message.");

    private readonly IProducer<TKey, TValue> producer;
    private readonly DeliveryTrackingOptions<TKey, TValue> options;
    private readonly ResiliencePipeline queueFullWait;
    private readonly PendingDeliveries pending;
    private readonly ConcurrentQueue<DeliveryFailure<TKey, TValue>> unhandled = new();
    private readonly Channel<DeliveryFailure<TKey, TValue>>? sinkQueue;
    private Task sinkPump = Task.CompletedTask;
    private readonly CancellationTokenSource sinkAbandon = new();
    private readonly ConcurrentQueue<TrackedDelivery> handedOff = new();
    private readonly CancellationTokenSource handOffStop = new();
    private Task handOffPump = Task.CompletedTask;
    private int handOffRunning;
    private int completing;
    private long produced;
    private long delivered;
    private long failed;
    private Error? fatalError;
    private int disposed;

    /// <summary>Builds (and owns) a producer from <paramref name="config"/> after validating it as a critical producer.</summary>
    /// <param name="config">Must pass <see cref="KafkaConfigValidator.ValidateCriticalProducer(ProducerConfig)"/>; <see cref="KafkaPresets.CriticalProducer"/> does.</param>
    /// <param name="options">Where failures go; at least one of the handler and the sink must be set.</param>
    /// <param name="configureBuilder">Sets serializers, log or statistics handlers. Do not set the error handler: this class owns it (use <see cref="DeliveryTrackingOptions{TKey,TValue}.Logger"/> and <see cref="DeliveryTrackingOptions{TKey,TValue}.OnFatalError"/>).</param>
    /// <exception cref="KafkaConfigurationException">The configuration is not safe for a critical producer.</exception>
    public DeliveryTrackingProducer(ProducerConfig config, DeliveryTrackingOptions<TKey, TValue> options, Action<ProducerBuilder<TKey, TValue>>? configureBuilder = null)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(config);
        KafkaConfigValidator.ValidateCriticalProducer(config);
        var builder = new ProducerBuilder<TKey, TValue>(config).SetErrorHandler((_, error) => ObserveClientError(error));
        configureBuilder?.Invoke(builder);

        // The client's poll thread (which runs delivery and failure handlers) would otherwise inherit the
        // creator's async-local state for its whole life: its Activity.Current, logging scopes...
        using (ExecutionContext.SuppressFlow())
        {
            producer = builder.Build();
        }

        StartSinkPump();
    }

    /// <summary>
    /// Wraps <paramref name="producer"/> and takes ownership of it (disposal disposes it). Its
    /// configuration cannot be checked here: build it from a validated one. To detect fatal errors, forward
    /// its error handler: <c>SetErrorHandler((_, e) => tracker.ObserveClientError(e))</c>.
    /// </summary>
    /// <param name="producer">The producer to wrap; nothing else may produce through it.</param>
    /// <param name="options">Where failures go; at least one of the handler and the sink must be set.</param>
    public DeliveryTrackingProducer(IProducer<TKey, TValue> producer, DeliveryTrackingOptions<TKey, TValue> options)
        : this(options)
    {
        this.producer = producer ?? throw new ArgumentNullException(nameof(producer));
        StartSinkPump();
    }

    private DeliveryTrackingProducer(DeliveryTrackingOptions<TKey, TValue> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.OnDeliveryFailed is null && options.FallbackSink is null)
        {
            throw new ArgumentException(
                "Set DeliveryTrackingOptions.OnDeliveryFailed or DeliveryTrackingOptions.FallbackSink: a failed delivery must go somewhere.", nameof(options));
        }

        if (options.QueueFullTimeout < MinimumQueueFullTimeout || options.QueueFullTimeout > MaximumQueueFullTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.QueueFullTimeout,
                $"DeliveryTrackingOptions.QueueFullTimeout must be between {MinimumQueueFullTimeout} and {MaximumQueueFullTimeout}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.DisposeFlushTimeout, TimeSpan.Zero);
        this.options = options;
        pending = new PendingDeliveries(this);
        producer = null!;
        queueFullWait = new ResiliencePipelineBuilder()
            .AddTimeout(options.QueueFullTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ProduceException<TKey, TValue>>(failure => failure.Error.Code == ErrorCode.Local_QueueFull),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(2),
                MaxDelay = TimeSpan.FromMilliseconds(100),
            })
            .Build();

        if (options.FallbackSink is not null)
        {
            sinkQueue = Channel.CreateUnbounded<DeliveryFailure<TKey, TValue>>(new UnboundedChannelOptions { SingleReader = true });
        }
    }

    /// <summary>Messages queued so far.</summary>
    public long Produced => Interlocked.Read(ref produced);

    /// <summary>Messages the cluster acknowledged.</summary>
    public long Delivered => Interlocked.Read(ref delivered);

    /// <summary>Messages whose delivery failed, including those unconfirmed at disposal.</summary>
    public long Failed => Interlocked.Read(ref failed);

    /// <summary>Messages neither delivered nor failed yet.</summary>
    public int Pending => pending.Count;

    /// <summary>The fatal error, once the producer has hit one; it then cannot produce any more.</summary>
    public Error? FatalError => Volatile.Read(ref fatalError);

    /// <summary>Failures that no handler or sink accepted (the handler threw without a sink, or the sink threw), oldest first.</summary>
    public IReadOnlyList<DeliveryFailure<TKey, TValue>> UnhandledFailures => [.. unhandled];

    /// <summary>Queues <paramref name="message"/> for <paramref name="topic"/>; its outcome is tracked.</summary>
    /// <param name="topic">Destination topic.</param>
    /// <param name="message">The message; its <c>Headers</c> receive the trace context when propagation is on.</param>
    /// <exception cref="ProduceException{TKey,TValue}">The message was not queued because serialization failed, or the queue stayed full for <see cref="DeliveryTrackingOptions{TKey,TValue}.QueueFullTimeout"/>. Messages librdkafka refuses at once for a cluster-side reason (a cached authorization error, an oversized message) are not thrown: they fail like any delivery and reach the failure handler.</exception>
    /// <exception cref="ProducerFatalException">The producer is fatal (not queued).</exception>
    /// <exception cref="ObjectDisposedException">The producer is disposed or being disposed (not queued).</exception>
    public void Produce(string topic, Message<TKey, TValue> message) => Produce(topic, Partition.Any, destination: null, message);

    /// <summary>Queues <paramref name="message"/> for a partition; its outcome is tracked.</summary>
    /// <param name="topicPartition">Destination; <see cref="Partition.Any"/> lets the partitioner choose.</param>
    /// <param name="message">The message; its <c>Headers</c> receive the trace context when propagation is on.</param>
    /// <exception cref="ProduceException{TKey,TValue}">The message was not queued because serialization failed, or the queue stayed full for <see cref="DeliveryTrackingOptions{TKey,TValue}.QueueFullTimeout"/>. Messages librdkafka refuses at once for a cluster-side reason (a cached authorization error, an oversized message) are not thrown: they fail like any delivery and reach the failure handler.</exception>
    /// <exception cref="ProducerFatalException">The producer is fatal (not queued).</exception>
    /// <exception cref="ObjectDisposedException">The producer is disposed or being disposed (not queued).</exception>
    /// <remarks>Called from <see cref="DeliveryTrackingOptions{TKey,TValue}.OnDeliveryFailed"/> it never waits for queue room (see the class remarks).</remarks>
    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message)
    {
        ArgumentNullException.ThrowIfNull(topicPartition);
        Produce(topicPartition.Topic, topicPartition.Partition, topicPartition, message);
    }

    private void Produce(string topic, Partition partition, TopicPartition? destination, Message<TKey, TValue> message)
    {
        var delivery = Begin(topic, partition, destination, message, awaited: false);
        Error? refused = null;
        var keptByHandOff = false;
        try
        {
            if (DeliveryReportThread.IsCurrent)
            {
                // Keep the handler's own produce order: once one message waits for room, the next ones queue behind it.
                if (!handedOff.IsEmpty || !delivery.TryEnqueue())
                {
                    HandOff(delivery);
                    keptByHandOff = true;
                }
            }
            else if (!delivery.TryEnqueue())
            {
                queueFullWait.Execute(static delivery => delivery.Enqueue(), delivery);
            }
        }
        catch (ProduceException<TKey, TValue> refusal) when (!delivery.IsAccepted && IsRefusedDelivery(refusal.Error))
        {
            refused = refusal.Error;
        }
        catch (Exception notQueued) when (!delivery.IsAccepted)
        {
            var thrown = Translate(notQueued, delivery);
            Abort(delivery);
            throw thrown;
        }

        if (refused is not null && DeliveryReportThread.InFailureHandler)
        {
            // Failing it here would call the handler again from within itself: a handler that keeps re-producing
            // a message refused at once (cached authorization error, oversized) would recurse until the stack
            // overflows. The hand-off task fails it instead, in order.
            delivery.DeferRefusal(refused);
            pending.Abandon(delivery);
            Accepted(topic, delivery, refused: null);
            handedOff.Enqueue(delivery);
            StartHandOffPump();
            return;
        }

        Accepted(topic, delivery, refused);

        // This call reads the delivery no more. A handed-off one is the hand-off task's to read, so it is never
        // reused (HandOff abandoned it).
        if (!keptByHandOff)
        {
            delivery.Release();
        }
    }

    /// <summary>Produces <paramref name="message"/> and waits for its acknowledgement.</summary>
    /// <param name="topic">Destination topic.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops waiting only. <see cref="ProduceCanceledException.MessageQueued"/> says whether the message was queued first (then it is still delivered or, if it fails, handed to the failure handler) or not (then nothing happened).</param>
    /// <returns>The delivery result.</returns>
    /// <exception cref="DeliveryFailedException{TKey,TValue}">Delivery failed (or was unconfirmed at disposal); the failure handler is not called.</exception>
    /// <exception cref="ProduceCanceledException">The token fired; see <see cref="ProduceCanceledException.MessageQueued"/>.</exception>
    /// <exception cref="ProduceException{TKey,TValue}">Not queued: serialization failed, or the queue stayed full for <see cref="DeliveryTrackingOptions{TKey,TValue}.QueueFullTimeout"/>.</exception>
    /// <exception cref="ProducerFatalException">The producer is fatal (not queued).</exception>
    /// <exception cref="ObjectDisposedException">The producer is disposed or being disposed (not queued).</exception>
    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(new TopicPartition(topic, Partition.Any), message, cancellationToken);

    /// <summary>Produces <paramref name="message"/> to a partition and waits for its acknowledgement.</summary>
    /// <param name="topicPartition">Destination; <see cref="Partition.Any"/> lets the partitioner choose.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops waiting only. <see cref="ProduceCanceledException.MessageQueued"/> says whether the message was queued first (then it is still delivered or, if it fails, handed to the failure handler) or not (then nothing happened).</param>
    /// <returns>The delivery result.</returns>
    /// <exception cref="DeliveryFailedException{TKey,TValue}">Delivery failed (or was unconfirmed at disposal); the failure handler is not called.</exception>
    /// <exception cref="ProduceCanceledException">The token fired; see <see cref="ProduceCanceledException.MessageQueued"/>.</exception>
    /// <exception cref="ProduceException{TKey,TValue}">Not queued: serialization failed, or the queue stayed full for <see cref="DeliveryTrackingOptions{TKey,TValue}.QueueFullTimeout"/>.</exception>
    /// <exception cref="ProducerFatalException">The producer is fatal (not queued).</exception>
    /// <exception cref="ObjectDisposedException">The producer is disposed or being disposed (not queued).</exception>
    public async Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicPartition);
        ArgumentNullException.ThrowIfNull(message);
        if (cancellationToken.IsCancellationRequested)
        {
            throw new ProduceCanceledException(topicPartition, messageQueued: false, cancellationToken);
        }

        var delivery = Begin(topicPartition.Topic, topicPartition.Partition, topicPartition, message, awaited: true);
        Error? refused = null;
        try
        {
            if (!delivery.TryEnqueue())
            {
                await queueFullWait.ExecuteAsync(static (delivery, _) => { delivery.Enqueue(); return ValueTask.CompletedTask; }, delivery, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ProduceException<TKey, TValue> refusal) when (!delivery.IsAccepted && IsRefusedDelivery(refusal.Error))
        {
            refused = refusal.Error;
        }
        catch (OperationCanceledException cancelled) when (!delivery.IsAccepted && cancellationToken.IsCancellationRequested)
        {
            Abort(delivery);
            throw new ProduceCanceledException(topicPartition, messageQueued: false, cancellationToken, cancelled);
        }
        catch (Exception notQueued) when (!delivery.IsAccepted)
        {
            Abort(delivery);
            throw Translate(notQueued, delivery);
        }
        catch (Exception) when (delivery.IsAccepted)
        {
            // Thrown after librdkafka took the message (a cancellation noticed late): its outcome is tracked
            // like any other, and the wait below tells the caller.
        }

        Accepted(topicPartition.Topic, delivery, refused);
        var awaited = delivery.Awaited!;
        var completion = awaited.Task;
        try
        {
            return await completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested)
        {
            if (completion.IsCompleted)
            {
                // The outcome arrived as the token fired: it is known, so the caller gets it (a failure does not
                // go to the handler, since this caller sees it).
                return await completion.ConfigureAwait(false);
            }

            // From here a failure, now or later, goes to the handler (StopWaiting and Fail each check the other).
            awaited.StopWaiting(this);
            throw new ProduceCanceledException(topicPartition, messageQueued: true, cancellationToken, cancelled);
        }
    }

    /// <summary>
    /// Sends everything queued now (ignoring linger) and waits until every message is delivered or failed
    /// (and its failure handed over).
    /// </summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when nothing is pending.</returns>
    /// <exception cref="FlushTimeoutException">Messages were still pending after <paramref name="timeout"/>; it says how many.</exception>
    public async Task FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var stillQueued = await FlushCoreAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (stillQueued > 0)
        {
            throw new FlushTimeoutException(stillQueued, timeout);
        }
    }

    /// <summary>
    /// Feeds a client error to fatal-state detection. Called automatically for producers this class
    /// builds; forward the error handler of a supplied producer here.
    /// </summary>
    /// <param name="error">An error from the client's error handler.</param>
    public void ObserveClientError(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!error.IsFatal)
        {
            LogClientError(options.Logger, error.Code, error.Reason);
            return;
        }

        if (Interlocked.CompareExchange(ref fatalError, error, null) is null)
        {
            LogFatalError(options.Logger, error.Code, error.Reason);
            try
            {
                options.OnFatalError?.Invoke(error);
            }
            catch (Exception handlerFailure)
            {
                HandlerFailed(handlerFailure, "OnFatalError");
            }
        }
    }

    /// <summary>
    /// Flushes for up to <see cref="DeliveryTrackingOptions{TKey,TValue}.DisposeFlushTimeout"/>, disposes the
    /// producer, hands every message still unconfirmed to the failure handler/sink (error
    /// <see cref="ErrorCode.Local_Destroy"/>, status PossiblyPersisted; an awaiting <c>ProduceAsync</c> caller gets
    /// it instead), waits for the sink, and then throws <see cref="UndeliveredMessagesException"/> if any message
    /// was unconfirmed or any failure reached no handler.
    /// </summary>
    /// <returns>A task that completes when everything is accounted for.</returns>
    /// <exception cref="UndeliveredMessagesException">Some messages were not delivered; the exception has the exact counts.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await DisposeCoreAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The synchronous form of <see cref="DisposeAsync"/>, with the same accounting: flushes for up to
    /// <see cref="DeliveryTrackingOptions{TKey,TValue}.DisposeFlushTimeout"/>, disposes the producer, hands every
    /// message still unconfirmed to the failure handler/sink (or its awaiting caller), waits for the sink, and throws
    /// <see cref="UndeliveredMessagesException"/> with the exact counts. The work runs on the thread pool with an
    /// empty execution context, and the calling thread blocks until it is done.
    /// </summary>
    /// <exception cref="UndeliveredMessagesException">Some messages were not delivered; the exception has the exact counts.</exception>
    /// <exception cref="InvalidOperationException">Called from the thread that serves delivery reports (the failure handler): disposal waits for that thread.</exception>
    public void Dispose()
    {
        if (DeliveryReportThread.IsCurrent)
        {
            // Flushing waits for the delivery reports this very thread is serving.
            throw new InvalidOperationException("A DeliveryTrackingProducer cannot be disposed from its delivery-report thread (OnDeliveryFailed): disposal would wait for that thread.");
        }

        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        Task disposing;
        using (ExecutionContext.SuppressFlow())
        {
            disposing = Task.Run(async () => await DisposeCoreAsync().ConfigureAwait(false));
        }

        disposing.GetAwaiter().GetResult();
    }

    private async Task DisposeCoreAsync()
    {
        await FlushCoreAsync(options.DisposeFlushTimeout, CancellationToken.None).ConfigureAwait(false);
        await StopHandOffAsync().ConfigureAwait(false);
        producer.Dispose();

        // No delivery report arrives after Dispose: whatever is still pending was never confirmed. A message
        // still waiting in the hand-off queue never reached librdkafka, so it cannot have been written.
        var unconfirmed = 0;
        foreach (var delivery in pending.SnapshotHeld())
        {
            if (delivery.DeferredRefusal is { } refusal)
            {
                Complete(delivery, refusal, PersistenceStatus.NotPersisted, Partition.Any, result: null);
            }
            else
            {
                var status = delivery.IsInClient ? PersistenceStatus.PossiblyPersisted : PersistenceStatus.NotPersisted;
                if (Complete(delivery, UnconfirmedAtDisposalError, status, Partition.Any, result: null, unconfirmedAtDisposal: true))
                {
                    unconfirmed++;
                }
            }

            delivery.Release();
        }

        if (sinkQueue is not null)
        {
            sinkQueue.Writer.Complete();
            if (await Task.WhenAny(sinkPump, Task.Delay(options.DisposeFlushTimeout)).ConfigureAwait(false) != sinkPump)
            {
                await sinkAbandon.CancelAsync().ConfigureAwait(false);
                await sinkPump.ConfigureAwait(false);
            }
        }

        if (unconfirmed > 0 || !unhandled.IsEmpty)
        {
            throw new UndeliveredMessagesException(unconfirmed, unhandled.Count);
        }
    }

    private TrackedDelivery Begin(string topic, Partition partition, TopicPartition? destination, Message<TKey, TValue> message, bool awaited)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (FatalError is { } fatal)
        {
            throw new ProducerFatalException(fatal);
        }

        var producerSpan = options.PropagateTraceContext ? StartProducerSpan(topic, message) : null;
        return pending.Track(topic, partition, destination, message, awaited ? new AwaitedOutcome() : null, producerSpan);
    }

    /// <summary>
    /// Starts the producer span (without making it current for the caller) and writes the trace context into
    /// the headers. A listener that throws costs the span, never the message.
    /// </summary>
    private Activity? StartProducerSpan(string topic, Message<TKey, TValue> message)
    {
        var previous = Activity.Current;
        Activity? activity = null;

        // Without a listener there is no span to start: the caller's context (if any) is propagated as is,
        // and the span name is not even formatted (a string per message otherwise).
        if (ReliabilityTelemetry.ActivitySource.HasListeners())
        {
            try
            {
                activity = ReliabilityTelemetry.ActivitySource.StartActivity($"send {topic}", ActivityKind.Producer);
            }
            catch (Exception listenerFailure)
            {
                TelemetryFailed(listenerFailure, "starting the producer span");
                return null;
            }
            finally
            {
                Activity.Current = previous;
            }
        }

        var context = activity ?? previous;
        if (context is null)
        {
            return null;
        }

        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag(ReliabilityInstruments.TopicTag, topic);
        message.Headers ??= [];
        TraceContextPropagation.Inject(message.Headers, context);
        return activity;
    }

    /// <summary>Counts a message this class took responsibility for; a refused one fails at once, like any delivery.</summary>
    private void Accepted(string topic, TrackedDelivery delivery, Error? refused)
    {
        Interlocked.Increment(ref produced);
        try
        {
            ProducerMetrics.RecordProduced(topic);
        }
        catch (Exception listenerFailure)
        {
            TelemetryFailed(listenerFailure, "recording a produced message");
        }

        if (refused is not null)
        {
            Complete(delivery, refused, PersistenceStatus.NotPersisted, Partition.Any, result: null);
        }
    }

    /// <summary>
    /// Takes a message produced on a delivery-report thread while the queue is full: it is queued later by
    /// <see cref="PumpHandOffAsync"/>, in order, and its outcome is tracked from now on.
    /// </summary>
    private void HandOff(TrackedDelivery delivery)
    {
        delivery.MarkHandedOff();
        pending.Abandon(delivery);
        handedOff.Enqueue(delivery);
        StartHandOffPump();
    }

    private void StartHandOffPump()
    {
        if (Interlocked.CompareExchange(ref handOffRunning, 1, 0) != 0)
        {
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            handOffPump = Task.Run(PumpHandOffAsync);
        }
    }

    private async Task PumpHandOffAsync()
    {
        while (true)
        {
            while (handedOff.TryPeek(out var delivery))
            {
                if (delivery.DeferredRefusal is { } deferred)
                {
                    handedOff.TryDequeue(out _);
                    Complete(delivery, deferred, PersistenceStatus.NotPersisted, Partition.Any, result: null);
                    continue;
                }

                if (handOffStop.IsCancellationRequested)
                {
                    // Disposal fails what is left (never sent, so NotPersisted).
                    Volatile.Write(ref handOffRunning, 0);
                    return;
                }

                Error? failedWith = null;
                try
                {
                    await queueFullWait.ExecuteAsync(static (delivery, _) => { delivery.Enqueue(); return ValueTask.CompletedTask; }, delivery, handOffStop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (handOffStop.IsCancellationRequested && !delivery.IsInClient)
                {
                    continue;
                }
                catch (Exception notQueued) when (!delivery.IsInClient)
                {
                    failedWith = Translate(notQueued, delivery) switch
                    {
                        ProduceException<TKey, TValue> refusal => refusal.Error,
                        ProducerFatalException fatal => fatal.Error,
                        var other => new Error(ErrorCode.Local_Fail, $"The message handed off by the failure handler could not be queued: {other.Message}"),
                    };
                }
                catch (Exception) when (delivery.IsInClient)
                {
                    // Queued; a late exception changes nothing.
                }

                handedOff.TryDequeue(out _);
                if (failedWith is not null)
                {
                    Complete(delivery, failedWith, PersistenceStatus.NotPersisted, Partition.Any, result: null);
                }
            }

            Volatile.Write(ref handOffRunning, 0);
            if (handedOff.IsEmpty || Interlocked.CompareExchange(ref handOffRunning, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task StopHandOffAsync()
    {
        await handOffStop.CancelAsync().ConfigureAwait(false);
        while (Volatile.Read(ref handOffRunning) != 0)
        {
            await handOffPump.ConfigureAwait(false);
            await Task.Yield();
        }
    }

    /// <summary>
    /// librdkafka refuses some messages at once for a reason the cluster already gave (a topic whose
    /// authorization error is cached, a message over message.max.bytes, an unknown topic or partition).
    /// Those are failed deliveries like any other: counted, and handed to the failure handler (or the
    /// awaiting caller), so delivered + failed always equals produced. Serialization errors, a full
    /// queue and fatal errors are the caller's to see and are thrown instead.
    /// </summary>
    private static bool IsRefusedDelivery(Error error)
        => !error.IsFatal && error.Code is not (ErrorCode.Local_QueueFull or ErrorCode.Local_KeySerialization or ErrorCode.Local_ValueSerialization or ErrorCode.Local_Fatal);

    private void Abort(TrackedDelivery delivery)
    {
        pending.Remove(delivery);
        pending.Abandon(delivery);
        delivery.EndActivity(ActivityStatusCode.Error, "not queued");
    }

    private Exception Translate(Exception notQueued, TrackedDelivery delivery) => notQueued switch
    {
        TimeoutRejectedException timeout => new ProduceException<TKey, TValue>(
            new Error(ErrorCode.Local_QueueFull, $"The producer queue stayed full for {options.QueueFullTimeout}; the message was not queued."),
            new DeliveryResult<TKey, TValue> { Message = delivery.Message, TopicPartitionOffset = new TopicPartitionOffset(delivery.TopicPartition, Offset.Unset) },
            timeout),
        ProduceException<TKey, TValue> { Error.IsFatal: true } produceFailure => new ProducerFatalException(produceFailure.Error),
        _ => notQueued,
    };

    /// <summary>
    /// Hands the outcome over first (the awaiting caller, else the handler, sink or unhandled list), then
    /// records telemetry, isolated: a listener that throws is logged and changes nothing.
    /// </summary>
    /// <returns>False when the delivery had already been completed.</returns>
    private bool Complete(TrackedDelivery delivery, Error error, PersistenceStatus status, Partition partition, DeliveryResult<TKey, TValue>? result, bool unconfirmedAtDisposal = false)
    {
        if (!delivery.TryClaimCompletion())
        {
            return false;
        }

        Interlocked.Increment(ref completing);
        try
        {
            pending.Remove(delivery);
            var topic = delivery.Topic;
            if (!error.IsError)
            {
                Interlocked.Increment(ref delivered);
                delivery.Awaited?.TrySetResult(result!);
                try
                {
                    ProducerMetrics.RecordDelivered(topic, delivery.StartedAt);
                }
                catch (Exception listenerFailure)
                {
                    TelemetryFailed(listenerFailure, "recording a delivered message");
                }

                delivery.EndActivity(ActivityStatusCode.Ok, null);
                return true;
            }

            Interlocked.Increment(ref failed);
            var failure = new DeliveryFailure<TKey, TValue>
            {
                Topic = topic,
                Partition = partition.IsSpecial ? delivery.Partition : partition,
                Message = delivery.Message,
                Error = error,
                Status = status,
                Category = DeliveryErrorClassifier.Classify(error),
                ProducerIsFatal = error.IsFatal || FatalError is not null,
                UnconfirmedAtDisposal = unconfirmedAtDisposal,
            };
            if (delivery.Awaited is { } awaited)
            {
                awaited.Fail(this, failure);
            }
            else
            {
                Dispatch(failure);
            }

            try
            {
                if (unconfirmedAtDisposal)
                {
                    ProducerMetrics.RecordUndelivered(topic);
                }
                else
                {
                    ProducerMetrics.RecordFailed(topic, error.Code, failure.Category, delivery.StartedAt);
                }
            }
            catch (Exception listenerFailure)
            {
                TelemetryFailed(listenerFailure, "recording a failed message");
            }

            delivery.EndActivity(ActivityStatusCode.Error, error.Reason);
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref completing);

            // The outcome is handed over: this call reads the delivery no more.
            delivery.Release();
        }
    }

    /// <summary>Hands a failure to the handler, else the sink, else records it as unhandled. Never throws.</summary>
    private void Dispatch(DeliveryFailure<TKey, TValue> failure)
    {
        if (options.OnDeliveryFailed is { } handler)
        {
            DeliveryReportThread.EnterHandler();
            try
            {
                handler(failure);
                return;
            }
            catch (Exception handlerFailure)
            {
                HandlerFailed(handlerFailure, "OnDeliveryFailed");
            }
            finally
            {
                DeliveryReportThread.ExitHandler();
            }
        }

        if (sinkQueue?.Writer.TryWrite(failure) != true)
        {
            Unhandled(failure, cause: null);
        }
    }

    private void Unhandled(DeliveryFailure<TKey, TValue> failure, Exception? cause)
    {
        unhandled.Enqueue(failure);
        try
        {
            LogUnhandledFailure(options.Logger, cause, failure.Topic, failure.Error.Code);
        }
        catch (Exception)
        {
            // A logger that throws cannot be told; the failure is in UnhandledFailures and the disposal count.
        }
    }

    /// <summary>Logs a handler's exception; a logger that throws changes nothing either.</summary>
    private void HandlerFailed(Exception exception, string handler)
    {
        try
        {
            LogHandlerFailed(options.Logger, exception, handler);
        }
        catch (Exception)
        {
            // Nowhere left to report it.
        }
    }

    /// <summary>Logs a telemetry listener's exception (a metric or span listener threw); the outcome was already handed over.</summary>
    private void TelemetryFailed(Exception exception, string what)
    {
        try
        {
            LogTelemetryFailed(options.Logger, exception, what);
        }
        catch (Exception)
        {
            // Nowhere left to report it.
        }
    }

    /// <summary>Started last in each constructor, so a constructor that throws leaves no task behind.</summary>
    private void StartSinkPump()
    {
        if (options.FallbackSink is { } sink && sinkQueue is not null)
        {
            sinkPump = Task.Run(() => PumpSinkAsync(sink, sinkQueue.Reader));
        }
    }

    private async Task PumpSinkAsync(IUndeliveredMessageSink<TKey, TValue> sink, ChannelReader<DeliveryFailure<TKey, TValue>> reader)
    {
        await foreach (var failure in reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (sinkAbandon.IsCancellationRequested)
                {
                    Unhandled(failure, cause: null);
                    continue;
                }

                await sink.StoreAsync(failure, sinkAbandon.Token).ConfigureAwait(false);
            }
            catch (Exception sinkFailure)
            {
                Unhandled(failure, sinkFailure);
            }
        }
    }

    private async Task<int> FlushCoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        using (var flushFor = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            flushFor.CancelAfter(timeout);

            // librdkafka serves delivery reports (so runs our failure handling) on a thread that flushes
            // too, not only on the poll thread: give it a clean execution context as well.
            Task flushing;
            using (ExecutionContext.SuppressFlow())
            {
                flushing = Task.Run(() => producer.Flush(flushFor.Token), CancellationToken.None);
            }

            try
            {
                await flushing.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Timed out: the pending count below says how much is left.
            }
        }

        cancellationToken.ThrowIfCancellationRequested();

        // librdkafka's queue can be empty while the last delivery handlers still run on the poll thread, and
        // messages handed off by the failure handler are queued by their own task.
        while ((!pending.IsEmpty || Volatile.Read(ref completing) > 0) && waited.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }

        return pending.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer error {Code}: {Reason}")]
    private static partial void LogClientError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Kafka producer is fatal ({Code}: {Reason}); it cannot produce any more")]
    private static partial void LogFatalError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Handler} threw")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A telemetry listener threw while {What}; the delivery outcome was not affected")]
    private static partial void LogTelemetryFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "A failed delivery to {Topic} ({Code}) reached no handler or sink; see UnhandledFailures")]
    private static partial void LogUnhandledFailure(ILogger logger, Exception? exception, string topic, ErrorCode code);
}

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
public sealed partial class ReliableConsumer<TKey, TValue> : IAsyncDisposable
{
    private readonly ConsumerConfig config;
    private readonly string[] topics;
    private readonly string groupId;
    private readonly TimeSpan pollTimeout;
    private readonly TimeSpan pauseAfter;
    private readonly TimeSpan revocationDrainTimeout;
    private readonly TimeSpan shutdownTimeout;
    private readonly int maxInFlight;
    private readonly TimeSpan lagRefreshInterval;
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
        pauseAfter = options.EffectiveBackpressurePauseAfter;
        revocationDrainTimeout = options.RevocationDrainTimeout;
        shutdownTimeout = options.ShutdownTimeout;
        maxInFlight = options.MaxInFlight;
        lagRefreshInterval = options.LagRefreshInterval;

        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(ReliableConsumer<,>).FullName!.Split('`')[0]);
        metrics = new ConsumerMetrics(groupId);
        resilience = new HandlerResilience(options, failureClassifier ?? DefaultFailureClassifier.Instance, metrics, logger);
        retryTopics = CreateRetryTopics(options);
        var processor = new MessageProcessor<TKey, TValue>(
            handler,
            keyDeserializer ?? BuiltInDeserializers.For<TKey>("keyDeserializer"),
            valueDeserializer ?? BuiltInDeserializers.For<TValue>("valueDeserializer"),
            deadLetterSink,
            resilience,
            metrics,
            logger,
            groupId,
            Fail,
            retryTopics);
        scheduler = new KeyedWorkScheduler<WorkItem>(options.MaxConcurrency, item => ProcessCountedAsync(processor, item), ex => Fail(ex, "a bug in message processing"));
        assigned = new AssignedPartitions(abandonAll.Token, failure => ConsumerLog.ProcessingBug(logger, failure));
        pauser = new PartitionPauser(metrics, logger) { KeepPaused = retryTopics is null ? null : retryTopics.KeepPaused };
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
            retryTopics?.Start();
            consumer = BuildConsumer();
        }
        catch (Exception ex)
        {
            retryTopics?.Stop();
            completion.TrySetException(ex);
            throw;
        }

        HealthStarted();
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
            kafka.Subscribe(SubscribedTopics());
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
}

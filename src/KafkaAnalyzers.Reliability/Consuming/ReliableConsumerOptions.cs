using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.RetryTopics;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>Settings of a <see cref="ReliableConsumer{TKey, TValue}"/>.</summary>
public sealed class ReliableConsumerOptions
{
    private const int DefaultMaxPollIntervalMs = 300_000;

    /// <summary>
    /// The Kafka consumer settings; start from <see cref="KafkaPresets.AtLeastOnceConsumer"/>. They must pass
    /// <see cref="KafkaConfigValidator.ValidateAtLeastOnceConsumer(ConsumerConfig)"/>: in particular
    /// <see cref="ConsumerConfig.EnableAutoOffsetStore"/> must be <see langword="false"/> (the consumer
    /// stores each offset itself once the message is processed or dead-lettered) and auto-commit on
    /// (it commits what was stored). Keys and values are read as raw bytes and deserialized by the
    /// consumer, so that undeserializable messages can be dead-lettered.
    /// </summary>
    public ConsumerConfig Consumer { get; set; } = new();

    /// <summary>The topics to subscribe to.</summary>
    public IList<string> Topics { get; set; } = new List<string>();

    /// <summary>
    /// How many messages are handled at the same time (default 1: one after another, in offset order).
    /// Above 1, messages with the same key still run one at a time in offset order; messages without a key are not ordered.
    /// </summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>
    /// How many consumed messages may wait or run at once. When the window is full the consumer takes
    /// no new message until a slot frees (librdkafka keeps prefetching meanwhile); if the handlers stay
    /// that far behind for <see cref="BackpressurePauseAfter"/>, it pauses its partitions, keeps polling
    /// so rebalances are served, and resumes them below half of this. Default 1000.
    /// </summary>
    public int MaxInFlight { get; set; } = 1000;

    /// <summary>
    /// How long the window may stay full (no handler finishing) before the partitions are paused.
    /// Pausing drops librdkafka's prefetched messages and each resume waits for a new fetch, so it is
    /// kept for handlers that are stuck; short stalls are absorbed by waiting. Default (null): 5 s, or a
    /// quarter of <c>max.poll.interval.ms</c> if that is shorter. At most half of <c>max.poll.interval.ms</c>.
    /// </summary>
    public TimeSpan? BackpressurePauseAfter { get; set; }

    internal TimeSpan EffectiveBackpressurePauseAfter
        => BackpressurePauseAfter ?? TimeSpan.FromMilliseconds(Math.Min(5000, MaxPollIntervalMs() / 4.0));

    private int MaxPollIntervalMs()
        => Consumer is not null && int.TryParse(Consumer.Get("max.poll.interval.ms"), out var configured) ? configured : DefaultMaxPollIntervalMs;

    /// <summary>How long one poll waits for a message; the loop reacts to pauses, completions and stop requests between polls. Default 100 ms.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// On a rebalance, how long to let in-flight messages of revoked partitions finish before their
    /// offsets are committed; what has not finished by then is abandoned (delivered again to the
    /// partition's next owner). Keep it well below <c>max.poll.interval.ms</c>. Default 10 s.
    /// </summary>
    public TimeSpan RevocationDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="ReliableConsumer{TKey, TValue}.DisposeAsync"/> lets in-flight messages finish. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of transient handler failures.</summary>
    public HandlerRetryOptions Retry { get; set; } = new();

    /// <summary>The circuit breaker around the handler, which pauses consumption while it is open.</summary>
    public HandlerCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Retries of a failed dead-letter publish before the consumer stops.</summary>
    public DeadLetterRetryOptions DeadLetter { get; set; } = new();

    /// <summary>
    /// Non-blocking retries through delay topics (<c>&lt;topic&gt;.retry.&lt;n&gt;</c>), off by default: see
    /// <see cref="RetryTopicOptions"/>. When on, a transient failure that outlasts <see cref="Retry"/> goes to the
    /// first tier instead of the dead-letter sink.
    /// </summary>
    public RetryTopicOptions RetryTopics { get; set; } = new();

    /// <summary>
    /// How often the poll thread refreshes the consumer lag (<see cref="ConsumerInstruments.Lag"/> and the health
    /// check's lag): each refresh reads librdkafka's cached high watermark of every owned partition (no request to the
    /// cluster). 10 ms to 10 min. Default 5 s.
    /// </summary>
    public TimeSpan LagRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lists every invalid setting, each message naming the setting.</summary>
    internal List<string> Validate()
    {
        var problems = new List<string>();
        if (Consumer is null)
        {
            problems.Add($"{nameof(ReliableConsumerOptions)}.{nameof(Consumer)} is required.");
        }
        else
        {
            problems.AddRange(KafkaConfigValidator.FindAtLeastOnceConsumerProblems(Consumer)
                .Select(problem => $"{nameof(ReliableConsumerOptions)}.{nameof(Consumer)}: {problem.Message}."));
        }

        if (Topics is null || Topics.Count == 0 || Topics.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{nameof(ReliableConsumerOptions)}.{nameof(Topics)} must list at least one topic, and no empty names.");
        }

        Check(MaxConcurrency >= 1, nameof(MaxConcurrency), "must be at least 1");
        Check(MaxInFlight >= MaxConcurrency, nameof(MaxInFlight), $"must be at least {nameof(MaxConcurrency)} ({MaxConcurrency})");
        Check(PollTimeout > TimeSpan.Zero && PollTimeout <= TimeSpan.FromSeconds(10), nameof(PollTimeout), "must be between 1 ms and 10 s");
        Check(RevocationDrainTimeout >= TimeSpan.Zero, nameof(RevocationDrainTimeout), "must not be negative");
        if (Consumer is not null)
        {
            // The poll thread waits inside the revocation callback; waiting past max.poll.interval.ms gets it evicted.
            var maxPollMs = int.TryParse(Consumer.Get("max.poll.interval.ms"), out var configured) ? configured : DefaultMaxPollIntervalMs;
            Check(
                RevocationDrainTimeout < TimeSpan.FromMilliseconds(maxPollMs),
                nameof(RevocationDrainTimeout),
                $"must be shorter than {nameof(Consumer)}.{nameof(ConsumerConfig.MaxPollIntervalMs)} (max.poll.interval.ms, {maxPollMs} ms): the poll thread waits for revoked partitions' work inside the rebalance callback");
        }

        if (Consumer is not null && BackpressurePauseAfter is { } pauseAfter)
        {
            var maxPollMs = MaxPollIntervalMs();
            Check(
                pauseAfter >= TimeSpan.Zero && pauseAfter <= TimeSpan.FromMilliseconds(maxPollMs / 2.0),
                nameof(BackpressurePauseAfter),
                $"must be between 0 and half of {nameof(Consumer)}.{nameof(ConsumerConfig.MaxPollIntervalMs)} (max.poll.interval.ms, {maxPollMs} ms): the poll thread does not consume while it waits");
        }

        Check(ShutdownTimeout >= TimeSpan.Zero, nameof(ShutdownTimeout), "must not be negative");
        Check(LagRefreshInterval >= TimeSpan.FromMilliseconds(10) && LagRefreshInterval <= TimeSpan.FromMinutes(10), nameof(LagRefreshInterval), "must be between 10 ms and 10 min");
        problems.AddRange((Retry ?? new()).Validate($"{nameof(ReliableConsumerOptions)}.{nameof(Retry)}"));
        problems.AddRange((CircuitBreaker ?? new()).Validate($"{nameof(ReliableConsumerOptions)}.{nameof(CircuitBreaker)}"));
        if (CircuitBreaker is { Enabled: true } breaker && Retry is { } retry)
        {
            // The breaker is there to notice a dependency failing for many messages. If one message's own
            // attempts can reach its minimum throughput, a single message that keeps failing trips it and pauses
            // every partition, once per remaining attempt.
            Require(
                problems,
                breaker.MinimumThroughput > retry.MaxAttempts,
                $"{nameof(ReliableConsumerOptions)}.{nameof(CircuitBreaker)}.{nameof(HandlerCircuitBreakerOptions.MinimumThroughput)}",
                $"({breaker.MinimumThroughput}) must be greater than {nameof(ReliableConsumerOptions)}.{nameof(Retry)}.{nameof(HandlerRetryOptions.MaxAttempts)} ({retry.MaxAttempts}), " +
                "so that one message failing on its own cannot open the circuit breaker (or disable the breaker)");
        }

        problems.AddRange((DeadLetter ?? new()).Validate($"{nameof(ReliableConsumerOptions)}.{nameof(DeadLetter)}"));
        problems.AddRange((RetryTopics ?? new()).Validate($"{nameof(ReliableConsumerOptions)}.{nameof(RetryTopics)}", Consumer, Topics));
        if (CircuitBreaker is { Enabled: true } tierBreaker && RetryTopics is { Enabled: true } tiers)
        {
            // The same rule for the attempts a message gets each time it comes out of a retry tier.
            Require(
                problems,
                tierBreaker.MinimumThroughput > tiers.AttemptsPerTier,
                $"{nameof(ReliableConsumerOptions)}.{nameof(CircuitBreaker)}.{nameof(HandlerCircuitBreakerOptions.MinimumThroughput)}",
                $"({tierBreaker.MinimumThroughput}) must be greater than {nameof(ReliableConsumerOptions)}.{nameof(RetryTopics)}.{nameof(RetryTopicOptions.AttemptsPerTier)} ({tiers.AttemptsPerTier}), " +
                "so that one message failing on its own cannot open the circuit breaker (or disable the breaker)");
        }
        return problems;

        void Check(bool condition, string property, string rule) =>
            Require(problems, condition, $"{nameof(ReliableConsumerOptions)}.{property}", rule);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every invalid setting.</summary>
    internal void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"Invalid reliable consumer settings ({problems.Count}):{Environment.NewLine}- " + string.Join(Environment.NewLine + "- ", problems));
        }
    }

    internal static void Require(List<string> problems, bool condition, string setting, string rule)
    {
        if (!condition)
        {
            problems.Add($"{setting} {rule}.");
        }
    }
}

using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// The Polly.Core pipelines around the handler and around the dead-letter sink.
/// Handler pipeline, outermost first:
/// <list type="number">
/// <item>wait while the circuit breaker is open (unbounded; waiting does not use up the message's attempts);</item>
/// <item>retry transient failures with exponential backoff and jitter, up to the attempt limit;</item>
/// <item>the circuit breaker, which counts transient failures only.</item>
/// </list>
/// The attempt limit is a budget per message, kept in <see cref="AttemptsKey"/>: every handler call counts,
/// including a half-open probe, and the count survives breaker openings. (Polly's retry counts per execution,
/// and the wait for the breaker starts a new one: counted that way, a message that kept the breaker opening
/// started over each time and was never dead-lettered.)
/// </summary>
internal sealed class HandlerResilience
{
    public static readonly ResiliencePropertyKey<ConsumeResult<byte[], byte[]>> MessageKey = new("KafkaAnalyzers.Reliability.ConsumedMessage");

    /// <summary>The message's handler calls so far, across breaker openings.</summary>
    public static readonly ResiliencePropertyKey<HandlerAttempts> AttemptsKey = new("KafkaAnalyzers.Reliability.HandlerAttempts");

    /// <summary>The message's attempt budget when it differs from <see cref="HandlerRetryOptions.MaxAttempts"/> (a message from a retry tier).</summary>
    public static readonly ResiliencePropertyKey<int> MaxAttemptsKey = new("KafkaAnalyzers.Reliability.MaxAttempts");

    private readonly IFailureClassifier classifier;
    private readonly ConsumerMetrics metrics;
    private readonly ILogger logger;
    private long blockedUntil;

    public HandlerResilience(ReliableConsumerOptions options, IFailureClassifier classifier, ConsumerMetrics metrics, ILogger logger)
    {
        this.classifier = classifier;
        this.metrics = metrics;
        this.logger = logger;
        var mostAttempts = Math.Max(options.Retry.MaxAttempts, options.RetryTopics is { Enabled: true } tiers ? tiers.AttemptsPerTier : 1);
        Handler = BuildHandlerPipeline(options.Retry, options.CircuitBreaker, mostAttempts);
        DeadLetter = BuildDeadLetterPipeline(options.DeadLetter);
    }

    public ResiliencePipeline Handler { get; }

    public ResiliencePipeline DeadLetter { get; }

    /// <summary>Whether the breaker is open and its break duration has not passed yet: consumption should pause.</summary>
    public bool IsBreakerBlocking => RemainingBreak > TimeSpan.Zero;

    private TimeSpan RemainingBreak
    {
        get
        {
            var until = Interlocked.Read(ref blockedUntil);
            return until == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
        }
    }

    /// <summary>The classification, with the consumer's own cancellation never counted as a failure.</summary>
    public FailureCategory Classify(Exception exception)
    {
        try
        {
            return classifier.Classify(exception);
        }
        catch (Exception classifierFailure)
        {
            // A broken classifier must not lose the message: retrying is bounded and ends in the sink.
            ConsumerLog.ProcessingBug(logger, classifierFailure);
            return FailureCategory.Transient;
        }
    }

    private static bool BudgetSpent(ResilienceContext context, int maxAttempts) =>
        context.Properties.TryGetValue(AttemptsKey, out var attempts) && attempts.Count >= maxAttempts;

    private bool IsTransientFailure(Outcome<object> outcome, ResilienceContext context) =>
        outcome.Exception is { } exception
        && exception is not BrokenCircuitException
        && !context.CancellationToken.IsCancellationRequested
        && Classify(exception) == FailureCategory.Transient;

    private ResiliencePipeline BuildHandlerPipeline(HandlerRetryOptions retry, HandlerCircuitBreakerOptions breaker, int mostAttempts)
    {
        var builder = new ResiliencePipelineBuilder();
        if (breaker.Enabled)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "WaitForCircuitBreaker",
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is BrokenCircuitException && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
                DelayGenerator = _ =>
                {
                    var remaining = RemainingBreak;
                    return ValueTask.FromResult<TimeSpan?>(remaining > TimeSpan.Zero ? remaining + TimeSpan.FromMilliseconds(Random.Shared.Next(50)) : null);
                },
            });
        }

        if (mostAttempts > 1)
        {
            var maxAttempts = retry.MaxAttempts;
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "TransientFailures",
                ShouldHandle = args => ValueTask.FromResult(
                    IsTransientFailure(args.Outcome, args.Context)
                    && !BudgetSpent(args.Context, args.Context.Properties.TryGetValue(MaxAttemptsKey, out var limit) ? limit : maxAttempts)),
                MaxRetryAttempts = mostAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.Delay,
                MaxDelay = retry.MaxDelay,
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(MessageKey, out var message))
                    {
                        metrics.MessageRetried(message.Topic, args.Outcome.Exception!);
                        var next = args.Context.Properties.TryGetValue(AttemptsKey, out var attempts) ? attempts.Count + 1 : args.AttemptNumber + 2;
                        ConsumerLog.Retrying(logger, args.Outcome.Exception!, message.Topic, message.Partition.Value, message.Offset.Value, next, args.RetryDelay);
                    }

                    return default;
                },
            });
        }

        if (breaker.Enabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "Handler",
                ShouldHandle = args => ValueTask.FromResult(IsTransientFailure(args.Outcome, args.Context)),
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                OnOpened = args =>
                {
                    Interlocked.Exchange(ref blockedUntil, Stopwatch.GetTimestamp() + (long)(args.BreakDuration.TotalSeconds * Stopwatch.Frequency));
                    metrics.BreakerChanged(CircuitState.Open);
                    ConsumerLog.BreakerOpened(logger, args.Outcome.Exception, args.BreakDuration);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    metrics.BreakerChanged(CircuitState.HalfOpen);
                    ConsumerLog.BreakerChanged(logger, "half-open: one probe call goes through");
                    return default;
                },
                OnClosed = _ =>
                {
                    Interlocked.Exchange(ref blockedUntil, 0);
                    metrics.BreakerChanged(CircuitState.Closed);
                    ConsumerLog.BreakerChanged(logger, "closed");
                    return default;
                },
            });
        }

        return builder.Build();
    }

    private ResiliencePipeline BuildDeadLetterPipeline(DeadLetterRetryOptions deadLetter)
    {
        var builder = new ResiliencePipelineBuilder();
        if (deadLetter.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "DeadLetterPublish",
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = deadLetter.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = deadLetter.Delay,
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(MessageKey, out var message))
                    {
                        metrics.DeadLetterFailed(message.Topic);
                        ConsumerLog.DeadLetterFailed(logger, args.Outcome.Exception!, message.Topic, message.Partition.Value, message.Offset.Value, args.AttemptNumber + 1);
                    }

                    return default;
                },
            });
        }

        return builder.Build();
    }
}

/// <summary>A message's handler calls, counted across retries and breaker openings.</summary>
internal class HandlerAttempts
{
    public int Count { get; set; }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using KafkaAnalyzers.Reliability.Producing;

namespace KafkaAnalyzers.Reliability.Health;

/// <summary>Thresholds of <see cref="DeliveryTrackingProducerHealthCheck{TKey,TValue}"/>.</summary>
public sealed class DeliveryTrackingProducerHealthCheckOptions
{
    /// <summary>
    /// Degraded when the oldest unconfirmed message has waited longer than this: the backlog is not draining (brokers
    /// unreachable, partitions without leader). Keep it below the producer's <c>message.timeout.ms</c> to hear of it
    /// before messages fail. Default 30 s.
    /// </summary>
    public TimeSpan MaxUnconfirmedAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Degraded when more messages than this are unconfirmed; null (the default) sets no limit.</summary>
    public int? MaxPending { get; set; }

    /// <summary>Degraded when more than this share of the outcomes within <see cref="FailureWindow"/> were failures. Default 0.1.</summary>
    public double MaxFailureRatio { get; set; } = 0.1;

    /// <summary>The failure ratio is judged only over at least this many outcomes. Default 10.</summary>
    public int MinimumOutcomes { get; set; } = 10;

    /// <summary>How far back the failure ratio looks (outcomes between the oldest check within the window and now). Default 1 min.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        Require(MaxUnconfirmedAge > TimeSpan.Zero, nameof(MaxUnconfirmedAge), "must be positive");
        Require(MaxPending is null or >= 0, nameof(MaxPending), "must not be negative");
        Require(MaxFailureRatio is >= 0 and <= 1, nameof(MaxFailureRatio), "must be between 0 and 1");
        Require(MinimumOutcomes >= 1, nameof(MinimumOutcomes), "must be at least 1");
        Require(FailureWindow > TimeSpan.Zero, nameof(FailureWindow), "must be positive");

        static void Require(bool condition, string setting, string rule)
        {
            if (!condition)
            {
                throw new ArgumentException($"{nameof(DeliveryTrackingProducerHealthCheckOptions)}.{setting} {rule}.", setting);
            }
        }
    }
}

/// <summary>
/// The health of a <see cref="DeliveryTrackingProducer{TKey,TValue}"/>: <b>Unhealthy</b> once it is fatal or disposed;
/// <b>Degraded</b> while its unconfirmed backlog is not draining (the oldest unconfirmed message older than
/// <see cref="DeliveryTrackingProducerHealthCheckOptions.MaxUnconfirmedAge"/>, or more than
/// <see cref="DeliveryTrackingProducerHealthCheckOptions.MaxPending"/> pending) or while failures make up more than
/// <see cref="DeliveryTrackingProducerHealthCheckOptions.MaxFailureRatio"/> of the recent outcomes. The data says why:
/// <c>reasons</c>, <c>pending</c>, <c>pending_change</c> (since the previous check), <c>oldest_unconfirmed_seconds</c>,
/// <c>delivered</c>, <c>failed</c>, <c>window_failures</c>, <c>window_outcomes</c>, <c>failure_ratio</c>, <c>fatal_error</c>.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class DeliveryTrackingProducerHealthCheck<TKey, TValue> : IHealthCheck
{
    private readonly DeliveryTrackingProducer<TKey, TValue> producer;
    private readonly DeliveryTrackingProducerHealthCheckOptions options;
    private readonly TimeProvider time;
    private readonly Queue<Sample> samples = new();
    private readonly object gate = new();
    private int? previousPending;

    /// <summary>Checks <paramref name="producer"/>. Keep one instance per producer (it remembers earlier samples for the failure ratio).</summary>
    /// <param name="producer">The producer.</param>
    /// <param name="options">Thresholds; defaults when null.</param>
    public DeliveryTrackingProducerHealthCheck(DeliveryTrackingProducer<TKey, TValue> producer, DeliveryTrackingProducerHealthCheckOptions? options = null)
        : this(producer, options, TimeProvider.System)
    {
    }

    internal DeliveryTrackingProducerHealthCheck(DeliveryTrackingProducer<TKey, TValue> producer, DeliveryTrackingProducerHealthCheckOptions? options, TimeProvider time)
    {
        this.producer = producer ?? throw new ArgumentNullException(nameof(producer));
        this.options = options ?? new DeliveryTrackingProducerHealthCheckOptions();
        this.options.Validate();
        this.time = time;
        samples.Enqueue(new Sample(time.GetUtcNow(), 0, 0));
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var delivered = producer.Delivered;
        var failed = producer.Failed;
        var pending = producer.Pending;
        var oldest = producer.OldestUnconfirmedAge();
        Sample baseline;
        int pendingChange;
        lock (gate)
        {
            // The baseline is the oldest sample still inside the window (the first one ever, at creation, until the window has passed).
            while (samples.Count > 1 && now - samples.ElementAt(1).At >= options.FailureWindow)
            {
                samples.Dequeue();
            }

            baseline = samples.Peek();
            samples.Enqueue(new Sample(now, delivered, failed));
            pendingChange = pending - (previousPending ?? 0);
            previousPending = pending;
        }

        var windowFailures = failed - baseline.Failed;
        var windowOutcomes = windowFailures + (delivered - baseline.Delivered);
        var ratio = windowOutcomes == 0 ? 0.0 : (double)windowFailures / windowOutcomes;
        var data = new Dictionary<string, object>
        {
            ["pending"] = pending,
            ["pending_change"] = pendingChange,
            ["oldest_unconfirmed_seconds"] = Math.Round(oldest.TotalSeconds, 1),
            ["produced"] = producer.Produced,
            ["delivered"] = delivered,
            ["failed"] = failed,
            ["window_failures"] = windowFailures,
            ["window_outcomes"] = windowOutcomes,
            ["failure_ratio"] = Math.Round(ratio, 4),
        };

        var failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        if (producer.FatalError is { } fatal)
        {
            data["fatal_error"] = $"{fatal.Code}: {fatal.Reason}";
            data["reasons"] = "fatal";
            return Task.FromResult(new HealthCheckResult(failureStatus, $"The producer is fatal ({fatal.Code}); it cannot produce any more.", data: data));
        }

        if (producer.IsDisposed)
        {
            data["reasons"] = "disposed";
            return Task.FromResult(new HealthCheckResult(failureStatus, "The producer is disposed.", data: data));
        }

        var reasons = new List<string>();
        if (oldest > options.MaxUnconfirmedAge)
        {
            reasons.Add($"unconfirmed backlog not draining: {pending} pending, the oldest for {oldest.TotalSeconds:F0} s");
        }

        if (options.MaxPending is { } maxPending && pending > maxPending)
        {
            reasons.Add($"{pending} messages unconfirmed (limit {maxPending})");
        }

        if (windowOutcomes >= options.MinimumOutcomes && ratio > options.MaxFailureRatio)
        {
            reasons.Add($"{windowFailures} of {windowOutcomes} recent deliveries failed");
        }

        if (reasons.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{pending} message(s) unconfirmed; {windowFailures} of {windowOutcomes} recent deliveries failed.", data));
        }

        data["reasons"] = string.Join("; ", reasons);
        var degraded = failureStatus > HealthStatus.Degraded ? failureStatus : HealthStatus.Degraded;
        return Task.FromResult(new HealthCheckResult(degraded, $"The producer is degraded: {data["reasons"]}.", data: data));
    }

    private readonly record struct Sample(DateTimeOffset At, long Delivered, long Failed);
}

using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaAnalyzers.Reliability.Health;

/// <summary>Thresholds of <see cref="KafkaConsumerHealthCheck"/>.</summary>
public sealed class KafkaConsumerHealthCheckOptions
{
    /// <summary>Degraded once the consumer has owned no partition for this long (since its start or its last revocation). Default 1 min.</summary>
    public TimeSpan UnassignedTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Degraded while any owned partition lags by more than this many messages; null (the default) checks no lag.</summary>
    public long? MaxPartitionLag { get; set; }

    /// <summary>Degraded while the handler's circuit breaker is open. Default true.</summary>
    public bool DegradedWhileBreakerOpen { get; set; } = true;

    internal void Validate()
    {
        if (UnassignedTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(UnassignedTimeout), UnassignedTimeout, $"{nameof(KafkaConsumerHealthCheckOptions)}.{nameof(UnassignedTimeout)} must not be negative.");
        }

        if (MaxPartitionLag is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPartitionLag), MaxPartitionLag, $"{nameof(KafkaConsumerHealthCheckOptions)}.{nameof(MaxPartitionLag)} must not be negative.");
        }
    }
}

/// <summary>
/// The health of a consume loop (<see cref="Consuming.ReliableConsumer{TKey,TValue}"/> or
/// <see cref="ExactlyOnce.ExactlyOnceProcessor{TKey,TValue,TOutKey,TOutValue}"/>): <b>Unhealthy</b> when the loop has faulted,
/// stopped or is stopping; <b>Degraded</b> when it is not started yet, has owned no partition for
/// <see cref="KafkaConsumerHealthCheckOptions.UnassignedTimeout"/>, while its circuit breaker is open, or while a
/// partition lags by more than <see cref="KafkaConsumerHealthCheckOptions.MaxPartitionLag"/>; <b>Healthy</b> otherwise.
/// The result's data says why: <c>state</c>, <c>reasons</c>, <c>assigned_partitions</c>, <c>unassigned_seconds</c>,
/// <c>circuit_breaker</c>, <c>total_lag</c>, <c>max_partition_lag</c>, and <c>lag:&lt;topic&gt;[&lt;partition&gt;]</c> for each
/// partition over the threshold.
/// </summary>
public sealed class KafkaConsumerHealthCheck : IHealthCheck
{
    private readonly Func<IKafkaConsumerStatusSource?> source;
    private readonly KafkaConsumerHealthCheckOptions options;
    private readonly TimeProvider time;

    /// <summary>Checks <paramref name="consumer"/>.</summary>
    /// <param name="consumer">The consume loop.</param>
    /// <param name="options">Thresholds; defaults when null.</param>
    public KafkaConsumerHealthCheck(IKafkaConsumerStatusSource consumer, KafkaConsumerHealthCheckOptions? options = null)
        : this(() => consumer ?? throw new ArgumentNullException(nameof(consumer)), options, TimeProvider.System)
    {
        ArgumentNullException.ThrowIfNull(consumer);
    }

    /// <summary>Checks the loop <paramref name="consumer"/> returns at check time (null: not created yet, reported Degraded).</summary>
    internal KafkaConsumerHealthCheck(Func<IKafkaConsumerStatusSource?> consumer, KafkaConsumerHealthCheckOptions? options, TimeProvider time)
    {
        source = consumer;
        this.options = options ?? new KafkaConsumerHealthCheckOptions();
        this.options.Validate();
        this.time = time;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var consumer = source();
        if (consumer is null)
        {
            return Task.FromResult(new HealthCheckResult(
                Degraded(context),
                "The Kafka consumer has not been created yet.",
                data: new Dictionary<string, object> { ["state"] = KafkaConsumerState.NotStarted.ToString(), ["reasons"] = "not started" }));
        }

        return Task.FromResult(Evaluate(consumer.GetStatus(), context));
    }

    private HealthCheckResult Evaluate(KafkaConsumerStatus status, HealthCheckContext context)
    {
        var data = new Dictionary<string, object>
        {
            ["state"] = status.State.ToString(),
            ["group"] = status.GroupId,
            ["assigned_partitions"] = status.AssignedPartitions,
            ["circuit_breaker"] = status.CircuitBreakerOpen ? "open" : "closed",
            ["total_lag"] = status.TotalLag,
            ["max_partition_lag"] = status.Lag.Count == 0 ? 0L : status.Lag.Values.Max(),
        };
        if (status.LagMeasuredAt is { } measuredAt)
        {
            data["lag_measured_at"] = measuredAt.ToString("O", CultureInfo.InvariantCulture);
        }

        switch (status.State)
        {
            case KafkaConsumerState.Faulted:
                data["reasons"] = "faulted";
                data["fault"] = $"{status.Fault?.GetType().FullName}: {status.Fault?.Message}";
                return new HealthCheckResult(context.Registration?.FailureStatus ?? HealthStatus.Unhealthy, $"The Kafka consumer of group '{status.GroupId}' stopped on a failure: {status.Fault?.Message}", status.Fault, data);
            case KafkaConsumerState.Stopped or KafkaConsumerState.Stopping:
                data["reasons"] = status.State == KafkaConsumerState.Stopped ? "stopped" : "stopping";
                return new HealthCheckResult(context.Registration?.FailureStatus ?? HealthStatus.Unhealthy, $"The Kafka consumer of group '{status.GroupId}' is {data["reasons"]}.", data: data);
            case KafkaConsumerState.NotStarted:
                data["reasons"] = "not started";
                return new HealthCheckResult(Degraded(context), $"The Kafka consumer of group '{status.GroupId}' has not started.", data: data);
        }

        var reasons = new List<string>();
        if (status.UnassignedSince is { } since)
        {
            var unassignedFor = time.GetUtcNow() - since;
            data["unassigned_seconds"] = Math.Round(unassignedFor.TotalSeconds, 1);
            if (unassignedFor >= options.UnassignedTimeout)
            {
                reasons.Add($"no partition assigned for {unassignedFor.TotalSeconds:F0} s");
            }
        }

        if (options.DegradedWhileBreakerOpen && status.CircuitBreakerOpen)
        {
            reasons.Add("circuit breaker open");
        }

        if (options.MaxPartitionLag is { } maxLag)
        {
            var behind = status.Lag.Where(pair => pair.Value > maxLag).OrderBy(pair => pair.Key.Topic, StringComparer.Ordinal).ThenBy(pair => pair.Key.Partition.Value).ToList();
            foreach (var (partition, lag) in behind)
            {
                data[$"lag:{partition.Topic}[{partition.Partition.Value}]"] = lag;
            }

            if (behind.Count > 0)
            {
                reasons.Add($"lag above {maxLag} in {behind.Count} partition(s)");
            }
        }

        if (reasons.Count == 0)
        {
            return HealthCheckResult.Healthy($"The Kafka consumer of group '{status.GroupId}' is consuming {status.AssignedPartitions} partition(s).", data);
        }

        data["reasons"] = string.Join("; ", reasons);
        return new HealthCheckResult(Degraded(context), $"The Kafka consumer of group '{status.GroupId}' is degraded: {data["reasons"]}.", data: data);
    }

    /// <summary>Degraded, unless the registration's failure status is milder.</summary>
    private static HealthStatus Degraded(HealthCheckContext context) =>
        context.Registration?.FailureStatus is { } failure && failure > HealthStatus.Degraded ? failure : HealthStatus.Degraded;
}

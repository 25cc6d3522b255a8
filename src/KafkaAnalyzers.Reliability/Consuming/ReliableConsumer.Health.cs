using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Health;

namespace KafkaAnalyzers.Reliability.Consuming;

// Health signals: state, assignment, breaker and lag (see Health/).
public sealed partial class ReliableConsumer<TKey, TValue> : IKafkaConsumerStatusSource
{
    private readonly AssignmentWatch assignment = new();
    private ConsumerLagMonitor? lagMonitor;

    /// <inheritdoc />
    public KafkaConsumerStatus GetStatus()
    {
        bool wasStarted;
        lock (lifecycle)
        {
            wasStarted = started;
        }

        var done = completion.Task;
        var state = !wasStarted ? KafkaConsumerState.NotStarted
            : done.IsFaulted ? KafkaConsumerState.Faulted
            : done.IsCompleted ? KafkaConsumerState.Stopped
            : stopRequested || abortRequested || Volatile.Read(ref fault) is not null ? KafkaConsumerState.Stopping
            : KafkaConsumerState.Running;
        var monitor = LagMonitor;
        return new KafkaConsumerStatus(
            state,
            done.Exception?.InnerException ?? Volatile.Read(ref fault),
            groupId,
            assignment.Count,
            assignment.UnassignedSince,
            resilience.IsBreakerBlocking,
            monitor.Lag,
            monitor.MeasuredAt);
    }

    private ConsumerLagMonitor LagMonitor => lagMonitor ??= new ConsumerLagMonitor(groupId, lagRefreshInterval);

    private void HealthStarted()
    {
        assignment.Reset();
        LagMonitor.Open();
    }

    /// <summary>Poll thread: the owned partitions changed.</summary>
    private void HealthAssignmentChanged(IConsumer<byte[], byte[]> kafka)
    {
        assignment.Set(assigned.All.Count);
        RefreshLag(kafka, force: true);
    }

    /// <summary>Poll thread: refreshes the lag snapshot when its interval has passed.</summary>
    private void RefreshLag(IConsumer<byte[], byte[]> kafka, bool force = false) =>
        LagMonitor.MaybeRefresh(kafka, assigned.All.Select(owner => (owner.Partition, owner.LastStored?.Offset.Value ?? owner.FirstConsumed)), force);

    private void HealthFinished() => LagMonitor.Close();
}

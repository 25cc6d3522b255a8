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

        // A recorded fault decides the outcome (Finish faults the completion with it), so the loop reports
        // Faulted, with the exception, from that moment: not "stopping" while it closes.
        var done = completion.Task;
        var recordedFault = Volatile.Read(ref fault);
        var state = !wasStarted ? KafkaConsumerState.NotStarted
            : done.IsFaulted || recordedFault is not null ? KafkaConsumerState.Faulted
            : done.IsCompleted ? KafkaConsumerState.Stopped
            : stopRequested || abortRequested ? KafkaConsumerState.Stopping
            : KafkaConsumerState.Running;
        var monitor = LagMonitor;
        return new KafkaConsumerStatus(
            state,
            done.Exception?.InnerException ?? recordedFault,
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
    private void RefreshLag(IConsumer<byte[], byte[]> kafka, bool force = false)
    {
        // Asked first: the poll loop calls this for every message, the partition list is built once per interval.
        if (LagMonitor.IsDue(force))
        {
            LagMonitor.MaybeRefresh(kafka, assigned.All.Select(owner => (owner.Partition, owner.LastStored?.Offset.Value ?? owner.FirstConsumed)), force);
        }
    }

    private void HealthFinished() => LagMonitor.Close();
}

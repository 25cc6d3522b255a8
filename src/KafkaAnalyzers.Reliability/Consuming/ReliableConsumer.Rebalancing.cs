using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.Consuming;

// Rebalance, error and log callbacks; they run on the poll thread, inside Consume or Close.
public sealed partial class ReliableConsumer<TKey, TValue>
{
    private void OnAssigned(List<TopicPartition> partitions)
    {
        assigned.Assign(partitions);
        pauser.OnAssigned(partitions);
        assignment.Set(assigned.All.Count);
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
        RetryPartitionsRevoked(partitions);
        HealthAssignmentChanged(kafka);

        // The new owner starts from the committed offset: commit now rather than rely on a later auto-commit.
        Commit(kafka, owners, "partitions revoked");
        ConsumerLog.Revoked(logger, string.Join(", ", partitions), pending);
    }

    private void OnLost(List<TopicPartitionOffset> lost)
    {
        var partitions = lost.Select(p => p.TopicPartition).ToList();
        assigned.Release(partitions);
        pauser.OnRevoked(partitions);
        RetryPartitionsRevoked(partitions);
        assignment.Set(assigned.All.Count);
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

using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Processing;

namespace KafkaAnalyzers.Reliability.Consuming;

// The poll thread: consume, dispatch, pause, store the completed prefix, commit.
public sealed partial class ReliableConsumer<TKey, TValue>
{
    // While the window is full the poll thread waits for a free slot without consuming: librdkafka
    // keeps its prefetched messages, whereas pausing drops them and each resume waits for a new fetch
    // (pausing at every full window cut a fast handler's throughput to a few percent). Only when the
    // window stays full for BackpressurePauseAfter are the partitions paused, so the thread can keep
    // polling: rebalances are served and max.poll.interval.ms is never at risk while slow handlers catch up.
    private long fullSince = -1;

    private void PollOnce(IConsumer<byte[], byte[]> kafka, bool dispatch)
    {
        StoreCompletedOffsets(kafka);
        RefreshLag(kafka);
        if (dispatch)
        {
            ReleaseDueRetries(kafka);
        }

        // An open breaker pauses at once. Waiting for a free slot first would put the pause off for as long as
        // the window stays full (up to BackpressurePauseAfter): the messages in it are waiting for the breaker.
        var breakerOpen = dispatch && resilience.IsBreakerBlocking;
        if (dispatch && !backpressure && !breakerOpen && !WaitForFreeSlot())
        {
            return;
        }

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
        if (result is null || result.IsPartitionEOF || !dispatch || HoldUntilDue(kafka, result))
        {
            return;
        }

        Dispatch(result);
    }

    private void Dispatch(ConsumeResult<byte[], byte[]> result)
    {
        var owner = assigned.GetOrAssign(result.Topic, result.Partition);
        owner.FirstConsumed ??= result.Offset.Value;
        var tracked = owner.Tracker.Track(result.Offset, result.LeaderEpoch);
        metrics.InFlightChanged(1);
        scheduler.Enqueue(new WorkItem(result, owner, tracked), OrderingKeyOf(result));
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
        if (inFlight >= maxInFlight && fullSince >= 0 && Environment.TickCount64 - fullSince >= pauseAfter.TotalMilliseconds)
        {
            backpressure = true;
        }
        else if (inFlight <= maxInFlight / 2)
        {
            backpressure = false;
        }

        return backpressure ? $"backpressure: {inFlight} messages in flight" : null;
    }

    /// <summary>
    /// True when a message may be taken now. While the window is full, waits up to one poll timeout for
    /// a slot and returns false if none freed (the loop then stores offsets and comes back); after
    /// <see cref="ReliableConsumerOptions.BackpressurePauseAfter"/> it returns true so the pause reason takes over.
    /// </summary>
    private bool WaitForFreeSlot()
    {
        if (scheduler.InFlight < maxInFlight)
        {
            fullSince = -1;
            return true;
        }

        if (fullSince < 0)
        {
            fullSince = Environment.TickCount64;
        }

        if (Environment.TickCount64 - fullSince >= pauseAfter.TotalMilliseconds)
        {
            return true;
        }

        if (scheduler.WaitUntilInFlightBelow(maxInFlight, pollTimeout))
        {
            fullSince = -1;
            return true;
        }

        return false;
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
}

using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Processing;

namespace KafkaAnalyzers.Reliability.Tests.Processing;

public sealed class PartitionOffsetTrackerTests
{
    private static readonly TopicPartition Partition = new("orders", 2);

    [Fact]
    public void Releases_only_the_contiguous_completed_prefix_whatever_the_completion_order()
    {
        var tracker = new PartitionOffsetTracker(Partition);
        var handles = Enumerable.Range(10, 4).Select(offset => tracker.Track(offset)).ToList();

        tracker.Complete(handles[2]);
        tracker.Complete(handles[1]);
        Assert.Null(tracker.TakeCommittableOffset());

        tracker.Complete(handles[0]);
        Assert.Equal(new TopicPartitionOffset(Partition, 13), tracker.TakeCommittableOffset());
        Assert.Null(tracker.TakeCommittableOffset());

        tracker.Complete(handles[3]);
        Assert.Equal(new TopicPartitionOffset(Partition, 14), tracker.TakeCommittableOffset());
        Assert.Equal(0, tracker.PendingCount);
    }

    [Fact]
    public void Offsets_with_gaps_release_past_the_last_completed_message()
    {
        var tracker = new PartitionOffsetTracker(Partition);
        var handles = new[] { 5L, 9, 20 }.Select(offset => tracker.Track(offset, leaderEpoch: 3)).ToList();
        handles.ForEach(tracker.Complete);

        var committable = tracker.TakeCommittableOffset();

        Assert.Equal(21, committable!.Offset.Value);
        Assert.Equal(3, committable.LeaderEpoch);
    }

    [Fact]
    public void Completing_twice_counts_once()
    {
        var tracker = new PartitionOffsetTracker(Partition);
        var first = tracker.Track(0);
        tracker.Track(1);

        tracker.Complete(first);
        tracker.Complete(first);

        Assert.Equal(1, tracker.PendingCount);
        Assert.Equal(1, tracker.TakeCommittableOffset()!.Offset.Value);
    }

    [Fact]
    public void A_handle_from_another_partition_is_refused()
    {
        var tracker = new PartitionOffsetTracker(Partition);
        var other = new PartitionOffsetTracker(new TopicPartition("orders", 3)).Track(0);

        var error = Assert.Throws<ArgumentException>(() => tracker.Complete(other));

        Assert.Contains("orders [[3]]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unconsumed_offset_cannot_be_tracked()
    {
        var tracker = new PartitionOffsetTracker(Partition);

        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Track(Offset.End));
    }

    [Fact]
    public async Task Waiting_for_drain_returns_when_the_last_message_completes_or_reports_what_is_pending()
    {
        var tracker = new PartitionOffsetTracker(Partition);
        var handle = tracker.Track(0);

        Assert.False(tracker.WaitUntilDrained(TimeSpan.FromMilliseconds(20)));

        var waiting = Task.Run(() => tracker.WaitUntilDrained(TimeSpan.FromSeconds(30)));
        await Task.Delay(50);
        tracker.Complete(handle);

        Assert.True(await waiting);
    }
}

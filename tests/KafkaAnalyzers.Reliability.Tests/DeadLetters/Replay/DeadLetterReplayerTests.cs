using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.DeadLetters.Replay;

public sealed class DeadLetterReplayerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Replayed_dead_letters_reach_the_consumer_again_and_the_replay_limit_refuses_those_that_keep_failing()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("payments", partitions: 2);
        var group = "replayed-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, 40).Select(i => ConsumerTestKit.Message($"k{i % 5}", $"payment {i}", i.ToString())));

        // Ids divisible by 4 fail permanently until the dependency is fixed; 0 and 20 keep failing afterwards.
        var fixedDependency = false;
        var processed = new ConcurrentDictionary<int, ConsumeResult<string, string>>();
        var consumer = kit.Consumer<string, string>(
            kit.Options(topic, group, options => options.CircuitBreaker.Enabled = false),
            (result, _) =>
            {
                var id = int.Parse(ConsumerTestKit.IdOf(result.Message.Headers));
                if (id % 4 == 0 && (!Volatile.Read(ref fixedDependency) || id % 20 == 0))
                {
                    throw new ArgumentException($"payment {id} refused");
                }

                processed[id] = result;
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group));
        consumer.Start();
        await ConsumerTestKit.WaitUntil(() => processed.Count == 30 && kit.ReadAll(topic + ".dlq", 2).Count == 10, "30 processed and 10 dead-lettered");

        Volatile.Write(ref fixedDependency, true);
        var options = new DeadLetterReplayOptions
        {
            Connection = new ClientConfig { BootstrapServers = kit.BootstrapServers },
            DeadLetterTopic = topic + ".dlq",
            MaxReplays = 1,
            BatchSize = 4,
        };
        var first = await new DeadLetterReplayer(options).ReplayAsync();
        Assert.Equal(10, first.Counts.Replayed);
        Assert.Equal(new Dictionary<string, long> { [topic] = 10 }, first.ReplayedByTopic);
        await ConsumerTestKit.WaitUntil(() => processed.Count == 38 && kit.ReadAll(topic + ".dlq", 2).Count == 12, "8 replayed processed and 2 dead-lettered again");

        // A replayed message keeps its key, value and original headers, and carries the replay headers instead of the dlq.* ones.
        var replayed = processed[4];
        Assert.Equal("k4", replayed.Message.Key);
        Assert.Equal("payment 4", replayed.Message.Value);
        Assert.Equal("1", Encoding.UTF8.GetString(replayed.Message.Headers.GetLastBytes(ReplayHeaders.Count)));
        Assert.Equal(topic + ".dlq", Encoding.UTF8.GetString(replayed.Message.Headers.GetLastBytes(ReplayHeaders.SourceTopic)));
        Assert.DoesNotContain(replayed.Message.Headers, header => header.Key.StartsWith(DeadLetterHeaders.Prefix, StringComparison.Ordinal));
        var deadLetterOf4 = kit.ReadAll(topic + ".dlq", 2).First(d => ConsumerTestKit.IdOf(d.Message.Headers) == "4");
        Assert.Equal(DeadLetterMetadata.Read(deadLetterOf4.Message.Headers).OriginalPartition, replayed.Partition.Value);

        // The same replay continues after its committed progress: only the two new dead letters, both refused.
        var second = await new DeadLetterReplayer(options).ReplayAsync();
        Assert.Equal(2, second.Counts.Scanned);
        Assert.Equal(0, second.Counts.Replayed);
        Assert.Equal(2, second.Counts.Refused);
        var refusedIds = kit.ReadAll(topic + ".dlq", 2)
            .Where(d => second.RefusedLocations.Contains(d.TopicPartitionOffset))
            .Select(d => int.Parse(ConsumerTestKit.IdOf(d.Message.Headers)))
            .Order();
        Assert.Equal([0, 20], refusedIds);
        Assert.Equal(38, processed.Count);
        await consumer.StopAsync();
    }

    [Fact]
    public async Task A_replay_killed_half_way_and_run_again_republishes_every_selected_dead_letter_and_repeats_at_most_one_batch()
    {
        using var fixture = new DeadLetterFixture(partitions: 2);
        const int count = 1000;
        const int batch = 50;
        await fixture.PublishAsync(0, count, id => id % 10 == 9
            ? (new ArgumentException("bad order"), FailureCategory.Permanent)
            : (new TimeoutException("gateway timeout"), FailureCategory.Transient));

        using var kill = new CancellationTokenSource();
        var batches = 0;
        var options = new DeadLetterReplayOptions
        {
            Connection = fixture.Connection,
            DeadLetterTopic = fixture.DeadLetterTopic,
            Filter = { Category = FailureCategory.Transient },
            BatchSize = batch,
            // Reported right after each batch's commit, on the replay's own thread: 'batches' is the number of committed
            // batches when the kill lands.
            Progress = new SynchronousProgress(_ =>
            {
                // Killed a few milliseconds after the seventh batch committed, usually with the eighth's republishes in
                // flight (on a fast machine the eighth can commit within those milliseconds; then the ninth is cut).
                if (Interlocked.Increment(ref batches) == 7)
                {
                    kill.CancelAfter(TimeSpan.FromMilliseconds(3));
                }
            }),
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DeadLetterReplayer(options).ReplayAsync(kill.Token));
        var afterKill = fixture.Read(fixture.Topic).Count;
        output.WriteLine($"killed after {batches} committed batch(es); {afterKill} republished by then");
        Assert.InRange(batches, 7, count / batch - 1);
        Assert.InRange(afterKill, batches * batch * 9 / 10 - batch, count);

        options.Progress = null;
        var resumed = await new DeadLetterReplayer(options).ReplayAsync();
        var republished = fixture.Read(fixture.Topic).Select(DeadLetterFixture.IdOf).ToList();
        var expected = Enumerable.Range(0, count).Where(id => id % 10 != 9).ToHashSet();
        Assert.Empty(expected.Except(republished));
        Assert.DoesNotContain(republished, id => id % 10 == 9);
        var duplicates = republished.Count - republished.Distinct().Count();
        output.WriteLine($"resumed run read {resumed.Counts.Scanned}, republished {resumed.Counts.Replayed}; {duplicates} republished twice");
        Assert.InRange(duplicates, 0, batch);
        // The resumed run starts exactly where the last committed batch ended.
        Assert.Equal(count, batches * batch + resumed.Counts.Scanned);
    }

    [Fact]
    public async Task A_dry_run_counts_what_a_replay_would_do_and_writes_and_commits_nothing()
    {
        using var fixture = new DeadLetterFixture();
        await fixture.PublishAsync(0, 30, id => (new TimeoutException("slow"), FailureCategory.Transient));
        await fixture.PublishAsync(30, 5, id => (new TimeoutException("slow"), FailureCategory.Transient), id => new Headers { { ReplayHeaders.Count, Encoding.UTF8.GetBytes("3") } });
        var options = new DeadLetterReplayOptions { Connection = fixture.Connection, DeadLetterTopic = fixture.DeadLetterTopic, DryRun = true, BatchSize = 7 };

        var first = await new DeadLetterReplayer(options).ReplayAsync();
        var second = await new DeadLetterReplayer(options).ReplayAsync();

        Assert.Equal((35L, 30L, 5L), (first.Counts.Scanned, first.Counts.Replayed, first.Counts.Refused));
        Assert.Equal(first.Counts with { Elapsed = TimeSpan.Zero }, second.Counts with { Elapsed = TimeSpan.Zero });
        Assert.Empty(fixture.Read(fixture.Topic));
    }

    [Fact]
    public async Task Filters_select_by_category_exception_type_original_topic_time_and_offset_range()
    {
        using var fixture = new DeadLetterFixture(partitions: 1);
        var before = DateTimeOffset.UtcNow;
        await fixture.PublishAsync(0, 10, id => id % 2 == 0 ? (new TimeoutException("slow"), FailureCategory.Transient) : (new FormatException("bad"), FailureCategory.Permanent));
        await fixture.PublishAsync(10, 4, id => (new TimeoutException("slow"), FailureCategory.Transient), originalTopic: "other-topic");
        using var reader = new DeadLetterReader(fixture.Connection, fixture.DeadLetterTopic);

        async Task<int[]> Select(DeadLetterFilter filter)
        {
            var ids = new List<int>();
            await foreach (var record in reader.ReadAsync(filter))
            {
                ids.Add(int.Parse(Encoding.UTF8.GetString(record.Headers.GetLastBytes("id"))));
            }

            return ids.Order().ToArray();
        }

        Assert.Equal(new[] { 1, 3, 5, 7, 9 }, await Select(new DeadLetterFilter { Category = FailureCategory.Permanent }));
        Assert.Equal(new[] { 0, 2, 4, 6, 8, 10, 11, 12, 13 }, await Select(new DeadLetterFilter { ExceptionType = "TimeoutException" }));
        Assert.Equal(new[] { 0, 2, 4, 6, 8, 10, 11, 12, 13 }, await Select(new DeadLetterFilter { ExceptionType = "System.TimeoutException" }));
        Assert.Equal(new[] { 10, 11, 12, 13 }, await Select(new DeadLetterFilter { OriginalTopic = "other-topic" }));
        Assert.Equal(new[] { 3, 4, 5 }, await Select(new DeadLetterFilter { FromOffset = 3, ToOffset = 5 }));
        Assert.Equal(Enumerable.Range(0, 14).ToArray(), await Select(new DeadLetterFilter { FailedFrom = before }));
        Assert.Empty(await Select(new DeadLetterFilter { FailedBefore = before }));
        Assert.Equal(new[] { 6, 8, 10 }, await Select(new DeadLetterFilter { Category = FailureCategory.Transient, FromOffset = 5, ToOffset = 10 }));
    }

    [Fact]
    public void Invalid_settings_are_refused_with_each_setting_named()
    {
        var failure = Assert.Throws<ArgumentException>(() => new DeadLetterReplayer(new DeadLetterReplayOptions
        {
            DeadLetterTopic = "orders.dlq",
            TargetTopic = "orders.dlq",
            MaxReplays = 0,
            BatchSize = 0,
            ReplayId = "has spaces",
            Filter = { FromOffset = 10, ToOffset = 2 },
        }));

        foreach (var setting in new[] { "Connection", "TargetTopic", "MaxReplays", "BatchSize", "ReplayId", "ToOffset" })
        {
            Assert.Contains(setting, failure.Message);
        }
    }

    private sealed class SynchronousProgress(Action<DeadLetterReplayProgress> report) : IProgress<DeadLetterReplayProgress>
    {
        public void Report(DeadLetterReplayProgress value) => report(value);
    }
}

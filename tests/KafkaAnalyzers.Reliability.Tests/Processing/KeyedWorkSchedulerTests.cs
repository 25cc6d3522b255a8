using System.Collections.Concurrent;
using KafkaAnalyzers.Reliability.Processing;

namespace KafkaAnalyzers.Reliability.Tests.Processing;

public sealed class KeyedWorkSchedulerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static OrderingKey? Key(int key) => OrderingKey.For("t", 0, [(byte)key]);

    [Fact]
    public async Task Same_key_runs_one_at_a_time_in_order_while_keys_run_concurrently_up_to_the_limit()
    {
        const int maxConcurrency = 4;
        var running = 0;
        var peak = 0;
        var activeKeys = new ConcurrentDictionary<int, byte>();
        var overlaps = 0;
        var seen = new ConcurrentDictionary<int, ConcurrentQueue<int>>();
        var done = new CountdownEvent(400);
        var scheduler = new KeyedWorkScheduler<(int Key, int Sequence)>(
            maxConcurrency,
            async item =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                if (!activeKeys.TryAdd(item.Key, 0))
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Delay(Random.Shared.Next(0, 3));
                seen.GetOrAdd(item.Key, _ => new()).Enqueue(item.Sequence);
                activeKeys.TryRemove(item.Key, out _);
                Interlocked.Decrement(ref running);
                done.Signal();
            },
            ex => Assert.Fail(ex.ToString()));

        for (var sequence = 0; sequence < 40; sequence++)
        {
            for (var key = 0; key < 10; key++)
            {
                scheduler.Enqueue((key, sequence), Key(key));
            }
        }

        Assert.True(done.Wait(Patience));
        Assert.Equal(0, overlaps);
        Assert.InRange(peak, 2, maxConcurrency);
        Assert.All(seen.Values, sequences => Assert.Equal(Enumerable.Range(0, 40), sequences));
        await WaitForZero(scheduler);
    }

    [Fact]
    public void With_concurrency_one_everything_runs_in_arrival_order()
    {
        var order = new ConcurrentQueue<int>();
        var done = new CountdownEvent(60);
        var scheduler = new KeyedWorkScheduler<int>(1, async item =>
        {
            await Task.Yield();
            order.Enqueue(item);
            done.Signal();
        }, ex => Assert.Fail(ex.ToString()));

        for (var i = 0; i < 60; i++)
        {
            scheduler.Enqueue(i, i % 3 == 0 ? null : Key(i % 4));
        }

        Assert.True(done.Wait(Patience));
        Assert.Equal(Enumerable.Range(0, 60), order);
    }

    [Fact]
    public async Task A_failure_escaping_an_item_is_reported_and_the_key_goes_on()
    {
        var failures = new ConcurrentQueue<Exception>();
        var ran = new ConcurrentQueue<int>();
        var scheduler = new KeyedWorkScheduler<int>(2, item =>
        {
            ran.Enqueue(item);
            return item == 1 ? Task.FromException(new InvalidOperationException("bug")) : Task.CompletedTask;
        }, failures.Enqueue);

        scheduler.Enqueue(1, Key(7));
        scheduler.Enqueue(2, Key(7));

        await WaitForZero(scheduler);
        Assert.Equal([1, 2], ran);
        Assert.IsType<InvalidOperationException>(Assert.Single(failures));
    }

    private static async Task WaitForZero<T>(KeyedWorkScheduler<T> scheduler)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (scheduler.InFlight > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{scheduler.InFlight} items still in flight");
            await Task.Delay(10);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

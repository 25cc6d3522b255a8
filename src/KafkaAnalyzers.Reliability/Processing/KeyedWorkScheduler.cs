namespace KafkaAnalyzers.Reliability.Processing;

/// <summary>
/// Runs work items concurrently, at most <c>maxConcurrency</c> at a time, while items that share an
/// ordering key run one after another in the order they were enqueued. Among runnable keys the one
/// whose next item was enqueued first goes first, so with a concurrency of 1 everything runs in
/// arrival order. Items without a key have no ordering constraint.
/// </summary>
internal sealed class KeyedWorkScheduler<TItem>
{
    private readonly object gate = new();
    private readonly Dictionary<OrderingKey, Lane> lanesByKey = new();
    private readonly PriorityQueue<Lane, long> runnable = new();
    private readonly int maxConcurrency;
    private readonly Func<TItem, Task> process;
    private readonly Action<Exception> onUnexpectedFailure;
    private long sequence;
    private int running;
    private int inFlight;

    /// <param name="maxConcurrency">How many items may run at the same time.</param>
    /// <param name="process">Runs one item. It is expected to handle its own failures.</param>
    /// <param name="onUnexpectedFailure">Receives anything <paramref name="process"/> lets escape.</param>
    public KeyedWorkScheduler(int maxConcurrency, Func<TItem, Task> process, Action<Exception> onUnexpectedFailure)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        this.maxConcurrency = maxConcurrency;
        this.process = process;
        this.onUnexpectedFailure = onUnexpectedFailure;
    }

    /// <summary>Items enqueued and not finished yet (running or waiting for their key or for a slot).</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    public void Enqueue(TItem item, OrderingKey? key)
    {
        List<(Lane, TItem)> toStart;
        lock (gate)
        {
            inFlight++;
            var entry = new Entry(item, sequence++);
            if (key is { } k && lanesByKey.TryGetValue(k, out var existing))
            {
                existing.Waiting.Enqueue(entry);
                return;
            }

            var lane = new Lane(key);
            lane.Waiting.Enqueue(entry);
            if (key is { } newKey)
            {
                lanesByKey[newKey] = lane;
            }

            runnable.Enqueue(lane, entry.Sequence);
            toStart = TakeStartableLocked();
        }

        Start(toStart);
    }

    private void OnItemFinished(Lane lane)
    {
        List<(Lane, TItem)> toStart;
        lock (gate)
        {
            inFlight--;
            running--;
            Monitor.PulseAll(gate);
            lane.Waiting.Dequeue();
            if (lane.Waiting.TryPeek(out var next))
            {
                runnable.Enqueue(lane, next.Sequence);
            }
            else if (lane.Key is { } key)
            {
                lanesByKey.Remove(key);
            }

            toStart = TakeStartableLocked();
        }

        Start(toStart);
    }

    /// <summary>Waits until fewer than <paramref name="limit"/> items are in flight; false when <paramref name="timeout"/> passes first.</summary>
    public bool WaitUntilInFlightBelow(int limit, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (gate)
        {
            while (inFlight >= limit)
            {
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 || !Monitor.Wait(gate, TimeSpan.FromMilliseconds(remaining)))
                {
                    return inFlight < limit;
                }
            }

            return true;
        }
    }

    private List<(Lane, TItem)> TakeStartableLocked()
    {
        var toStart = new List<(Lane, TItem)>();
        while (running < maxConcurrency && runnable.TryDequeue(out var lane, out _))
        {
            running++;
            toStart.Add((lane, lane.Waiting.Peek().Item));
        }

        return toStart;
    }

    private void Start(List<(Lane Lane, TItem Item)> toStart)
    {
        foreach (var (lane, item) in toStart)
        {
            // Task.Run: the caller (the poll thread, or a finishing item) never runs handler code inline.
            _ = Task.Run(() => RunAsync(lane, item));
        }
    }

    private async Task RunAsync(Lane lane, TItem item)
    {
        try
        {
            await process(item).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            onUnexpectedFailure(ex);
        }
        finally
        {
            OnItemFinished(lane);
        }
    }

    private readonly record struct Entry(TItem Item, long Sequence);

    private sealed class Lane(OrderingKey? key)
    {
        public OrderingKey? Key { get; } = key;

        public Queue<Entry> Waiting { get; } = new();
    }
}

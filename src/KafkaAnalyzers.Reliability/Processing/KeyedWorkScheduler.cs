namespace KafkaAnalyzers.Reliability.Processing;

/// <summary>
/// Runs work items concurrently, at most <c>maxConcurrency</c> at a time, while items that share an
/// ordering key run one after another in the order they were enqueued. Among runnable keys the one
/// whose next item was enqueued first goes first, so with a concurrency of 1 everything runs in
/// arrival order. Items without a key have no ordering constraint.
/// </summary>
internal sealed class KeyedWorkScheduler<TItem>
{
    private const int FreeLaneLimit = 256;
    private readonly object gate = new();
    private readonly Dictionary<OrderingKey, Lane> lanesByKey = new();
    private readonly PriorityQueue<Lane, long> runnable = new();
    private readonly Stack<Lane> freeLanes = new();
    private readonly Action<Lane> runLane;
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
        runLane = lane => _ = RunAsync(lane);
    }

    /// <summary>Items enqueued and not finished yet (running or waiting for their key or for a slot).</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    public void Enqueue(TItem item, OrderingKey? key)
    {
        lock (gate)
        {
            inFlight++;
            var entry = new Entry(item, sequence++);
            if (key is { } k && lanesByKey.TryGetValue(k, out var existing))
            {
                existing.Waiting.Enqueue(entry);
                return;
            }

            var lane = RentLaneLocked(key);
            lane.Waiting.Enqueue(entry);
            if (key is { } newKey)
            {
                lanesByKey[newKey] = lane;
            }

            runnable.Enqueue(lane, entry.Sequence);
            StartRunnableLocked();
        }
    }

    private void OnItemFinished(Lane lane)
    {
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
            else
            {
                if (lane.Key is { } key)
                {
                    lanesByKey.Remove(key);
                }

                ReturnLaneLocked(lane);
            }

            StartRunnableLocked();
        }
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

    /// <summary>
    /// Starts runnable lanes while slots are free. Each run is queued to the thread pool (the caller, the poll
    /// thread or a finishing item, never runs handler code inline) with the caller's execution context, like
    /// <c>Task.Run</c>, through a cached delegate: no closure, delegate or task per item.
    /// </summary>
    private void StartRunnableLocked()
    {
        while (running < maxConcurrency && runnable.TryDequeue(out var lane, out _))
        {
            running++;
            lane.Current = lane.Waiting.Peek().Item;
            ThreadPool.QueueUserWorkItem(runLane, lane, preferLocal: false);
        }
    }

    private async Task RunAsync(Lane lane)
    {
        // A lane runs one item at a time: Current is the lane's head, set when it was started.
        var item = lane.Current;
        lane.Current = default!;
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

    /// <summary>Lanes emptied by finished items are kept for reuse (their queue keeps its buffer), up to this many.</summary>
    private Lane RentLaneLocked(OrderingKey? key)
    {
        if (freeLanes.TryPop(out var lane))
        {
            lane.Key = key;
            return lane;
        }

        return new Lane(key);
    }

    private void ReturnLaneLocked(Lane lane)
    {
        lane.Key = null;
        if (freeLanes.Count < FreeLaneLimit)
        {
            freeLanes.Push(lane);
        }
    }

    private readonly record struct Entry(TItem Item, long Sequence);

    private sealed class Lane(OrderingKey? key)
    {
        public OrderingKey? Key { get; set; } = key;

        /// <summary>The item started last (the head of <see cref="Waiting"/>), handed to the pool thread that runs it.</summary>
        public TItem Current { get; set; } = default!;

        public Queue<Entry> Waiting { get; } = new();
    }
}
